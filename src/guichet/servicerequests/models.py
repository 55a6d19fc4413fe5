"""Requests and complaints, their routing, service levels and timeline
(docs/adr/0005-contacts-and-requests.md).

A request is an information request, a question or a complaint that is not closed
at once. It sits in one team's queue, may be owned by one agent, moves through the
statuses of `transitions.py`, and carries its due instants (first answer,
resolution), computed when it is created in the owning team's business calendar
under the service-level rule it keeps, so queues sort and filter on stored columns.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from guichet.agents.models import Language, Team
from guichet.contacts.models import Channel, Contact, Topic
from guichet.core.models import AppendOnlyModel, BaseModel, VersionedModel
from guichet.parties.models import Organisation, Person


class Kind(models.TextChoices):
    INFORMATION = "information", _("information request")
    QUESTION = "question", _("question")
    COMPLAINT = "complaint", _("complaint")


class Priority(models.TextChoices):
    LOW = "low", _("low")
    NORMAL = "normal", _("normal")
    HIGH = "high", _("high")
    URGENT = "urgent", _("urgent")


class Status(models.TextChoices):
    NEW = "new", _("new")
    IN_PROGRESS = "in_progress", _("in progress")
    WAITING_CITIZEN = "waiting_citizen", _("waiting for the citizen")
    WAITING_OTHER = "waiting_other", _("waiting for another service")
    ANSWERED = "answered", _("answered")
    CLOSED = "closed", _("closed")
    REOPENED = "reopened", _("reopened")


OPEN_STATUSES = (
    Status.NEW,
    Status.IN_PROGRESS,
    Status.WAITING_CITIZEN,
    Status.WAITING_OTHER,
    Status.REOPENED,
)


class Seriousness(models.TextChoices):
    MINOR = "minor", _("minor")
    SERIOUS = "serious", _("serious")
    VERY_SERIOUS = "very_serious", _("very serious")


class Classification(models.TextChoices):
    FOUNDED = "founded", _("founded")
    PARTLY_FOUNDED = "partly_founded", _("partly founded")
    UNFOUNDED = "unfounded", _("unfounded")


class ServiceLevelRule(BaseModel):
    """Hours of business time to the first answer and to resolution, for requests of
    a kind (and a topic, a priority, when given). Never edited once a request uses
    it: a change is a new rule, so a request keeps the rule it was created under."""

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    topic = models.ForeignKey(
        Topic,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="service_level_rules",
        verbose_name=_("topic"),
    )
    priority = models.CharField(
        _("priority"), max_length=8, choices=Priority.choices, blank=True
    )
    first_answer_hours = models.DecimalField(
        _("hours to the first answer"), max_digits=7, decimal_places=2
    )
    resolution_hours = models.DecimalField(
        _("hours to resolution"), max_digits=7, decimal_places=2
    )
    warn_before_hours = models.DecimalField(
        _("warn this many hours before"), max_digits=7, decimal_places=2, default=4
    )
    is_active = models.BooleanField(_("in use for new requests"), default=True)

    class Meta:
        verbose_name = _("service-level rule")
        verbose_name_plural = _("service-level rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(first_answer_hours__gt=0)
                & Q(resolution_hours__gte=models.F("first_answer_hours")),
                name="servicerequests_sla_hours_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind}/{self.topic_id or '*'}/{self.priority or '*'}"


class RoutingRule(BaseModel):
    """Requests of this topic (or a topic below it), language and priority go to this
    team's queue; the most specific active rule wins, then the lowest `order`."""

    topic = models.ForeignKey(
        Topic,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="routing_rules",
        verbose_name=_("topic"),
    )
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, blank=True
    )
    priority = models.CharField(
        _("priority"), max_length=8, choices=Priority.choices, blank=True
    )
    team = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        related_name="routing_rules",
        verbose_name=_("queue of"),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")

    def __str__(self) -> str:
        return f"{self.topic_id or '*'}/{self.language or '*'}/{self.priority or '*'} -> {self.team_id}"


