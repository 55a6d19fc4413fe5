"""The source rows of the dashboards' figures, each through the access policy.

One function per kind of row a figure counts. The figure groups these rows in
the database, and the rows page lists the very same queryset with the drill's
filters applied (`narrowed`), so the page always holds as many rows as the
number said. Every queryset starts from `policy.visible`: a person confidential
to a team the agent is not in is counted nowhere.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import DateField, F, Q, QuerySet, Value
from django.db.models.functions import ExtractHour, TruncDate, TruncWeek
from django.utils.translation import gettext_lazy as _

from guichet.access import policy
from guichet.agenda.models.appointments import Appointment, AppointmentStatus
from guichet.agents.models import Agent, Team
from guichet.contacts.models import Channel, Contact
from guichet.core import clock
from guichet.core.validation import Problems
from guichet.correspondence.models import IncomingMail, Letter, LetterStatus
from guichet.correspondence.models.mail import MailStatus
from guichet.dossiers.models import Decision, DecisionState, Dossier, DossierTask
from guichet.servicerequests.models import (
    OPEN_STATUSES,
    Request,
    ServiceLevelSignal,
    SignalKind,
)

from .common import DaysBetween, Period, checked, zone

# Age buckets of open work, in whole days since it was received: (key, from, to)
# with `to` excluded; None: no upper bound.
AGE_BUCKETS: tuple[tuple[str, int, int | None], ...] = (
    ("0-2", 0, 3),
    ("3-7", 3, 8),
    ("8-30", 8, 31),
    ("31+", 31, None),
)
APPOINTMENT_WEEKS = 4
BOOKED = (AppointmentStatus.BOOKED, AppointmentStatus.CHECKED_IN)


@dataclass(frozen=True)
class Scope:
    """Whose figures: the agent, the teams chosen among theirs, the period."""

    agent: Agent
    teams: tuple[Team, ...]
    period: Period
    now: dt.datetime
    # Grouped scans shared by several figures of one dashboard (see supervisor).
    cache: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def team_ids(self) -> list[int]:
        return [team.pk for team in self.teams]

    @property
    def today(self) -> dt.date:
        return self.now.astimezone(zone()).date()


def agent_teams(agent: Agent) -> list[Team]:
    return list(Team.objects.filter(pk__in=agent.team_ids).order_by("code"))


def scope_of(*, agent: Agent, team: str, period: Period) -> Scope:
    """The agent's teams, or the one named `team` among them (else refused)."""
    teams = agent_teams(agent)
    if team:
        teams = [row for row in teams if row.code == team]
        if not teams:
            problems = Problems(message=_("The filters are not valid."))
            problems.add("team", "not_yours", _("Choose one of your teams."))
            problems.raise_if_any()
    return Scope(
        agent=agent, teams=tuple(teams), period=checked(period), now=clock.now()
    )


# Age buckets


def request_age_q(scope: Scope, bucket: str) -> Q:
    return _age_q(scope.now, "received_at", bucket)


def dossier_age_q(scope: Scope, bucket: str) -> Q:
    return _age_q(scope.today, "received_on", bucket)


def _age_q(now: dt.datetime | dt.date, field: str, bucket: str) -> Q:
    for key, low, high in AGE_BUCKETS:
        if key == bucket:
            condition = Q(**{f"{field}__lte": now - dt.timedelta(days=low)})
            if high is not None:
                condition &= Q(**{f"{field}__gt": now - dt.timedelta(days=high)})
            return condition
    return Q(pk__in=[])


# Requests


def _requests(scope: Scope) -> QuerySet[Request]:
    return policy.visible(scope.agent, Request.objects.all()).filter(
        team_id__in=scope.team_ids
    )


def open_requests(scope: Scope) -> QuerySet[Request]:
    return _requests(scope).filter(status__in=OPEN_STATUSES)


def first_answers(scope: Scope) -> QuerySet[Request]:
    """Requests first answered in the period."""
    return _requests(scope).filter(
        first_answered_at__gte=scope.period.start,
        first_answered_at__lt=scope.period.end,
    )


def resolutions(scope: Scope) -> QuerySet[Request]:
    """Requests resolved in the period."""
    return _requests(scope).filter(
        resolved_at__gte=scope.period.start, resolved_at__lt=scope.period.end
    )


