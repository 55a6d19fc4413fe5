"""Appointment slots for citizens: offers, bookings, messages, the counter.

Every booking, move and cancellation locks the offer's row first
(`select_for_update`; on SQLite the IMMEDIATE transactions serialise writers), then
counts the places taken in the slot: two agents booking the last place at the same
instant never overfill it, the second is refused (`slot_full`). Locks are taken in
one order: the offer, then the appointment. A refused booking writes nothing.

The citizen is told in their language: by e-mail with an `.ics` (`ics.py`) when
they have an address, else by a letter drafted through correspondence (the
ordinary path of letters then issues and sends it). E-mails are sent by a
background task (`tasks.py`), retried on an SMTP failure; the reminder of the day
before is queued once per appointment (a unique constraint), so a doubled or late
run reminds nobody twice.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Q
from django.utils import formats, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from guichet.access import policy
from guichet.access.domains.agenda_appointments import Action
from guichet.access.domains.dossiers import Action as DossierAction
from guichet.agenda import availability
from guichet.agenda.appointments import ics, slots
from guichet.agenda.errors import Code
from guichet.agenda.models.appointments import (
    HOLDING,
    WEEKDAY_FIELDS,
    Appointment,
    AppointmentMessage,
    AppointmentNumbering,
    AppointmentStatus,
    MessageKind,
    MessageStatus,
    Offer,
    Purpose,
)
from guichet.agents.models import Agent, Language, Team
from guichet.audit.services import audit_record
from guichet.calendars.selectors import calendar_for_team
from guichet.calendars.validation import day_hours
from guichet.core import clock
from guichet.core.errors import Conflict, GuichetError, NotFound
from guichet.core.numbering import next_in_series
from guichet.core.validation import Problems, choice, text
from guichet.core.versioning import check_version, versioned_update
from guichet.dossiers.models import Dossier
from guichet.parties.models import Person

logger = logging.getLogger(__name__)

LANGUAGES = [code for code, _label in Language.choices]
# A message being sent for longer than this was interrupted: it may be claimed again.
SENDING_TIMEOUT = dt.timedelta(minutes=10)
# A booked citizen who has not checked in this long after their slot's end did not come.
NO_SHOW_AFTER = dt.timedelta(minutes=30)

# ---------------------------------------------------------------- offers


@dataclass(frozen=True)
class OfferInput:
    """What an offer says: `names` in fr, nl, de, en; `hours` the seven weekdays'
    hours as typed (Monday first, "09:00-12:00, 13:00-16:00", "" closed)."""

    code: str
    names: Mapping[str, str]
    slot_minutes: object
    places: object = 1
    hours: Sequence[str] = ("", "", "", "", "", "", "")
    purpose: str = Purpose.OTHER
    agent: Agent | None = None
    counter_service: str = ""


def _number(problems: Problems, name: str, value: object, low: int, high: int) -> int:
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        number = low - 1
    if not low <= number <= high:
        problems.add(
            name,
            Code.OUT_OF_RANGE,
            _("A whole number from %(low)d to %(high)d."),
            low=low,
            high=high,
        )
    return number


def _clean_offer(
    problems: Problems, *, team: Team, data: OfferInput, offer: Offer | None
) -> dict[str, Any]:
    code = text(problems, "code", data.code, required=True, max_length=40)
    if code and not code.replace("-", "").replace("_", "").isalnum():
        problems.add("code", Code.INVALID_CHOICE, _("Letters, digits and dashes."))
    taken = Offer.objects.filter(team=team, code=code)
    if offer is not None:
        taken = taken.exclude(pk=offer.pk)
    if code and taken.exists():
        problems.add("code", Code.CODE_TAKEN, _("The team has an offer with it."))
    names = {
        f"name_{language}": text(
            problems,
            f"name_{language}",
            data.names.get(language, ""),
            required=True,
            max_length=120,
        )
        for language in LANGUAGES
    }
    purpose = choice(problems, "purpose", data.purpose, Purpose.values)
    slot_minutes = _number(problems, "slot_minutes", data.slot_minutes, 5, 480)
    places = _number(problems, "places", data.places, 1, 100)
    hours: dict[str, str] = {}
    if len(data.hours) != len(WEEKDAY_FIELDS):
        problems.add("hours", Code.INVALID_INTERVAL, _("Give the hours of 7 days."))
    else:
        for name, typed in zip(WEEKDAY_FIELDS, data.hours, strict=True):
            intervals = day_hours(problems, name, typed)
            hours[name] = ", ".join(
                f"{start // 60:02d}:{start % 60:02d}-{end // 60:02d}:{end % 60:02d}"
                for start, end in intervals
            )
        if not any(hours.values()):
            problems.add(
                "monday_hours",
                Code.NEVER_OPEN,
                _("Give the hours of one day at least."),
            )
    if data.agent is not None and team.pk not in data.agent.team_ids:
        problems.add("agent", Code.NOT_A_MEMBER, _("This agent is not in the team."))
    counter = text(
        problems, "counter_service", data.counter_service, required=False, max_length=40
    )
    return {
        "code": code,
        "purpose": purpose or Purpose.OTHER,
        "slot_minutes": slot_minutes,
        "places": places,
        "agent": data.agent,
        "counter_service": counter,
        **names,
        **hours,
    }


def _snapshot_offer(offer: Offer) -> dict[str, Any]:
    return {
        "code": offer.code,
        "purpose": offer.purpose,
        "slot_minutes": offer.slot_minutes,
        "places": offer.places,
        "hours": offer.weekly_hours(),
        "agent": offer.agent.username if offer.agent else None,
        "counter_service": offer.counter_service,
        "is_active": offer.is_active,
    }


def offer_create(*, actor: Agent, team: Team, data: OfferInput) -> Offer:
    """A new offer of one of the actor's teams (its supervisors set it up)."""
    policy.require(actor, Action.OFFER_MANAGE)
    problems = Problems()
    if team.pk not in actor.team_ids:
        problems.add("team", Code.NOT_YOUR_TEAM, _("You are not in this service."))
    values = _clean_offer(problems, team=team, data=data, offer=None)
    problems.raise_if_any()
    with transaction.atomic():
        offer = Offer.objects.create(team=team, **values)
        audit_record(
            actor=actor,
            action="agenda.offer_create",
            obj=offer,
            summary={"team": team.code, "after": _snapshot_offer(offer)},
        )
    return offer


