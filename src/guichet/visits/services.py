"""The counter's queue: setting up a site, issuing tickets, calling and serving.

Tickets are numbered per service and day without gap or duplicate: the numbering
row is locked in the transaction that stores the ticket (as `correspondence.locks`
numbers letters). A desk takes its next ticket with a conditional update (waiting
-> called), so that of two desks calling at once exactly one gets each ticket, as
`servicerequests.services.request_take_next` does for requests. Serving registers
the contact (channel counter) with the visitor's arrival, which the figures of the
channels read (`contacts.selectors.channel_figures`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from guichet.access import policy
from guichet.access.domains.visits import Action
from guichet.agenda.appointments.services import appointment_served_at_counter
from guichet.agents.models import Agent, Language, Team
from guichet.audit.services import audit_record
from guichet.cashbook.models import Counter
from guichet.contacts.models import Channel, Outcome
from guichet.contacts.services import ContactInput, contact_register
from guichet.core import clock
from guichet.core.errors import Conflict, Forbidden
from guichet.core.numbering import next_in_series
from guichet.core.validation import Problems, choice, text

from . import hooks
from .errors import Code, TooManyTickets
from .models import Desk, Service, Site, Status, Ticket, TicketNumbering
from .selectors import desk_services

# Three digits on the ticket and on the display: a service's day ends at 999.
LAST_NUMBER = 999
LANGUAGES = [code for code, _label in Language.choices]
PREFIX = re.compile(r"[A-Z]")

# ---------------------------------------------------------------- reference data


def site_create(*, actor: Agent, code: str, name: str, language: str = "fr") -> Site:
    """A new site that receives visitors (its supervisor sets it up)."""
    policy.require(actor, Action.SETUP)
    problems = Problems()
    clean_code = text(problems, "code", code, required=True, max_length=40)
    clean_name = text(problems, "name", name, required=True, max_length=150)
    clean_language = choice(problems, "language", language, LANGUAGES)
    if clean_code and Site.objects.filter(code=clean_code).exists():
        problems.add("code", Code.CODE_TAKEN, _("A site has this code already."))
    problems.raise_if_any()
    with transaction.atomic():
        site = Site.objects.create(
            code=clean_code, name=clean_name, language=clean_language or "fr"
        )
        audit_record(actor=actor, action="visits.site_create", obj=site)
    return site


def service_create(
    *,
    actor: Agent,
    site: Site,
    code: str,
    names: Mapping[str, str],
    prefix: str,
    team: Team,
    order: int = 0,
) -> Service:
    """A service the site offers at its counters, served by one of the actor's
    teams; `names` in fr, nl, de and en; `prefix` is the letter of its tickets."""
    policy.require(actor, Action.SETUP)
    problems = Problems()
    clean_code = text(problems, "code", code, required=True, max_length=40)
    clean_names = {
        language: text(
            problems,
            f"name_{language}",
            names.get(language, ""),
            required=True,
            max_length=120,
        )
        for language in LANGUAGES
    }
    letter = text(problems, "prefix", prefix, required=True, max_length=1).upper()
    if letter and not PREFIX.fullmatch(letter):
        problems.add("prefix", Code.NOT_A_LETTER, _("One letter, A to Z."))
    elif letter and site.services.filter(prefix=letter).exists():
        problems.add(
            "prefix", Code.PREFIX_TAKEN, _("Another service of the site has it.")
        )
    if clean_code and site.services.filter(code=clean_code).exists():
        problems.add("code", Code.CODE_TAKEN, _("The site has a service with it."))
    if team.pk not in actor.team_ids:
        problems.add("team", Code.NOT_YOUR_TEAM, _("You are not in this service."))
    problems.raise_if_any()
    with transaction.atomic():
        service = Service.objects.create(
            site=site,
            code=clean_code,
            prefix=letter,
            team=team,
            order=order,
            **{f"name_{language}": name for language, name in clean_names.items()},
        )
        audit_record(actor=actor, action="visits.service_create", obj=service)
    return service


def desk_create(
    *,
    actor: Agent,
    site: Site,
    code: str,
    name: str,
    services: Sequence[Service],
    till: Counter | None = None,
) -> Desk:
    """A desk of the site serving `services`; `till`: the cash book's counter at
    this desk, when fees are paid there (one of the actor's teams)."""
    policy.require(actor, Action.SETUP)
    problems = Problems()
    clean_code = text(problems, "code", code, required=True, max_length=40)
    clean_name = text(problems, "name", name, required=True, max_length=60)
    if clean_code and site.desks.filter(code=clean_code).exists():
        problems.add("code", Code.CODE_TAKEN, _("The site has a desk with it."))
    if not services:
        problems.add("services", Code.REQUIRED, _("This field is required."))
    if any(service.site_id != site.pk for service in services):
        problems.add("services", Code.OTHER_SITE, _("A service of another site."))
    if till is not None and till.team_id not in actor.team_ids:
        problems.add("till", Code.NOT_YOUR_TEAM, _("You are not in this service."))
    problems.raise_if_any()
    with transaction.atomic():
        desk = Desk.objects.create(
            site=site, code=clean_code, name=clean_name, till=till
        )
        desk.services.set(services)
        audit_record(
            actor=actor,
            action="visits.desk_create",
            obj=desk,
            summary={"services": sorted(service.code for service in services)},
        )
    return desk


# ---------------------------------------------------------------- the kiosk


def _next_number(service: Service, day: dt.date) -> int:
    """The next number of a service's day, gap-free (`core.numbering`)."""
    return next_in_series(TicketNumbering, service=service, day=day)


def ticket_issue(*, site: Site, service: str, language: str) -> Ticket:
    """A visitor takes a ticket for a service of the site (by code), at the kiosk.

    Public: no agent. Refused beyond `VISITS_KIOSK_TICKETS_PER_MINUTE` tickets of
    the site in the last minute (`TooManyTickets`), and beyond 999 in a service's
    day. The number is the service's next of the day, without gap or duplicate."""
    problems = Problems()
    found = (
        site.services.filter(code=service, is_active=True).first()
        if isinstance(service, str) and site.is_active
        else None
    )
    if found is None:
        problems.add("service", Code.NO_SUCH_SERVICE, _("Choose one of the services."))
    clean_language = choice(problems, "language", language, LANGUAGES, required=False)
    problems.raise_if_any()
    assert found is not None  # noqa: S101 - problems raised otherwise
    now = clock.now()
    recent = Ticket.objects.filter(
        service__site=site, issued_at__gt=now - dt.timedelta(minutes=1)
    ).count()
    if recent >= settings.VISITS_KIOSK_TICKETS_PER_MINUTE:
        raise TooManyTickets(_("Too many tickets at once: please try again shortly."))
    day = clock.today()
    with transaction.atomic():
        number = _next_number(found, day)
        if number > LAST_NUMBER:
            raise Conflict(
                _("No more tickets for this service today."), code=Code.DAY_FULL
            )
        ticket = Ticket.objects.create(
            service=found,
            day=day,
            number=number,
            language=clean_language or "",
            issued_at=now,
        )
        audit_record(
            actor=None,
            action="visits.ticket_issue",
            obj=ticket,
            summary={"ticket": ticket.label},
        )
    return ticket


# ---------------------------------------------------------------- the desks


def _require_desk(actor: Agent, desk: Desk) -> frozenset[int]:
    policy.require(actor, Action.DESK_WORK)
    services = desk_services(actor=actor, desk=desk) if desk.is_active else frozenset()
    if not services:
        raise Forbidden(
            _("This desk serves none of your services."), code=Code.NOT_YOUR_DESK
        )
    return services


def _claim(pk: int, actor: Agent, desk: Desk, now: dt.datetime) -> bool:
    """Call a waiting ticket to `desk`: exactly one of two desks wins."""
    return (
        Ticket.objects.filter(pk=pk, status=Status.WAITING).update(
            status=Status.CALLED,
            desk=desk,
            called_by=actor,
            called_at=now,
            announced_at=now,
            version=F("version") + 1,
            updated_at=now,
        )
        == 1
    )


def _refuse_busy(desk: Desk) -> None:
    if Ticket.objects.filter(desk=desk, status=Status.CALLED).exists():
        raise Conflict(
            _("Finish the current visit before calling the next visitor."),
            code=Code.DESK_BUSY,
        )


def ticket_call_next(*, actor: Agent, desk: Desk) -> Ticket | None:
    """Call the next visitor to `desk`: the tickets the agenda puts first (see
    `hooks`), then the oldest waiting ticket of today among the desk's services
    that the actor's teams serve. None when nobody waits. A desk finishes its
    visitor (served or absent) before it calls the next one."""
    services = _require_desk(actor, desk)
    _refuse_busy(desk)
    now = clock.now()
    waiting = Ticket.objects.filter(
        service_id__in=services, status=Status.WAITING, day=clock.today()
    )
    first = hooks.priority_tickets(
        hooks.DeskTurn(desk=desk, agent=actor, service_ids=services, now=now)
    )
    for _attempt in range(5):
        candidates = [
            *waiting.filter(pk__in=first).values_list("pk", flat=True),
            *waiting.order_by("issued_at", "id").values_list("pk", flat=True)[:20],
        ]
        ordered = sorted(
            dict.fromkeys(candidates),
            key=lambda pk: first.index(pk) if pk in first else len(first),
        )
        if not ordered:
            return None
        for pk in ordered:
            with transaction.atomic():
                # Two agents at one desk: the second waits here, then is refused.
                Desk.objects.select_for_update().filter(pk=desk.pk).first()
                _refuse_busy(desk)
                if _claim(pk, actor, desk, now):
                    ticket = Ticket.objects.select_related("service", "desk").get(pk=pk)
                    audit_record(
                        actor=actor,
                        action="visits.ticket_call",
                        obj=ticket,
                        summary={"ticket": ticket.label, "desk": desk.code},
                    )
                    return ticket
    return None


def _called(actor: Agent, ticket: Ticket) -> Ticket:
    """The ticket, locked, if the actor may work it and it is being called."""
    policy.require(actor, Action.DESK_WORK, ticket)
    locked = (
        Ticket.objects.select_for_update(of=("self",))
        .select_related("service", "desk")
        .get(pk=ticket.pk)
    )
    if locked.status != Status.CALLED:
        raise Conflict(
            _("This ticket is not being called any more."), code=Code.NOT_CALLED
        )
    return locked


def ticket_recall(*, actor: Agent, ticket: Ticket) -> Ticket:
    """Call the visitor again: the display announces the ticket once more."""
    with transaction.atomic():
        locked = _called(actor, ticket)
        now = clock.now()
        locked.announced_at = now
        locked.recalls += 1
        locked.version += 1
        locked.save(update_fields=["announced_at", "recalls", "version", "updated_at"])
        audit_record(
            actor=actor,
            action="visits.ticket_recall",
            obj=locked,
            summary={"ticket": locked.label, "recalls": locked.recalls},
        )
    return locked


def ticket_no_show(*, actor: Agent, ticket: Ticket) -> Ticket:
    """The visitor called did not come: the desk is free for the next one."""
    with transaction.atomic():
        locked = _called(actor, ticket)
        locked.status = Status.NO_SHOW
        locked.ended_at = max(clock.now(), locked.called_at or locked.issued_at)
        locked.version += 1
        locked.save(update_fields=["status", "ended_at", "version", "updated_at"])
        audit_record(
            actor=actor,
            action="visits.ticket_no_show",
            obj=locked,
            summary={"ticket": locked.label},
        )
    return locked


def ticket_serve(
    *,
    actor: Agent,
    ticket: Ticket,
    person: str = "",
    topic: str = "",
    summary: str = "",
    outcome: str = Outcome.ANSWERED,
    anonymous_details: str = "",
) -> Ticket:
    """The visit is over: register its contact (channel counter, for the ticket's
    service team; the person the agent identified, by public id, or anonymous)
    with the arrival, the call and the end, so that waiting and serving times are
    known per service and hour."""
    with transaction.atomic():
        locked = _called(actor, ticket)
        assert locked.called_at is not None  # noqa: S101 - a called ticket has it
        now = max(clock.now(), locked.called_at)
        contact = contact_register(
            actor=actor,
            team=locked.service.team,
            data=ContactInput(
                channel=Channel.COUNTER,
                started_at=locked.called_at,
                ended_at=now,
                waiting_since=locked.issued_at,
                person=person,
                topic=topic,
                summary=summary,
                outcome=outcome,
                language=locked.language,
                anonymous_details=anonymous_details,
            ),
        )
        if locked.appointment_id is not None:
            appointment_served_at_counter(appointment_id=locked.appointment_id)
        locked.status = Status.SERVED
        locked.ended_at = now
        locked.contact = contact
        locked.version += 1
        locked.save(
            update_fields=["status", "ended_at", "contact", "version", "updated_at"]
        )
        audit_record(
            actor=actor,
            action="visits.ticket_serve",
            obj=locked,
            summary={"ticket": locked.label, "contact": str(contact.uuid)},
        )
    return locked
