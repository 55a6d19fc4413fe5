"""Appointments in the agenda (`entries`): a team's agenda shows its offers'
appointments; an agent's agenda shows those of the offers they serve by name.
Inside Guichet the title names the citizen; the feed's title names only what the
appointment is for ("Appointment (biometrics)"), never who."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext

from guichet.agenda import entries
from guichet.agenda.appointments.selectors import appointments_visible
from guichet.agenda.models.appointments import Appointment, AppointmentStatus

if TYPE_CHECKING:
    from guichet.agents.models import Agent, Team


def _url(appointment: Appointment) -> str:
    try:
        return reverse("ui:appointment", args=[appointment.uuid])
    except NoReverseMatch:
        return ""


def _entry(appointment: Appointment) -> entries.Entry:
    purpose = appointment.offer.get_purpose_display()
    return entries.Entry(
        kind="appointment",
        key=str(appointment.uuid),
        start=appointment.start,
        end=appointment.end,
        title=gettext("Appointment: %(name)s (%(purpose)s)")
        % {"name": appointment.person.full_name, "purpose": purpose},
        feed_title=gettext("Appointment (%(purpose)s)") % {"purpose": purpose},
        url=_url(appointment),
        sequence=appointment.sequence,
    )


def _between(
    viewer: Agent, start: dt.datetime, end: dt.datetime, **whose: object
) -> list[Appointment]:
    return list(
        appointments_visible(agent=viewer)
        .filter(start__lt=end, end__gt=start, **whose)
        .exclude(status=AppointmentStatus.CANCELLED)
        .order_by("start", "id")[:500]
    )


def agent_appointments(
    viewer: Agent, agent: Agent, start: dt.datetime, end: dt.datetime
) -> list[entries.Entry]:
    rows = _between(viewer, start, end, offer__agent=agent)
    return [_entry(appointment) for appointment in rows]


def team_appointments(
    viewer: Agent, team: Team, start: dt.datetime, end: dt.datetime
) -> list[entries.Entry]:
    rows = _between(viewer, start, end, offer__team=team)
    return [_entry(appointment) for appointment in rows]


def register() -> None:
    """Add the appointments' sources to the agenda (once)."""
    if agent_appointments not in entries.agent_sources:
        entries.agent_sources.append(agent_appointments)
    if team_appointments not in entries.team_sources:
        entries.team_sources.append(team_appointments)