def offer_update(
    *, actor: Agent, offer: Offer, data: OfferInput, expected_version: int
) -> Offer:
    """Change an offer; booked appointments keep their time (move them if need be)."""
    policy.require(actor, Action.OFFER_MANAGE, offer)
    problems = Problems()
    values = _clean_offer(problems, team=offer.team, data=data, offer=offer)
    problems.raise_if_any()
    with transaction.atomic():
        locked = Offer.objects.select_for_update().get(pk=offer.pk)
        check_version(locked, expected_version)
        before = _snapshot_offer(locked)
        versioned_update(locked, expected_version=expected_version, **values)
        audit_record(
            actor=actor,
            action="agenda.offer_update",
            obj=locked,
            summary={"before": before, "after": _snapshot_offer(locked)},
        )
    return locked


def offer_deactivate(*, actor: Agent, offer: Offer, expected_version: int) -> Offer:
    """No new bookings on this offer; the appointments booked stay."""
    policy.require(actor, Action.OFFER_MANAGE, offer)
    with transaction.atomic():
        locked = Offer.objects.select_for_update().get(pk=offer.pk)
        check_version(locked, expected_version)
        versioned_update(locked, expected_version=expected_version, is_active=False)
        audit_record(actor=actor, action="agenda.offer_deactivate", obj=locked)
    return locked


def offer_week(offer: Offer) -> slots.Week:
    """The offer's hours and slot length for the slot arithmetic."""
    return slots.week_of(offer.weekly_hours(), offer.slot_minutes)