FIRST_ANSWER_LATE = Q(first_answered_at__gt=F("first_answer_due"))
RESOLUTION_LATE = Q(resolved_at__gt=F("resolution_due"))


def breaches(scope: Scope) -> QuerySet[ServiceLevelSignal]:
    """Breaches of a deadline that fell due in the period, on requests the agent
    sees in the teams."""
    return ServiceLevelSignal.objects.filter(
        kind=SignalKind.BREACH,
        due_at__gte=scope.period.start,
        due_at__lt=scope.period.end,
        request__in=_requests(scope),
    )


# Contacts


def contacts(scope: Scope) -> QuerySet[Contact]:
    return policy.visible(scope.agent, Contact.objects.all()).filter(
        team_id__in=scope.team_ids,
        started_at__gte=scope.period.start,
        started_at__lt=scope.period.end,
    )


def with_hour(rows: QuerySet[Any]) -> QuerySet[Any]:
    """`hour`: the hour of the day the contact started, in the service's zone."""
    annotated: QuerySet[Any] = rows.annotate(
        hour=ExtractHour("started_at", tzinfo=zone())
    )
    return annotated


def counter_visits(scope: Scope) -> QuerySet[Contact]:
    """Counter contacts that came through the waiting room (a ticket)."""
    return contacts(scope).filter(channel=Channel.COUNTER, waiting_since__isnull=False)


# Dossiers


def _dossiers(scope: Scope) -> QuerySet[Dossier]:
    return policy.visible(scope.agent, Dossier.objects.all()).filter(
        team_id__in=scope.team_ids, destroyed_at__isnull=True
    )


def open_dossiers(scope: Scope) -> QuerySet[Dossier]:
    return _dossiers(scope).filter(closed_at__isnull=True)


def closed_dossiers(scope: Scope) -> QuerySet[Dossier]:
    return _dossiers(scope).filter(
        closed_at__gte=scope.period.start, closed_at__lt=scope.period.end
    )


def with_lead_days(rows: QuerySet[Dossier]) -> QuerySet[Any]:
    """`lead_days`: days from received to closed (the closing day in Brussels)."""
    return rows.annotate(
        lead_days=DaysBetween(TruncDate("closed_at", tzinfo=zone()), "received_on")
    )


def with_age_days(scope: Scope, rows: QuerySet[Dossier]) -> QuerySet[Dossier]:
    return rows.annotate(age_days=DaysBetween(Value(scope.today), "received_on"))


def decisions_waiting(scope: Scope) -> QuerySet[Dossier]:
    """Open dossiers whose proposed decision waits for a second agent."""
    return open_dossiers(scope).filter(
        pk__in=Decision.objects.filter(state=DecisionState.PROPOSED).values(
            "dossier_id"
        )
    )


def open_tasks(scope: Scope) -> QuerySet[DossierTask]:
    """Open tasks of the teams' open dossiers the agent sees."""
    return DossierTask.objects.filter(
        done_at__isnull=True, dossier__in=open_dossiers(scope)
    )


# Correspondence


def letters_waiting(scope: Scope) -> QuerySet[Letter]:
    return policy.visible(scope.agent, Letter.objects.all()).filter(
        team_id__in=scope.team_ids, status=LetterStatus.PENDING_APPROVAL
    )


def mail_waiting(scope: Scope) -> QuerySet[IncomingMail]:
    """Paper mail the teams registered and have not dispatched yet."""
    return policy.visible(scope.agent, IncomingMail.objects.all()).filter(
        team_id__in=scope.team_ids, status=MailStatus.REGISTERED
    )


# Appointments


def appointments(scope: Scope) -> QuerySet[Appointment]:
    """Appointments booked from today for the coming weeks, in the teams' offers."""
    first = dt.datetime.combine(scope.today, dt.time(), tzinfo=zone())
    return policy.visible(scope.agent, Appointment.objects.all()).filter(
        offer__team_id__in=scope.team_ids,
        status__in=BOOKED,
        start__gte=first,
        start__lt=first + dt.timedelta(weeks=APPOINTMENT_WEEKS),
    )


def with_week(rows: QuerySet[Appointment]) -> QuerySet[Any]:
    """`week`: the Monday of the appointment's week, in the service's zone."""
    return rows.annotate(
        week=TruncWeek("start", tzinfo=zone(), output_field=DateField())
    )
