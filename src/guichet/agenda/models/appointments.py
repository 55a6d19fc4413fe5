"""Appointment slots for citizens (issue #17, part 1).

- `Offer`: what a team offers by appointment (passport biometrics, a hand-over, a
  visit at the payment office), named in the four languages, with its slot length,
  its places per slot and its weekly hours in Europe/Brussels wall-clock time;
  optionally served by one named agent (whose absences remove slots) and at one
  counter service of the queue (named by its code: `visits` sits above this app).
- `Appointment`: a citizen (a `parties.Person`) booked on one slot of an offer,
  optionally for a dossier; numbered `APT-YYYY-NNNNN` per year without gap.
- `AppointmentNumbering`: the last number given in a year (locked to give the next).
- `AppointmentMessage`: one message to the citizen (confirmation, update,
  cancellation, reminder), sent by a background task; a reminder exists at most
  once per appointment (a unique constraint), so the daily run reminds nobody twice.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from guichet.agents.models import Language, Team
from guichet.calendars.models import HOURS_HELP, WEEKDAY_FIELDS
from guichet.core.models import BaseModel, VersionedModel
from guichet.dossiers.models import Dossier
from guichet.parties.models import Person

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

__all__ = [
    "WEEKDAY_FIELDS",
    "Appointment",
    "AppointmentMessage",
    "AppointmentNumbering",
    "AppointmentStatus",
    "MessageKind",
    "MessageStatus",
    "Offer",
    "Purpose",
]


class Purpose(models.TextChoices):
    BIOMETRICS = "biometrics", _("biometrics")
    HANDOVER = "handover", _("hand-over")
    LEGALISATION = "legalisation", _("legalisation")
    PAYMENT_VISIT = "payment_visit", _("visit at the payment office")
    OTHER = "other", _("other")


def _hours(label: StrOrPromise) -> models.CharField[str, str]:
    return models.CharField(label, max_length=200, blank=True, help_text=HOURS_HELP)


class Offer(VersionedModel):
    """What a team offers by appointment, and when."""

    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="+", verbose_name=_("team")
    )
    code = models.SlugField(_("code"), max_length=40)
    purpose = models.CharField(
        _("purpose"), max_length=16, choices=Purpose.choices, default=Purpose.OTHER
    )
    name_fr = models.CharField(_("name in French"), max_length=120)
    name_nl = models.CharField(_("name in Dutch"), max_length=120)
    name_de = models.CharField(_("name in German"), max_length=120)
    name_en = models.CharField(_("name in English"), max_length=120)
    slot_minutes = models.PositiveSmallIntegerField(_("slot length (minutes)"))
    places = models.PositiveSmallIntegerField(_("places per slot"), default=1)
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("served by"),
    )
    counter_service = models.SlugField(
        _("counter service"),
        max_length=40,
        blank=True,
        help_text=_("The code of the counter service that calls these visitors."),
    )
    monday_hours = _hours(_("Monday"))
    tuesday_hours = _hours(_("Tuesday"))
    wednesday_hours = _hours(_("Wednesday"))
    thursday_hours = _hours(_("Thursday"))
    friday_hours = _hours(_("Friday"))
    saturday_hours = _hours(_("Saturday"))
    sunday_hours = _hours(_("Sunday"))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["team", "code"]
        verbose_name = _("appointment offer")
        verbose_name_plural = _("appointment offers")
        constraints = [
            models.UniqueConstraint(fields=["team", "code"], name="agenda_offer_once"),
            models.CheckConstraint(
                condition=Q(slot_minutes__gte=5, slot_minutes__lte=480),
                name="agenda_offer_slot_length",
            ),
            models.CheckConstraint(
                condition=Q(places__gte=1, places__lte=100),
                name="agenda_offer_places",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    def name(self, language: str) -> str:
        """The offer's name in `language` (fr, nl, de, en), else in English."""
        return str(getattr(self, f"name_{language}", "") or self.name_en)

    def weekly_hours(self) -> list[str]:
        """The hours of each weekday as typed, Monday first."""
        return [getattr(self, name) for name in WEEKDAY_FIELDS]

    @property
    def label(self) -> str:
        """The offer's name in the active language (the screens' language)."""
        return self.name((get_language() or "en")[:2])


class AppointmentStatus(models.TextChoices):
    BOOKED = "booked", _("booked")
    CHECKED_IN = "checked_in", _("checked in")
    SERVED = "served", _("served")
    NO_SHOW = "no_show", _("did not come")
    CANCELLED = "cancelled", _("cancelled")


# The statuses that hold a place of their slot.
HOLDING = (
    AppointmentStatus.BOOKED,
    AppointmentStatus.CHECKED_IN,
    AppointmentStatus.SERVED,
)


class AppointmentNumbering(models.Model):
    """The last appointment number given in a year (locked to give the next)."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    last = models.PositiveIntegerField(_("last number given"), default=0)

    class Meta:
        ordering = ["year"]

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Appointment(VersionedModel):
    """A citizen booked on a slot of an offer."""

    offer = models.ForeignKey(
        Offer,
        on_delete=models.PROTECT,
        related_name="appointments",
        verbose_name=_("offer"),
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("person"),
    )
    dossier = models.ForeignKey(
        Dossier,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dossier"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("number"))
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=AppointmentStatus.choices,
        default=AppointmentStatus.BOOKED,
    )
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.FR
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("booked by"),
    )
    # iCalendar SEQUENCE: grows with each change the citizen is told about.
    sequence = models.PositiveIntegerField(_("sequence"), default=0)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason"), max_length=500, blank=True)

    class Meta:
        ordering = ["start", "id"]
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        indexes = [
            models.Index(
                fields=["offer", "start", "status"], name="agenda_apt_slot_idx"
            ),
            models.Index(fields=["person", "start"], name="agenda_apt_person_idx"),
            models.Index(fields=["status", "start"], name="agenda_apt_status_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "number"], name="agenda_appointment_number_once"
            ),
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")),
                name="agenda_appointment_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"APT-{self.year:04d}-{self.number:05d}"


class MessageKind(models.TextChoices):
    CONFIRMATION = "confirmation", _("confirmation")
    UPDATE = "update", _("change")
    CANCELLATION = "cancellation", _("cancellation")
    REMINDER = "reminder", _("reminder")


class MessageStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    SENDING = "sending", _("being sent")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")
    LETTER = "letter", _("letter drafted")
    NO_CHANNEL = "no_channel", _("no e-mail and no letter")


class AppointmentMessage(BaseModel):
    """One message to the citizen about an appointment, by e-mail (with its
    `.ics`) or, without an e-mail address, by letter."""

    appointment = models.ForeignKey(
        Appointment,
        on_delete=models.PROTECT,
        related_name="messages",
        verbose_name=_("appointment"),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=MessageKind.choices)
    sequence = models.PositiveIntegerField(_("sequence"))
    address = models.CharField(_("e-mail address"), max_length=254, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=MessageStatus.choices,
        default=MessageStatus.QUEUED,
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.CharField(_("error"), max_length=1000, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    letter = models.CharField(_("letter (its id)"), max_length=40, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("appointment message")
        verbose_name_plural = _("appointment messages")
        constraints = [
            models.UniqueConstraint(
                fields=["appointment"],
                condition=Q(kind="reminder"),
                name="agenda_reminder_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.appointment_id}/{self.kind}/{self.sequence}"