# ---------------------------------------------------------------- bookings

REFUSALS = {
    slots.Refusal.HOLIDAY: (
        Code.HOLIDAY,
        _("The office is closed that day (a public holiday)."),
    ),
    slots.Refusal.CLOSING_DAY: (
        Code.CLOSING_DAY,
        _("The office is closed that day (a closing day of the service)."),
    ),
    slots.Refusal.OUTSIDE_HOURS: (
        Code.OUTSIDE_HOURS,
        _("This time is outside the opening hours of the appointments."),
    ),
    slots.Refusal.NOT_ON_GRID: (
        Code.NOT_ON_GRID,
        _("Appointments start at the times of the slots: choose one of them."),
    ),
}


def _slot(offer: Offer, start: object) -> slots.Slot:
    """The slot of `offer` that starts at `start`, or the reason it is refused."""
    problems = Problems()
    if not isinstance(start, dt.datetime) or start.utcoffset() is None:
        problems.add("start", Code.REQUIRED, _("Give a date and time with its offset."))
        problems.raise_if_any()
    assert isinstance(start, dt.datetime)  # noqa: S101 - refused above otherwise
    moment = start.astimezone(dt.UTC)
    if not offer.is_active:
        problems.add("offer", Code.OFFER_INACTIVE, _("This offer takes no bookings."))
        problems.raise_if_any()
    if moment <= clock.now():
        problems.add("start", Code.IN_THE_PAST, _("This time is in the past."))
        problems.raise_if_any()
    found = slots.where(offer_week(offer), calendar_for_team(team=offer.team), moment)
    if isinstance(found, slots.Refusal):
        code, message = REFUSALS[found]
        problems.add("start", code, message)
        problems.raise_if_any()
    assert isinstance(found, slots.Slot)  # noqa: S101 - refused above otherwise
    if offer.agent is not None and availability.is_busy(
        agent=offer.agent, start=found.start, end=found.end
    ):
        problems.add(
            "start", Code.AGENT_AWAY, _("The agent of this offer is away at that time.")
        )
        problems.raise_if_any()
    return found


def _taken(offer: Offer, start: dt.datetime, exclude: int | None = None) -> int:
    rows = Appointment.objects.filter(offer=offer, start=start, status__in=HOLDING)
    if exclude is not None:
        rows = rows.exclude(pk=exclude)
    return rows.count()


def _refuse_if_full(offer: Offer, slot: slots.Slot, exclude: int | None = None) -> None:
    if _taken(offer, slot.start, exclude) >= offer.places:
        raise Conflict(
            _("This slot is full: choose another time."),
            code=Code.SLOT_FULL,
        )


def _person_seen(actor: Agent, person: Person) -> Person:
    found = policy.visible(actor, Person.objects.filter(pk=person.pk)).first()
    if found is None:
        raise NotFound(_("No such person."))
    return found


def _dossier_checked(actor: Agent, dossier: Dossier | None, person: Person) -> None:
    if dossier is None:
        return
    if not policy.may(actor, DossierAction.DOSSIER_VIEW, dossier):
        raise NotFound(_("No such dossier."))
    if dossier.person_id != person.pk:
        problems = Problems()
        problems.add(
            "dossier", Code.NOT_THE_PERSON, _("This dossier is not this person's.")
        )
        problems.raise_if_any()


def _summary(appointment: Appointment, **extra: Any) -> dict[str, Any]:
    return {
        "reference": appointment.reference,
        "offer": appointment.offer.code,
        "person": str(appointment.person.uuid),
        "dossier": appointment.dossier.reference if appointment.dossier else None,
        "start": appointment.start.isoformat(),
        "status": appointment.status,
        **extra,
    }


