"""Helpers shared by the correspondence services (no rules of their own)."""

from __future__ import annotations

import uuid as uuid_module
from typing import Any, TypeVar

from django.db import models
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from guichet.access import policy
from guichet.agents.models import Team
from guichet.core import clock
from guichet.core.errors import Forbidden, StaleVersion
from guichet.correspondence.errors import Code, Problems
from guichet.correspondence.models import Letterhead

M = TypeVar("M", bound=models.Model)


def require(agent: Any, action: str, obj: models.Model | None = None) -> None:
    if not policy.may(agent, action, obj):
        raise Forbidden(_("You may not do this."))


def as_uuid(value: Any) -> uuid_module.UUID | None:
    if isinstance(value, uuid_module.UUID):
        return value
    try:
        return uuid_module.UUID(str(value))
    except ValueError:
        return None


def stale(model: type[M], obj: Any, expected_version: int) -> StaleVersion:
    current = model._default_manager.values_list("version", flat=True).get(pk=obj.pk)
    return StaleVersion(
        _(
            "Someone else changed this record meanwhile (version %(current)d, you edited "
            "version %(expected)d). Reload to see their change; nothing was saved."
        ),
        params={"current": current, "expected": expected_version},
        extra={"current_version": current},
    )


def check_version(model: type[M], obj: Any, expected_version: int) -> None:
    """Refuse early when the (locked) record is no longer the version the caller read."""
    if obj.version != expected_version:
        raise stale(model, obj, expected_version)


def bump(model: type[M], obj: Any, expected_version: int, **values: Any) -> None:
    """Save `values` and the next version, only if nobody changed the record since."""
    updated = model._default_manager.filter(pk=obj.pk, version=expected_version).update(
        version=F("version") + 1, updated_at=clock.now(), **values
    )
    if updated != 1:
        raise stale(model, obj, expected_version)
    obj.refresh_from_db()


def text(
    problems: Problems,
    field: str,
    value: str | None,
    *,
    required: bool,
    max_length: int,
    multiline: bool = False,
) -> str:
    raw = value or ""
    cleaned = raw.strip() if multiline else " ".join(raw.split())
    if required and not cleaned:
        problems.add(field, Code.REQUIRED, _("This field is required."))
    elif len(cleaned) > max_length:
        problems.add(
            field,
            Code.TOO_LONG,
            _("At most %(max)d characters (%(count)d given)."),
            max=max_length,
            count=len(cleaned),
        )
    return cleaned


def team_of(
    problems: Problems, actor: Any, code: str | None, field: str = "team"
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