class Request(VersionedModel):
    """A request or complaint; its reference is `REQ-YYYY-NNNNNNN` from its id."""

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    subject = models.CharField(_("subject"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requests",
        verbose_name=_("person concerned"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requests",
        verbose_name=_("organisation concerned"),
    )
    requester_person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requests_made",
        verbose_name=_("requester"),
        help_text=_("Who asked, when not the person concerned."),
    )
    requester_name = models.CharField(_("requester's name"), max_length=200, blank=True)
    topic = models.ForeignKey(
        Topic,
        on_delete=models.PROTECT,
        related_name="requests",
        verbose_name=_("topic"),
    )
    priority = models.CharField(
        _("priority"), max_length=8, choices=Priority.choices, default=Priority.NORMAL
    )
    channel = models.CharField(
        _("channel of origin"), max_length=10, choices=Channel.choices
    )
    reply_channel = models.CharField(
        _("channel for replies"), max_length=10, choices=Channel.choices
    )
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    team = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        related_name="requests",
        verbose_name=_("queue of"),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requests_owned",
        verbose_name=_("owner"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="requests_created",
        verbose_name=_("created by"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.NEW
    )
    received_at = models.DateTimeField(
        _("received at"), help_text=_("When the service-level clock started.")
    )
    service_level_rule = models.ForeignKey(
        ServiceLevelRule,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requests",
        verbose_name=_("service-level rule"),
    )
    first_answer_due = models.DateTimeField(
        _("first answer due"), null=True, blank=True
    )
    resolution_due = models.DateTimeField(_("resolution due"), null=True, blank=True)
    first_answered_at = models.DateTimeField(
        _("first answered at"), null=True, blank=True
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    paused_since = models.DateTimeField(_("clock paused since"), null=True, blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent request"),
    )
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged",
        verbose_name=_("merged into"),
    )
    # Complaints only.
    complaint_about = models.TextField(_("complaint about"), blank=True)
    complaint_service = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints_about",
        verbose_name=_("service complained about"),
    )
    seriousness = models.CharField(
        _("seriousness"), max_length=12, choices=Seriousness.choices, blank=True
    )
    classification = models.CharField(
        _("classification"), max_length=16, choices=Classification.choices, blank=True
    )
    contacts: models.ManyToManyField[Contact, RequestContact] = models.ManyToManyField(
        Contact, through="RequestContact", related_name="requests", blank=True
    )

    class Meta:
        ordering = ["resolution_due", "id"]
        verbose_name = _("request")
        verbose_name_plural = _("requests")
        indexes = [
            # A team's queue: open requests by deadline.
            models.Index(
                fields=["team", "resolution_due"],
                condition=Q(status__in=[s.value for s in OPEN_STATUSES]),
                name="requests_open_queue_idx",
            ),
            models.Index(fields=["owner", "status"], name="requests_owner_idx"),
            models.Index(fields=["person", "-created_at"], name="requests_person_idx"),
            # The supervisor's dashboard: a team's first answers and resolutions
            # of a period (reports.dashboards), read without the team's history.
            models.Index(
                fields=["team", "first_answered_at"],
                condition=Q(first_answered_at__isnull=False),
                name="requests_first_answer_idx",
            ),
            models.Index(
                fields=["team", "resolved_at"],
                condition=Q(resolved_at__isnull=False),
                name="requests_resolved_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(merged_into=models.F("id")),
                name="requests_not_merged_into_itself",
            ),
            models.CheckConstraint(
                condition=~Q(parent=models.F("id")),
                name="requests_not_own_parent",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return reference_of(self.pk, self.created_at.year if self.created_at else 0)


def reference_of(pk: int | None, year: int) -> str:
    return f"REQ-{year:04d}-{pk or 0:07d}"


class RequestContact(models.Model):
    """A contact attached to a request (the request holds the link)."""

    request = models.ForeignKey(
        Request, on_delete=models.CASCADE, related_name="contact_links"
    )
    contact = models.ForeignKey(
        Contact, on_delete=models.PROTECT, related_name="request_links"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["request", "contact"], name="requests_contact_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.request_id}:{self.contact_id}"


class EventKind(models.TextChoices):
    CREATED = "created", _("created")
    STATUS = "status", _("status changed")
    NOTE = "note", _("internal note")
    REPLY = "reply", _("reply to the citizen")
    CONTACT = "contact", _("contact attached")
    IDENTIFIED = "identified", _("person identified")
    ASSIGNED = "assigned", _("assigned")
    TAKEN = "taken", _("taken")
    HANDOVER = "handover", _("handed over")
    MERGED = "merged", _("merged")
    LINKED = "linked", _("linked")
    WARNING = "warning", _("deadline near")
    BREACH = "breach", _("deadline passed")
    ESCALATED = "escalated", _("escalated to the supervisor")


class RequestEvent(AppendOnlyModel):
    """One line of a request's timeline; never changed, never removed. After a
    merge, the events stay on the request they happened to (its timeline is shown
    with the surviving request's)."""

    request = models.ForeignKey(
        Request, on_delete=models.PROTECT, related_name="events"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=EventKind.choices)
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agent"),
    )
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16, blank=True)
    text = models.TextField(_("text"), blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["request", "created_at"], name="request_events_idx")
        ]


class Deadline(models.TextChoices):
    FIRST_ANSWER = "first_answer", _("first answer")
    RESOLUTION = "resolution", _("resolution")


class SignalKind(models.TextChoices):
    WARNING = "warning", _("warning")
    BREACH = "breach", _("breach")
    ESCALATION = "escalation", _("escalation")


class ServiceLevelSignal(AppendOnlyModel):
    """A warning before a deadline, a breach of it, or its escalation: recorded once
    per request, deadline and due instant, and never recalculated away."""

    request = models.ForeignKey(
        Request, on_delete=models.PROTECT, related_name="signals"
    )
    deadline = models.CharField(max_length=12, choices=Deadline.choices)
    kind = models.CharField(max_length=10, choices=SignalKind.choices)
    due_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["request", "deadline", "kind", "due_at"],
                name="requests_signal_once",
            )
        ]
        indexes = [
            # The supervisor's dashboard: the breaches due in a period.
            models.Index(
                fields=["due_at"],
                condition=Q(kind="breach"),
                name="requests_signal_breach_idx",
            )
        ]


class RequestPause(models.Model):
    """A span during which the request's clock stood still (waiting for the
    citizen); `ended_at` is empty while it lasts."""

    request = models.ForeignKey(
        Request, on_delete=models.CASCADE, related_name="pauses"
    )
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["started_at"]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M}"
