"""Writes of absences: recorded by the agent or a supervisor of their teams.

Two absences of one agent never overlap: the agent's row is locked first (the
order every write here keeps: agent, then absence), then the overlap is checked.
An absence with a substitute names them through `agents.substitutions` in the
same transaction, and cancelling the absence cancels that substitution.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from guichet.access import policy
from guichet.access.domains.agenda_absences import Action
from guichet.agenda.absences.periods import days_span, last_day, local
from guichet.agenda.errors import AbsenceCode, Code
from guichet.agenda.models import Absence, AbsenceKind
from guichet.agents import substitutions
from guichet.agents.models import Agent
from guichet.audit.services import audit_record
from guichet.core import clock
from guichet.core.errors import Conflict, Forbidden, NotFound
from guichet.core.validation import Problems, parse_uuid

# An absence is recorded for at most a year (a longer one is not an absence).
LONGEST = dt.timedelta(days=367)


def _period(
    problems: Problems,
    *,
    starts_on: dt.date | None,
    ends_on: dt.date | None,
    starts_at: dt.datetime | None,
    ends_at: dt.datetime | None,
) -> tuple[dt.datetime, dt.datetime, bool] | None:
    """The period in UTC and whether it is whole days, or None (problems added)."""
    days = starts_on is not None or ends_on is not None
    hours = starts_at is not None or ends_at is not None
    if days == hours:
        problems.add(
            "starts_on",
            AbsenceCode.PERIOD_REQUIRED,
            _("Give either whole days or a start and an end time."),
        )
        return None
    if days:
        if starts_on is None or ends_on is None:
            field = "starts_on" if starts_on is None else "ends_on"
            problems.add(field, AbsenceCode.PERIOD_REQUIRED, _("Give this date."))
            return None
        if ends_on < starts_on:
            problems.add(
                "ends_on", Code.ENDS_BEFORE_START, _("The end is before the start.")
            )
            return None
        start, end = days_span(starts_on, ends_on)
        field, whole = "ends_on", True
    else:
        if starts_at is None or ends_at is None:
            field = "starts_at" if starts_at is None else "ends_at"
            problems.add(field, AbsenceCode.PERIOD_REQUIRED, _("Give this time."))
            return None
        start, end = (
            local(starts_at).astimezone(dt.UTC),
            local(ends_at).astimezone(dt.UTC),
        )
        if end <= start:
            problems.add(
                "ends_at", Code.ENDS_BEFORE_START, _("The end is before the start.")
            )
            return None
        field, whole = "ends_at", False
    if end - start > LONGEST:
        problems.add(field, AbsenceCode.TOO_LONG, _("An absence lasts at most a year."))
        return None
    return start, end, whole


def absence_create(
    *,
    actor: Agent,
    agent: Agent,
    kind: str,
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
    starts_at: dt.datetime | None = None,
    ends_at: dt.datetime | None = None,
    substitute: Agent | None = None,
) -> Absence:
    """Record `agent`'s absence: whole Brussels days (`starts_on` to `ends_on`,
    both included) or hours (`starts_at` to `ends_at`, naive values read on the
    Brussels clock); with `substitute`, name them for those days."""
    if not policy.may(actor, Action.ABSENCE_MANAGE, Absence(agent=agent)):
        raise Forbidden(
            _("Only the agent or a supervisor of their service records an absence.")
        )
    problems = Problems()
    if kind not in AbsenceKind.values:
        problems.add(
            "kind",
            AbsenceCode.INVALID_KIND,
            _("Choose one of: %(allowed)s."),
            allowed=", ".join(AbsenceKind.values),
        )
    period = _period(
        problems,
        starts_on=starts_on,
        ends_on=ends_on,
        starts_at=starts_at,
        ends_at=ends_at,
    )
    problems.raise_if_any()
    assert period is not None  # noqa: S101 - raise_if_any raised otherwise
    start, end, whole = period
    with transaction.atomic():
        # Lock the agent's row: two overlapping absences recorded at once cannot
        # both pass the check below.
        Agent.objects.select_for_update().filter(pk=agent.pk).first()
        overlapping = Absence.objects.filter(
            agent=agent,
            cancelled_at__isnull=True,
            starts_at__lt=end,
            ends_at__gt=start,
        ).exists()
        if overlapping:
            problems.add(
                "starts_on" if whole else "starts_at",
                AbsenceCode.OVERLAP,
                _("An absence is already recorded for part of this period."),
            )
            problems.raise_if_any()
        substitution = (
            substitutions.substitution_create(
                actor=actor,
                agent=agent,
                substitute=substitute,
                starts_on=local(start).date(),
                ends_on=last_day(end),
            )
            if substitute is not None
            else None
        )
        absence = Absence.objects.create(
            agent=agent,
            kind=kind,
            starts_at=start,
            ends_at=end,
            all_day=whole,
            substitution=substitution,
            created_by=actor,
        )
        audit_record(
            actor=actor,
            action="absence.create",
            obj=absence,
            summary={
                "agent": agent.pk,
                "kind": kind,
                "starts_at": start,
                "ends_at": end,
                "all_day": whole,
                "substitution": str(substitution.uuid) if substitution else None,
            },
        )
    return absence


def absence_cancel(*, actor: Agent, absence_id: Any) -> Absence:
    """Cancel an absence (kept, marked cancelled) and the substitution it named."""
    key = parse_uuid(absence_id)
    found = (
        policy.visible(actor, Absence.objects.all()).filter(uuid=key).first()
        if key
        else None
    )
    if found is None:
        raise NotFound(_("No such absence."))
    policy.require(actor, Action.ABSENCE_MANAGE, found)
    with transaction.atomic():
        Agent.objects.select_for_update().filter(pk=found.agent_id).first()
        absence = (
            Absence.objects.select_for_update(of=("self",))
            .select_related("substitution__agent")
            .get(pk=found.pk)
        )
        if absence.cancelled_at is not None:
            raise Conflict(
                _("This absence is already cancelled."),
                code=AbsenceCode.ALREADY_CANCELLED,
            )
        absence.cancelled_at = clock.now()
        absence.cancelled_by = actor
        absence.save(update_fields=["cancelled_at", "cancelled_by", "updated_at"])
        if absence.substitution is not None:
            substitutions.substitution_cancel(
                actor=actor, substitution=absence.substitution
            )
        audit_record(
            actor=actor,
            action="absence.cancel",
            obj=absence,
            summary={
                "agent": absence.agent_id,
                "substitution": (
                    str(absence.substitution.uuid) if absence.substitution else None
                ),
            },
        )
    return absence
