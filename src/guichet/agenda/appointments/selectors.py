"""Reads of appointments, always for an agent, through the policy; reads of a
person's appointments are written to the access log. An appointment the agent may
not see is `NotFound`, exactly as one that does not exist."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from guichet.access import policy
from guichet.access.domains.agenda_appointments import Action
from guichet.agenda import availability
from guichet.agenda.appointments import slots
from guichet.agenda.models.appointments import (
    HOLDING,
    Appointment,
    AppointmentStatus,
    Offer,
)
from guichet.agents.models import Agent, Team
from guichet.audit.services import access_record
from guichet.calendars.selectors import calendar_for_team
from guichet.core.errors import NotFound
from guichet.core.validation import parse_uuid
from guichet.dossiers.models import Dossier
from guichet.parties.models import Person

# A slots listing covers at most this many days (a page of a month).
MAX_DAYS = 62


def offers_visible(*, agent: Agent) -> QuerySet[Offer]:
    return policy.visible(agent, Offer.objects.select_related("team", "agent"))


def offers_for_agent(
    *, agent: Agent, team: Team | None = None, active_only: bool = True
) -> list[Offer]:
    """The offers of the agent's teams (of `team` only, when given)."""
    rows = offers_visible(agent=agent)
    if team is not None:
        rows = rows.filter(team=team)
    if active_only:
        rows = rows.filter(is_active=True)
    return list(rows.order_by("team__code", "code"))


def offer_get_for_agent(*, agent: Agent, key: object) -> Offer:
    """One offer the agent sees, by its public id; else `NotFound`."""
    parsed = parse_uuid(key)
    offer = offers_visible(agent=agent).filter(uuid=parsed).first() if parsed else None
    if offer is None:
        raise NotFound(_("No such offer."))
    return offer


@dataclass(frozen=True)
class SlotView:
    start: dt.datetime
    end: dt.datetime
    places: int
    taken: int
    agent_away: bool

    @property
    def free(self) -> int:
        return 0 if self.agent_away else max(self.places - self.taken, 0)


def offer_slots(
    *, agent: Agent, offer: Offer, first: dt.date, last: dt.date
) -> list[SlotView]:
    """The slots of `offer` from local day `first` to `last` (at most `MAX_DAYS`),
    with the places taken and whether the offer's agent is away."""
    policy.require(agent, Action.BOOK, offer)
    if last < first:
        return []
    last = min(last, first + dt.timedelta(days=MAX_DAYS - 1))
    calendar = calendar_for_team(team=offer.team)
    found = slots.slots_between(
        slots.week_of(offer.weekly_hours(), offer.slot_minutes), calendar, first, last
    )
    if not found:
        return []
    taken = dict(
        Appointment.objects.filter(
            offer=offer,
            status__in=HOLDING,
            start__gte=found[0].start,
            start__lte=found[-1].start,
        )
        .values_list("start")
        .annotate(n=Count("id"))
        .values_list("start", "n")
    )
    away: list[availability.Interval] = (
        availability.busy_intervals(
            agent=offer.agent, start=found[0].start, end=found[-1].end
        )
        if offer.agent is not None
        else []
    )
    return [
        SlotView(
            start=slot.start,
            end=slot.end,
            places=offer.places,
            taken=taken.get(slot.start, 0),
            agent_away=any(
                b_start < slot.end and slot.start < b_end for b_start, b_end in away
            ),
        )
        for slot in found
    ]


def appointments_visible(*, agent: Agent) -> QuerySet[Appointment]:
    return policy.visible(
        agent,
        Appointment.objects.select_related(
            "offer", "offer__team", "person", "dossier", "booked_by"
        ),
    )


def appointment_get_for_agent(*, agent: Agent, key: object) -> policy.Seen[Appointment]:
    """One appointment the agent sees, by public id or reference (APT-YYYY-NNNNN)."""
    rows = appointments_visible(agent=agent)
    parsed = parse_uuid(key)
    appointment = None
    if parsed:
        appointment = rows.filter(uuid=parsed).first()
    elif isinstance(key, str):
        parts = key.strip().upper().split("-")
        if (
            len(parts) == 3
            and parts[0] == "APT"
            and parts[1].isdigit()
            and parts[2].isdigit()
        ):
            appointment = rows.filter(year=int(parts[1]), number=int(parts[2])).first()
    if appointment is None:
        raise NotFound(_("No such appointment."))
    access_record(actor=agent, action="appointment.read", obj=appointment)
    return policy.seen(agent, appointment)


def _listed(
    agent: Agent, rows: QuerySet[Appointment], obj: object, limit: int
) -> list[Appointment]:
    found = list(rows[:limit])
    if found:
        access_record(
            actor=agent,
            action="appointment.list",
            objects=found,
            obj=obj if isinstance(obj, Person | Dossier | Team) else None,
        )
    return found


def appointments_of_person(
    *, agent: Agent, person: Person, limit: int = 100
) -> list[Appointment]:
    """The person's appointments the agent sees, newest first (the caller has
    checked that the person is seen)."""
    rows = appointments_visible(agent=agent).filter(person=person).order_by("-start")
    return _listed(agent, rows, person, limit)


def appointments_of_dossier(
    *, agent: Agent, dossier: Dossier, limit: int = 100
) -> list[Appointment]:
    """A dossier's appointments the agent sees, newest first."""
    rows = appointments_visible(agent=agent).filter(dossier=dossier).order_by("-start")
    return _listed(agent, rows, dossier, limit)


def appointments_of_team(
    *,
    agent: Agent,
    team: Team,
    start: dt.datetime,
    end: dt.datetime,
    include_cancelled: bool = False,
    limit: int = 500,
) -> list[Appointment]:
    """A team's appointments between two instants, in time order."""
    rows = appointments_visible(agent=agent).filter(
        offer__team=team, start__lt=end, end__gt=start
    )
    if not include_cancelled:
        rows = rows.exclude(status=AppointmentStatus.CANCELLED)
    return _listed(agent, rows.order_by("start", "id"), team, limit)


def person_get_for_agent(*, agent: Agent, key: object) -> Person:
    """A person the agent sees, by public id; else `NotFound`."""
    parsed = parse_uuid(key)
    person = (
        policy.visible(agent, Person.objects.filter(uuid=parsed)).first()
        if parsed
        else None
    )
    if person is None:
        raise NotFound(_("No such person."))
    return person


def dossier_for_agent(*, agent: Agent, key: object) -> Dossier:
    """A dossier the agent sees, by public id; else `NotFound`."""
    parsed = parse_uuid(key)
    dossier = (
        policy.visible(
            agent, Dossier.objects.select_related("person").filter(uuid=parsed)
        ).first()
        if parsed
        else None
    )
    if dossier is None:
        raise NotFound(_("No such dossier."))
    return dossier


def team_day_bounds(team: Team, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The instants a local day of `team` starts and ends."""
    calendar = calendar_for_team(team=team)
    return calendar.midnight(day), calendar.midnight(day + dt.timedelta(days=1))


def due_for_counter(
    *, team_ids: frozenset[int], service_codes: frozenset[str], now: dt.datetime
) -> list[Appointment]:
    """Checked-in appointments whose time has come (from a quarter before their
    start), oldest first, of offers of these teams for these counter services (an
    offer naming no counter service is called at any of its team's services)."""
    return list(
        Appointment.objects.filter(
            status=AppointmentStatus.CHECKED_IN,
            offer__team_id__in=team_ids,
            start__lte=now + dt.timedelta(minutes=15),
        )
        .filter(
            Q(offer__counter_service="") | Q(offer__counter_service__in=service_codes)
        )
        .order_by("start", "id")
    )
