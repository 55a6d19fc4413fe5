"""Meetings, rooms and equipment, events (issue #17, parts 2 and 3).

- A **meeting** has an organiser (an agent), a title, a place (a free text and,
  through its bookings, rooms and equipment), a start and an end (aware, stored
  UTC), and participants: agents, or external people known by their e-mail
  address. Each change that participants must hear of grows `sequence`, the
  iCalendar SEQUENCE of the invitations (one UID per meeting: its uuid).
- A **resource** is a room or a piece of equipment (a projector), with a
  capacity and features; it is booked for a meeting or an event. Two bookings of
  one resource never overlap: the services check it under a lock, and on
  PostgreSQL an exclusion constraint over the booking's time range refuses it
  too (`NoOverlapOnPostgres`, which is no constraint at all on SQLite).
- An **event** (a training, an information session) takes registrations up to
  its capacity, then a waiting list in the order of arrival.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateTimeRangeField, RangeOperators
from django.db import DEFAULT_DB_ALIAS, models
from django.db.models import Func, Q
from django.utils.translation import gettext_lazy as _

from guichet.core.models import BaseModel, VersionedModel


class TsTzRange(Func):
    """`tstzrange(start, end)`: the half-open range `[start, end)`."""

    function = "TSTZRANGE"
    output_field = DateTimeRangeField()


class NoOverlapOnPostgres(ExclusionConstraint):
    """An exclusion constraint that exists only on PostgreSQL.

    SQLite has no exclusion constraints: there the table is created without it
    (its SQL is empty) and the services' locked check is the only guard."""

    def constraint_sql(self, model: Any, schema_editor: Any) -> Any:
        if schema_editor.connection.vendor != "postgresql":
            return ""
        return super().constraint_sql(model, schema_editor)

    def create_sql(self, model: Any, schema_editor: Any) -> Any:
        if schema_editor.connection.vendor != "postgresql":
            return None
        return super().create_sql(model, schema_editor)

    def remove_sql(self, model: Any, schema_editor: Any) -> Any:
        if schema_editor.connection.vendor != "postgresql":
            return None
        return super().remove_sql(model, schema_editor)

    def validate(
        self,
        model: Any,
        instance: Any,
        exclude: Any = None,
        using: str = DEFAULT_DB_ALIAS,
    ) -> None:
        from django.db import connections

        if connections[using].vendor != "postgresql":
            return
        super().validate(model, instance, exclude=exclude, using=using)


class Someone:
    """An agent, or an external person known by their e-mail address."""

    agent: Any
    email: str
    name: str

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.agent is not None:
            return str(self.agent.get_full_name() or self.agent.username)
        return self.name or self.email

    @property
    def address(self) -> str:
        return str(self.agent.email) if self.agent is not None else self.email


class Answer(models.TextChoices):
    NEEDS_ACTION = "needs_action", _("no answer yet")
    ACCEPTED = "accepted", _("accepted")
    DECLINED = "declined", _("declined")
    TENTATIVE = "tentative", _("tentative")


