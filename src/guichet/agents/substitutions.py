"""Substitution of an agent who is away: who names it, who stands in, when.

An agent names their own substitute, or a supervisor of one of their teams does it
for them; the substitute is an active agent who shares a team with them (they can
then see and work the same queues). Periods of one agent never overlap. While a
substitution runs, what is assigned to the absent agent is shown to the substitute,
and new assignments go to the substitute (`servicerequests.services`). Every
change is audited.

These rules live here, not in the access policy, because the policy sits above
`agents` (ARCHITECTURE.md): they read only roles and memberships.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from guichet.audit.services import audit_record
from guichet.core import clock
from guichet.core.errors import Forbidden
from guichet.core.validation import Problems

from .models import Agent, RoleCode, Substitution

# A substitution is named for at most a year (a longer absence is a reassignment).
LONGEST = dt.timedelta(days=366)


def _may_name(actor: Agent, agent: Agent) -> bool:
    if actor.pk == agent.pk:
        return True
    return RoleCode.SUPERVISOR in actor.role_codes and bool(
        actor.team_ids & agent.team_ids
    )


def substitution_create(
    *,
    actor: Agent,
    agent: Agent,
    substitute: Agent,
    starts_on: dt.date,
    ends_on: dt.date,
) -> Substitution:
    """Name `substitute` for `agent` from `starts_on` to `ends_on` (both included)."""
    if not _may_name(actor, agent):
        raise Forbidden(
            _("Only the agent or a supervisor of their service names a substitute.")
        )
    problems = Problems()
    if substitute.pk == agent.pk:
        problems.add(
            "substitute", "self", _("An agent cannot stand in for themselves.")
        )
    elif not substitute.is_active:
        problems.add("substitute", "inactive", _("This agent is no longer active."))
    elif not agent.team_ids & substitute.team_ids:
        problems.add(
            "substitute",
            "no_shared_team",
            _("The substitute must work in one of the same services."),
        )
    if ends_on < starts_on:
        problems.add("ends_on", "ends_before_start", _("The end is before the start."))
    elif ends_on - starts_on > LONGEST:
        problems.add("ends_on", "too_long", _("A substitution lasts at most a year."))
    elif ends_on < clock.today():
        problems.add("ends_on", "in_past", _("This period is already over."))
    problems.raise_if_any()
    with transaction.atomic():
        # Lock the agent's row: two overlapping periods named at once cannot both pass.
        Agent.objects.select_for_update().filter(pk=agent.pk).first()
        overlapping = Substitution.objects.filter(
            agent=agent,
            cancelled_at__isnull=True,
            starts_on__lte=ends_on,
            ends_on__gte=starts_on,
        ).exists()
        if overlapping:
            problems.add(
                "starts_on",
                "overlap",
                _("A substitute is already named for part of this period."),
            )
            problems.raise_if_any()
        substitution = Substitution.objects.create(
            agent=agent,
            substitute=substitute,
            starts_on=starts_on,
            ends_on=ends_on,
            created_by=actor,
        )
        audit_record(
            actor=actor,
            action="substitution.create",
            obj=substitution,
            summary={
                "agent": agent.pk,
                "substitute": substitute.pk,
                "starts_on": starts_on,
                "ends_on": ends_on,
            },
        )
    return substitution


def substitution_cancel(*, actor: Agent, substitution: Substitution) -> Substitution:
    if not _may_name(actor, substitution.agent):
        raise Forbidden(
            _("Only the agent or a supervisor of their service names a substitute.")
        )
    with transaction.atomic():
        updated = Substitution.objects.filter(
            pk=substitution.pk, cancelled_at__isnull=True
        ).update(cancelled_at=clock.now())
        if updated:
            audit_record(actor=actor, action="substitution.cancel", obj=substitution)
    substitution.refresh_from_db()
    return substitution


def _running(on: dt.date) -> Q:
    return Q(cancelled_at__isnull=True, starts_on__lte=on, ends_on__gte=on)


def substitute_of(agent: Agent, *, on: dt.date | None = None) -> Agent | None:
    """Who stands in for `agent` on `on` (today), or None when they are present.
    One step only: a substitute who is away too is not followed further."""
    day = on or clock.today()
    found = (
        Substitution.objects.filter(_running(day), agent=agent)
        .select_related("substitute")
        .first()
    )
    return found.substitute if found is not None else None


def standing_in_for(agent: Agent, *, on: dt.date | None = None) -> list[Agent]:
    """The agents `agent` stands in for on `on` (today)."""
    day = on or clock.today()
    return [
        row.agent
        for row in Substitution.objects.filter(_running(day), substitute=agent)
        .select_related("agent")
        .order_by("agent__username")
    ]
