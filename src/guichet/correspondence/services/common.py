"""Helpers shared by the correspondence services (no rules of their own)."""

from __future__ import annotations

from typing import TypeVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from guichet.agents.models import Agent, Team
from guichet.core.validation import Problems
from guichet.correspondence.errors import Code
from guichet.correspondence.models import Letterhead

M = TypeVar("M", bound=models.Model)


def team_of(
    problems: Problems, actor: Agent, code: str | None, field: str = "team"
) -> Team | None:
    """The service the agent acts for: the one named, or their only one."""
    teams = list(
        Team.objects.filter(pk__in=actor.team_ids, is_active=True).order_by("code")
    )
    if code:
        chosen = next((team for team in teams if team.code == code), None)
        if chosen is None:
            problems.add(
                field,
                Code.NOT_YOUR_TEAM,
                _("You do not work in the service %(team)s."),
                team=code,
            )
        return chosen
    if len(teams) == 1:
        return teams[0]
    problems.add(
        field,
        Code.REQUIRED,
        _("Choose the service you act for: %(teams)s."),
        teams=", ".join(team.code for team in teams) or "-",
    )
    return None


def letterhead_of(
    problems: Problems, team: Team | None, field: str = "team"
) -> Letterhead | None:
    if team is None:
        return None
    head = Letterhead.objects.filter(team=team).first()
    if head is None:
        problems.add(
            field,
            Code.NO_LETTERHEAD,
            _(
                "The service %(team)s has no letterhead yet; an administrator sets it up in "
                "the admin (Correspondence, letterheads)."
            ),
            team=team.code,
        )
    return head
