"""The calling agent."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from ninja import Router, Schema

from .common import actor, responses

router = Router(tags=["agents"])


class TeamOut(Schema):
    code: str
    name: str


class MeOut(Schema):
    username: str
    name: str
    level: str
    language: str
    roles: list[str]
    teams: list[TeamOut]


@router.get("/me", response=responses({200: MeOut}), summary="Who am I")
def me(request: HttpRequest) -> Any:
    agent = actor(request)
    return {
        "username": agent.username,
        "name": agent.get_full_name(),
        "level": agent.level,
        "language": agent.language,
        "roles": sorted(agent.role_codes),
        "teams": list(agent.teams.order_by("code")),
    }
