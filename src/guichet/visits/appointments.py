"""Booked citizens at the counter (issue #17, part 1; `hooks` for the why).

The agenda sits below this app, so this app links a ticket to its appointment and
registers the priority source itself (`VisitsConfig.ready`). A citizen with an
appointment today checks in at the kiosk with its reference (APT-YYYY-NNNNN) and
gets a ticket of the counter service the offer names (else of the first service
of the offer's team at the site); a desk then calls checked-in citizens first,
from a quarter of an hour before their time, oldest appointment first.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from guichet.agenda.appointments.selectors import due_for_counter
from guichet.agenda.appointments.services import appointment_check_in
from guichet.agenda.models import Appointment
from guichet.agenda.models.appointments import AppointmentStatus
from guichet.audit.services import audit_record
from guichet.core import clock
from guichet.core.errors import Conflict, NotFound

from . import hooks
from .errors import Code
from .models import Service, Site, Ticket
from .services import LAST_NUMBER, _next_number


def _appointment(reference: str) -> Appointment | None:
    parts = str(reference or "").strip().upper().split("-")
    if len(parts) != 3 or parts[0] != "APT" or not (parts[1] + parts[2]).isdigit():
        return None
    return (
        Appointment.objects.select_related("offer", "offer__team")
        .filter(year=int(parts[1]), number=int(parts[2]))
        .first()
    )


def _service(site: Site, appointment: Appointment) -> Service | None:
    offer = appointment.offer
    services = site.services.filter(is_active=True, team_id=offer.team_id)
    if offer.counter_service:
        services = services.filter(code=offer.counter_service)
    return services.order_by("order", "code").first()


def ticket_check_in(*, site: Site, reference: str, language: str = "") -> Ticket:
    """A booked citizen arrives: a ticket linked to their appointment of today,
    which is checked in. Public (the kiosk): any reference that is not a booked
    appointment of today at this site gets the same answer, naming nobody."""
    appointment = _appointment(reference)
    service = _service(site, appointment) if appointment is not None else None
    if (
        appointment is None
        or service is None
        or appointment.status != AppointmentStatus.BOOKED
    ):
        raise NotFound(_("No appointment of today with this reference here."))
    day = clock.today()
    with transaction.atomic():
        checked = appointment_check_in(appointment=appointment)
        number = _next_number(service, day)
        if number > LAST_NUMBER:
            raise Conflict(
                _("No more tickets for this service today."), code=Code.DAY_FULL
            )
        ticket = Ticket.objects.create(
            service=service,
            day=day,
            number=number,
            language=language if language in {"fr", "nl", "de", "en"} else "",
            issued_at=clock.now(),
            appointment=checked,
        )
        audit_record(
            actor=None,
            action="visits.ticket_check_in",
            obj=ticket,
            summary={"ticket": ticket.label, "appointment": checked.reference},
        )
    return ticket


def appointments_first(turn: hooks.DeskTurn) -> Sequence[int]:
    """The waiting tickets of checked-in citizens whose time has come, at this
    desk's services, oldest appointment first."""
    services = Service.objects.filter(pk__in=turn.service_ids)
    codes = frozenset(services.values_list("code", flat=True))
    teams = frozenset(services.values_list("team_id", flat=True))
    due = [
        a.pk for a in due_for_counter(team_ids=teams, service_codes=codes, now=turn.now)
    ]
    if not due:
        return []
    tickets = dict(
        Ticket.objects.filter(
            Q(appointment_id__in=due),
            status="waiting",
            service_id__in=turn.service_ids,
        ).values_list("appointment_id", "pk")
    )
    return [tickets[pk] for pk in due if pk in tickets]


def register() -> None:
    if appointments_first not in hooks.priority_sources:
        hooks.priority_sources.append(appointments_first)