def appointment_book(
    *,
    actor: Agent,
    offer: Offer,
    person: Person,
    start: dt.datetime,
    dossier: Dossier | None = None,
    note: str = "",
) -> Appointment:
    """Book `person` on the slot of `offer` starting at `start` (optionally for
    `dossier`), and tell them. Refused, nothing written: a slot outside the
    offer's hours, on a holiday or closing day, in the past, off the grid, with
    its agent away, or full."""
    policy.require(actor, Action.BOOK, offer)
    seen = _person_seen(actor, person)
    _dossier_checked(actor, dossier, seen)
    problems = Problems()
    clean_note = text(problems, "note", note, required=False, max_length=500)
    problems.raise_if_any()
    with transaction.atomic():
        locked = (
            Offer.objects.select_for_update().select_related("team").get(pk=offer.pk)
        )
        slot = _slot(locked, start)
        _refuse_if_full(locked, slot)
        year = clock.today().year
        appointment = Appointment.objects.create(
            offer=locked,
            person=seen,
            dossier=dossier,
            year=year,
            number=next_in_series(AppointmentNumbering, year=year),
            start=slot.start,
            end=slot.end,
            language=seen.language if seen.language in LANGUAGES else Language.FR,
            note=clean_note,
            booked_by=actor,
        )
        audit_record(
            actor=actor,
            action="agenda.appointment_book",
            obj=appointment,
            summary=_summary(appointment),
        )
        _tell(actor, appointment, MessageKind.CONFIRMATION)
    return appointment


def _locked(appointment: Appointment, expected_version: int | None) -> Appointment:
    """Lock the offer, then the appointment (the fixed order), and check its version."""
    offer_id = appointment.offer_id or (
        Appointment.objects.values_list("offer_id", flat=True).get(pk=appointment.pk)
    )
    Offer.objects.select_for_update().filter(pk=offer_id).first()
    locked = (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("offer", "offer__team", "person", "dossier")
        .get(pk=appointment.pk)
    )
    if expected_version is not None:
        check_version(locked, expected_version)
    return locked


def _require_status(appointment: Appointment, *allowed: str) -> None:
    if appointment.status not in allowed:
        raise Conflict(
            _("This appointment is %(status)s: it cannot change so."),
            params={"status": appointment.get_status_display()},
            code=Code.WRONG_STATE,
        )


def appointment_move(
    *,
    actor: Agent,
    appointment: Appointment,
    start: dt.datetime,
    expected_version: int,
) -> Appointment:
    """Move a booked appointment to another slot of its offer, and tell the citizen
    (the same `.ics` event, its SEQUENCE one higher)."""
    policy.require(actor, Action.BOOK, appointment)
    with transaction.atomic():
        locked = _locked(appointment, expected_version)
        _require_status(locked, AppointmentStatus.BOOKED)
        slot = _slot(locked.offer, start)
        _refuse_if_full(locked.offer, slot, exclude=locked.pk)
        before = locked.start.isoformat()
        versioned_update(
            locked,
            expected_version=expected_version,
            start=slot.start,
            end=slot.end,
            sequence=F("sequence") + 1,
        )
        audit_record(
            actor=actor,
            action="agenda.appointment_move",
            obj=locked,
            summary=_summary(locked, before=before),
        )
        _tell(actor, locked, MessageKind.UPDATE)
    return locked


def appointment_cancel(
    *,
    actor: Agent,
    appointment: Appointment,
    expected_version: int,
    reason: str = "",
) -> Appointment:
    """Cancel a booked appointment (its place is free again), and tell the citizen
    (METHOD CANCEL)."""
    policy.require(actor, Action.BOOK, appointment)
    problems = Problems()
    clean_reason = text(problems, "reason", reason, required=False, max_length=500)
    problems.raise_if_any()
    with transaction.atomic():
        locked = _locked(appointment, expected_version)
        _require_status(locked, AppointmentStatus.BOOKED, AppointmentStatus.CHECKED_IN)
        versioned_update(
            locked,
            expected_version=expected_version,
            status=AppointmentStatus.CANCELLED,
            cancel_reason=clean_reason,
            ended_at=clock.now(),
            sequence=F("sequence") + 1,
        )
        audit_record(
            actor=actor,
            action="agenda.appointment_cancel",
            obj=locked,
            summary=_summary(locked),
            reason=clean_reason,
        )
        _tell(actor, locked, MessageKind.CANCELLATION)
    return locked