class Meeting(VersionedModel):
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="organised_meetings",
        verbose_name=_("organiser"),
    )
    title = models.CharField(_("title"), max_length=200)
    place = models.CharField(_("place"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    sequence = models.PositiveIntegerField(_("iCalendar sequence"), default=0)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    # Where the answer links of external people start (`https://host/public/meetings/`),
    # taken from the request that planned the meeting, for the mails sent later.
    link_base = models.CharField(_("answer link base"), max_length=300, blank=True)

    class Meta:
        ordering = ["start", "id"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        indexes = [models.Index(fields=["start", "end"], name="agenda_meeting_time")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="agenda_meeting_ends"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None


class Participant(Someone, BaseModel):
    """An invited agent (`agent`) or external person (`email`, `name`)."""

    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.CASCADE,
        related_name="participants",
        verbose_name=_("meeting"),
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting_invitations",
        verbose_name=_("agent"),
    )
    email = models.EmailField(_("e-mail address"), blank=True)
    name = models.CharField(_("name"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=2, default="fr")
    answer = models.CharField(
        _("answer"), max_length=16, choices=Answer.choices, default=Answer.NEEDS_ACTION
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    # The SHA-256 of an external participant's link token (never the token).
    token_digest = models.CharField(
        _("link digest"), max_length=64, blank=True, editable=False
    )
    # The last SEQUENCE sent to this participant (-1: nothing sent yet).
    sent_sequence = models.IntegerField(_("last sequence sent"), default=-1)
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)

    class Meta:
        ordering = ["meeting", "id"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "agent"],
                condition=Q(agent__isnull=False),
                name="agenda_participant_agent_once",
            ),
            models.UniqueConstraint(
                fields=["meeting", "email"],
                condition=Q(agent__isnull=True),
                name="agenda_participant_email_once",
            ),
            models.CheckConstraint(
                condition=Q(agent__isnull=False) | ~Q(email=""),
                name="agenda_participant_someone",
            ),
            models.UniqueConstraint(
                fields=["token_digest"],
                condition=~Q(token_digest=""),
                name="agenda_participant_token_unique",
            ),
        ]


class ResourceKind(models.TextChoices):
    ROOM = "room", _("room")
    EQUIPMENT = "equipment", _("equipment")


class Resource(VersionedModel):
    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=16, choices=ResourceKind.choices)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    features = models.JSONField(_("features"), default=list, blank=True)
    location = models.CharField(_("location"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("room or equipment")
        verbose_name_plural = _("rooms and equipment")

    def __str__(self) -> str:
        return self.name


class EventKind(models.TextChoices):
    TRAINING = "training", _("training")
    INFORMATION = "information", _("information session")


class Event(VersionedModel):
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="organised_events",
        verbose_name=_("organiser"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=EventKind.choices)
    title = models.CharField(_("title"), max_length=200)
    place = models.CharField(_("place"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    capacity = models.PositiveIntegerField(_("capacity"))
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    class Meta:
        ordering = ["start", "id"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="agenda_event_ends"
            ),
            models.CheckConstraint(
                condition=Q(capacity__gte=1), name="agenda_event_capacity"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("registered")
    WAITING = "waiting", _("on the waiting list")
    CANCELLED = "cancelled", _("cancelled")


class Registration(Someone, BaseModel):
    event = models.ForeignKey(
        Event,
        on_delete=models.CASCADE,
        related_name="registrations",
        verbose_name=_("event"),
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="event_registrations",
        verbose_name=_("agent"),
    )
    email = models.EmailField(_("e-mail address"), blank=True)
    name = models.CharField(_("name"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=2, default="fr")
    status = models.CharField(
        _("status"), max_length=16, choices=RegistrationStatus.choices
    )
    # Order of arrival in the event (the waiting list's order).
    position = models.PositiveIntegerField(_("position"))

    class Meta:
        ordering = ["event", "position"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "position"], name="agenda_registration_position"
            ),
            models.UniqueConstraint(
                fields=["event", "agent"],
                condition=Q(agent__isnull=False) & ~Q(status="cancelled"),
                name="agenda_registration_agent_once",
            ),
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=Q(agent__isnull=True) & ~Q(status="cancelled"),
                name="agenda_registration_email_once",
            ),
            models.CheckConstraint(
                condition=Q(agent__isnull=False) | ~Q(email=""),
                name="agenda_registration_someone",
            ),
        ]


class Booking(BaseModel):
    """A resource held for a meeting or an event, from `start` to `end` (excluded)."""

    resource = models.ForeignKey(
        Resource,
        on_delete=models.PROTECT,
        related_name="bookings",
        verbose_name=_("room or equipment"),
    )
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="bookings",
        verbose_name=_("meeting"),
    )
    event = models.ForeignKey(
        Event,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="bookings",
        verbose_name=_("event"),
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="resource_bookings",
        verbose_name=_("booked by"),
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    class Meta:
        ordering = ["start", "id"]
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        indexes = [
            models.Index(
                fields=["resource", "start", "end"], name="agenda_booking_time"
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="agenda_booking_ends"
            ),
            models.CheckConstraint(
                condition=Q(meeting__isnull=True) ^ Q(event__isnull=True),
                name="agenda_booking_for_one",
            ),
            NoOverlapOnPostgres(
                name="agenda_booking_no_overlap",
                expressions=[
                    ("resource", RangeOperators.EQUAL),
                    (TsTzRange("start", "end"), RangeOperators.OVERLAPS),
                ],
                condition=Q(cancelled_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.resource} {self.start:%Y-%m-%d %H:%M}"
