"""Contacts: every interaction with a citizen, on every channel, and the topics
they are classified by (docs/adr/0005-contacts-and-requests.md).

A contact records who (an identified person or organisation, or anonymous with what
is known), on whose behalf (the caller, when not the person concerned), the channel
and direction, when it started and ended (the duration is measured), the agent and
the service they acted for, the topic, a summary and the outcome. A visit at the
counter also keeps when the visitor took their ticket (`waiting_since`), so that the
figures of the channels (`selectors.channel_figures`) know the waiting times. Topics are a
hierarchical taxonomy per service, named in the four languages of the workspace.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from guichet.agents.models import Language, Team
from guichet.core.models import VersionedModel
from guichet.parties.models import Organisation, Person


class Topic(VersionedModel):
    """A subject a contact or a request is about, in one service's taxonomy (or in
    every service's, when `team` is empty)."""

    team = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="topics",
        verbose_name=_("service"),
        help_text=_("Empty: a topic every service uses."),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent topic"),
    )
    code = models.SlugField(_("code"), max_length=60)
    name_fr = models.CharField(_("name in French"), max_length=150)
    name_nl = models.CharField(_("name in Dutch"), max_length=150)
    name_de = models.CharField(_("name in German"), max_length=150)
    name_en = models.CharField(_("name in English"), max_length=150)
    is_active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        constraints = [
            models.UniqueConstraint(
                fields=["team", "code"], name="contacts_topic_code_per_team"
            ),
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(team__isnull=True),
                name="contacts_shared_topic_code",
            ),
            models.CheckConstraint(
                condition=~Q(parent=models.F("id")),
                name="contacts_topic_not_own_parent",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    def name(self, language: str) -> str:
        """The topic's name in `language` (fr, nl, de, en), else in English."""
        return str(getattr(self, f"name_{language}", "") or self.name_en)


class Channel(models.TextChoices):
    PHONE = "phone", _("phone")
    EMAIL = "email", _("e-mail")
    COUNTER = "counter", _("counter")
    LETTER = "letter", _("letter")
    FAX = "fax", _("fax")
    WEB_FORM = "web_form", _("web form")
    CHAT = "chat", _("chat")


class Direction(models.TextChoices):
    INBOUND = "inbound", _("from the citizen")
    OUTBOUND = "outbound", _("to the citizen")


class Outcome(models.TextChoices):
    ANSWERED = "answered", _("answered at once")
    REQUEST_CREATED = "request_created", _("request created")
    FORWARDED = "forwarded", _("forwarded")
    NO_ANSWER = "no_answer", _("no answer possible")


class CallerRelation(models.TextChoices):
    """Who called, wrote or came for the person concerned."""

    REPRESENTATIVE = "representative", _("legal representative")
    SOCIAL_WORKER = "social_worker", _("social worker")
    RELATIVE = "relative", _("relative")
    LAWYER = "lawyer", _("lawyer")
    EMPLOYER = "employer", _("employer")
    OTHER = "other", _("other")


class Contact(VersionedModel):
    """One interaction with a citizen (or a company, or someone on their behalf)."""

    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    direction = models.CharField(
        _("direction"),
        max_length=8,
        choices=Direction.choices,
        default=Direction.INBOUND,
    )
    started_at = models.DateTimeField(_("started at"), db_index=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="contacts",
        verbose_name=_("agent"),
    )
    team = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        related_name="contacts",
        verbose_name=_("service"),
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contacts",
        verbose_name=_("person concerned"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contacts",
        verbose_name=_("organisation concerned"),
    )
    caller_person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contacts_as_caller",
        verbose_name=_("caller"),
        help_text=_("Who called, wrote or came, when not the person concerned."),
    )
    caller_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contacts_as_caller",
        verbose_name=_("caller's organisation"),
    )
    caller_name = models.CharField(_("caller's name"), max_length=200, blank=True)
    caller_relation = models.CharField(
        _("caller's relation"),
        max_length=16,
        choices=CallerRelation.choices,
        blank=True,
    )
    anonymous_details = models.TextField(
        _("what is known"),
        blank=True,
        help_text=_("For an unidentified caller: the name given, a number, a place."),
    )
    address_used = models.CharField(
        _("number or address used"),
        max_length=254,
        blank=True,
        help_text=_("The phone number that called, the e-mail address that wrote."),
    )
    topic = models.ForeignKey(
        Topic,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contacts",
        verbose_name=_("topic"),
    )
    summary = models.TextField(_("summary"), blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=16, choices=Outcome.choices, blank=True
    )
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, blank=True
    )
    waiting_since = models.DateTimeField(
        _("waiting since"),
        null=True,
        blank=True,
        help_text=_(
            "When the visitor took their ticket at the counter: the wait lasted "
            "until the contact started."
        ),
    )

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        indexes = [
            models.Index(fields=["person", "-started_at"], name="contacts_person_idx"),
            models.Index(fields=["team", "-started_at"], name="contacts_team_idx"),
            models.Index(
                fields=["organisation", "-started_at"], name="contacts_org_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True)
                | Q(ended_at__gte=models.F("started_at")),
                name="contacts_contact_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(waiting_since__isnull=True)
                | Q(waiting_since__lte=models.F("started_at")),
                name="contacts_contact_waits_before_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.started_at:%Y-%m-%d %H:%M}"