def _end(
    actor: Agent | None,
    appointment: Appointment,
    expected_version: int | None,
    status: str,
    allowed: Sequence[str],
) -> Appointment:
    with transaction.atomic():
        locked = _locked(appointment, expected_version)
        _require_status(locked, *allowed)
        if status == AppointmentStatus.NO_SHOW and locked.start > clock.now():
            raise Conflict(
                _("The appointment has not started yet."), code=Code.TOO_EARLY
            )
        versioned_update(
            locked,
            expected_version=locked.version,
            status=status,
            ended_at=clock.now(),
        )
        audit_record(
            actor=actor,
            action=f"agenda.appointment_{status}",
            obj=locked,
            summary=_summary(locked),
        )
    return locked


def appointment_no_show(
    *, actor: Agent, appointment: Appointment, expected_version: int
) -> Appointment:
    """The citizen did not come (once the appointment has started)."""
    policy.require(actor, Action.BOOK, appointment)
    return _end(
        actor,
        appointment,
        expected_version,
        AppointmentStatus.NO_SHOW,
        [AppointmentStatus.BOOKED],
    )


def appointment_served(
    *, actor: Agent, appointment: Appointment, expected_version: int
) -> Appointment:
    """The citizen was served."""
    policy.require(actor, Action.BOOK, appointment)
    return _end(
        actor,
        appointment,
        expected_version,
        AppointmentStatus.SERVED,
        [AppointmentStatus.BOOKED, AppointmentStatus.CHECKED_IN],
    )


def appointment_check_in(*, appointment: Appointment) -> Appointment:
    """The citizen arrived (at the kiosk or a desk of the counter, which called
    the policy itself: the kiosk is public). Today's booked appointments only."""
    with transaction.atomic():
        locked = _locked(appointment, None)
        _require_status(locked, AppointmentStatus.BOOKED)
        calendar = calendar_for_team(team=locked.offer.team)
        if slots.local_day(locked.start, calendar) != slots.local_day(
            clock.now(), calendar
        ):
            raise Conflict(_("This appointment is not today."), code=Code.WRONG_STATE)
        versioned_update(
            locked,
            expected_version=None,
            status=AppointmentStatus.CHECKED_IN,
            checked_in_at=clock.now(),
        )
        audit_record(
            actor=None,
            action="agenda.appointment_check_in",
            obj=locked,
            summary=_summary(locked),
        )
    return locked


def appointment_served_at_counter(*, appointment_id: int) -> Appointment:
    """The desk served the checked-in citizen (`visits` checked the desk's policy
    and calls this inside its own transaction): the appointment is served."""
    with transaction.atomic():
        locked = _locked(Appointment(pk=appointment_id), None)
        if locked.status != AppointmentStatus.CHECKED_IN:
            return locked
        versioned_update(
            locked,
            expected_version=None,
            status=AppointmentStatus.SERVED,
            ended_at=clock.now(),
        )
        audit_record(
            actor=None,
            action="agenda.appointment_served",
            obj=locked,
            summary=_summary(locked, by="counter"),
        )
    return locked


def appointments_no_show_sweep(*, now: dt.datetime | None = None) -> int:
    """Record as no-shows the booked appointments that ended `NO_SHOW_AFTER` ago
    without a check-in (a periodic task; each in its own transaction, re-read
    under its lock, so a doubled run records each once)."""
    moment = now or clock.now()
    due = Appointment.objects.filter(
        status=AppointmentStatus.BOOKED, end__lt=moment - NO_SHOW_AFTER
    ).values_list("pk", flat=True)
    count = 0
    for pk in list(due[:500]):
        with transaction.atomic():
            locked = _locked(Appointment(pk=pk), None)
            if locked.status != AppointmentStatus.BOOKED:
                continue
            versioned_update(
                locked,
                expected_version=None,
                status=AppointmentStatus.NO_SHOW,
                ended_at=moment,
            )
            audit_record(
                actor=None,
                action="agenda.appointment_no_show",
                obj=locked,
                summary=_summary(locked, by="sweep"),
            )
            count += 1
    return count


# ---------------------------------------------------------------- messages


def _address(person: Person) -> str:
    return str(
        person.emails.order_by("-is_primary", "id")
        .values_list("address", flat=True)
        .first()
        or ""
    )


def _enqueue(message: AppointmentMessage) -> None:
    from guichet.agenda.tasks import send_appointment_message

    send_appointment_message.enqueue(str(message.uuid))


def _tell(
    actor: Agent | None, appointment: Appointment, kind: str
) -> AppointmentMessage:
    """Queue the message of `kind` to the citizen, inside the caller's transaction:
    an e-mail when they have an address, else a letter (not a reminder)."""
    appointment.refresh_from_db(fields=["sequence", "start", "end", "status"])
    address = _address(appointment.person)
    message = AppointmentMessage(
        appointment=appointment,
        kind=kind,
        sequence=appointment.sequence,
        address=address,
    )
    if address:
        message.save(force_insert=True)
        _enqueue(message)
        return message
    if kind == MessageKind.REMINDER or actor is None:
        message.status = MessageStatus.NO_CHANNEL
        message.save(force_insert=True)
        return message
    try:
        with transaction.atomic():
            letter = _letter(actor, appointment, kind)
    except GuichetError as error:
        message.status = MessageStatus.NO_CHANNEL
        message.error = str(error.message)[:1000]
    else:
        message.status = MessageStatus.LETTER
        message.letter = str(letter.uuid)
    message.save(force_insert=True)
    return message


def _letter(actor: Agent, appointment: Appointment, kind: str) -> Any:
    from guichet.correspondence.services.letters import letter_draft_create

    subject, body = message_texts(appointment, kind)
    references = {"appointment": appointment.reference}
    if appointment.dossier is not None:
        references["dossier"] = appointment.dossier.reference
    return letter_draft_create(
        actor=actor,
        person_id=appointment.person.uuid,
        language=appointment.language,
        team=appointment.offer.team.code,
        subject=subject,
        body=body,
        references=references,
    )


def local_time(moment: dt.datetime, team: Team) -> dt.datetime:
    return moment.astimezone(calendar_for_team(team=team).zone)


def message_texts(appointment: Appointment, kind: str) -> tuple[str, str]:
    """The subject and body of a message, in the citizen's language."""
    offer = appointment.offer
    when = local_time(appointment.start, offer.team)
    with translation.override(appointment.language):
        values = {
            "reference": appointment.reference,
            "what": offer.name(appointment.language),
            "day": formats.date_format(when, "DATE_FORMAT"),
            "time": when.strftime("%H:%M"),
            "service": offer.team.name,
        }
        subjects = {
            MessageKind.CONFIRMATION: gettext("Your appointment %(reference)s"),
            MessageKind.UPDATE: gettext("Your appointment %(reference)s has moved"),
            MessageKind.CANCELLATION: gettext(
                "Your appointment %(reference)s is cancelled"
            ),
            MessageKind.REMINDER: gettext(
                "Reminder: your appointment %(reference)s tomorrow"
            ),
        }
        if kind == MessageKind.CANCELLATION:
            body = gettext(
                "Your appointment %(reference)s (%(what)s) of %(day)s at %(time)s "
                "is cancelled.\n\n%(service)s"
            )
        else:
            body = gettext(
                "You have an appointment %(reference)s (%(what)s) on %(day)s at "
                "%(time)s (Brussels time). Please bring your identity document.\n\n"
                "%(service)s"
            )
        return subjects[MessageKind(kind)] % values, body % values


def _domain() -> str:
    return (
        settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip(">") or "guichet.invalid"
    )


def appointment_ics(appointment: Appointment) -> bytes:
    """The `.ics` of the appointment as it is now."""
    _subject, body = message_texts(appointment, MessageKind.CONFIRMATION)
    return ics.ics_bytes(
        ics.IcsEvent(
            uid=ics.uid_for(appointment.uuid, _domain()),
            sequence=appointment.sequence,
            start=appointment.start,
            end=appointment.end,
            summary=f"{appointment.offer.name(appointment.language)} "
            f"({appointment.reference})",
            description=body,
            location=appointment.offer.team.name,
            stamp=clock.now(),
            cancelled=appointment.status == AppointmentStatus.CANCELLED,
        )
    )


def _email(message: AppointmentMessage) -> EmailMessage:
    appointment = message.appointment
    subject, body = message_texts(appointment, message.kind)
    email = EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.address],
        headers={"Message-ID": f"<{message.uuid}@{_domain()}>"},
    )
    method = "CANCEL" if message.kind == MessageKind.CANCELLATION else "PUBLISH"
    email.attach(
        f"{appointment.reference}.ics",
        appointment_ics(appointment),
        f"text/calendar; method={method}; charset=utf-8",
    )
    return email


def appointment_message_deliver(*, message_id: Any) -> AppointmentMessage:
    """Send one queued e-mail (a system task; safe to run twice): claimed by a
    conditional update before the SMTP conversation, marked sent after it; a
    failure leaves it failed with its error, for the task's retry."""
    now = clock.now()
    claimable = Q(status__in=[MessageStatus.QUEUED, MessageStatus.FAILED]) | Q(
        status=MessageStatus.SENDING, updated_at__lt=now - SENDING_TIMEOUT
    )
    claimed = AppointmentMessage.objects.filter(claimable, uuid=message_id).update(
        status=MessageStatus.SENDING, attempts=F("attempts") + 1, updated_at=now
    )
    message = AppointmentMessage.objects.select_related(
        "appointment__offer__team", "appointment__person"
    ).get(uuid=message_id)
    if not claimed:
        return message
    try:
        _email(message).send()
    except (smtplib.SMTPException, OSError) as error:
        logger.warning(
            "E-mail of appointment message %s failed: %s", message.uuid, error
        )
        AppointmentMessage.objects.filter(pk=message.pk).update(
            status=MessageStatus.FAILED, error=str(error)[:1000], updated_at=clock.now()
        )
        message.refresh_from_db()
        return message
    with transaction.atomic():
        sent_at = clock.now()
        AppointmentMessage.objects.filter(pk=message.pk).update(
            status=MessageStatus.SENT, sent_at=sent_at, error="", updated_at=sent_at
        )
        audit_record(
            actor=None,
            action="agenda.appointment_message_send",
            obj=message.appointment,
            summary={"kind": message.kind, "message": str(message.uuid)},
        )
    message.refresh_from_db()
    return message


def appointment_reminders_queue(*, now: dt.datetime | None = None) -> int:
    """Queue the reminder of every booked appointment of tomorrow (local day of
    its team) that has none yet: at most one per appointment, whatever the runs."""
    moment = now or clock.now()
    count = 0
    candidates = (
        Appointment.objects.filter(
            status=AppointmentStatus.BOOKED,
            start__gt=moment,
            start__lt=moment + dt.timedelta(days=2),
        )
        .exclude(messages__kind=MessageKind.REMINDER)
        .select_related("offer__team", "person")
    )
    for appointment in candidates:
        calendar = calendar_for_team(team=appointment.offer.team)
        tomorrow = slots.local_day(moment, calendar) + dt.timedelta(days=1)
        if slots.local_day(appointment.start, calendar) != tomorrow:
            continue
        with transaction.atomic():
            locked = _locked(appointment, None)
            if (
                locked.status != AppointmentStatus.BOOKED
                or locked.messages.filter(kind=MessageKind.REMINDER).exists()
            ):
                continue
            _tell(None, locked, MessageKind.REMINDER)
            count += 1
    return count
