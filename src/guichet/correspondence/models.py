"""Correspondence: letter templates, outgoing letters, incoming mail, minutes.

Outgoing letters and incoming mail are numbered per service (team) and year from a
gap-free counter (`Counter`, locked in `locks.py`). A letter's archived PDF/A and any
uploaded DOCX are stored by SHA-256 under MEDIA_ROOT (`archive.py`); the hash kept
here is the one the audit trail recorded, so a swapped file is detected on read.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from guichet.agents.models import Language, Team
from guichet.core.models import BaseModel, VersionedModel
from guichet.parties.models import Organisation, Person


class ImmutableError(RuntimeError):
    """Raised on an attempt to change a record that is archived once and for all."""


class TypeKind(models.TextChoices):
    LETTER = "letter", _("letter")
    FORM = "form", _("fillable form")


class LetterType(BaseModel):
    """A kind of letter the service sends (acknowledgement, request for documents...)."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=10, choices=TypeKind.choices, default=TypeKind.LETTER
    )
    description = models.TextField(
        _("description"),
        blank=True,
        help_text=_("When agents use this letter; shown when they choose one."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("letter type")
        verbose_name_plural = _("letter types")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class LetterTemplate(VersionedModel):
    """The current text of one letter type in one language.

    Every save through `template_save` stores an immutable `LetterTemplateVersion`;
    letters point to the version they were written from.
    """

    letter_type = models.ForeignKey(
        LetterType,
        on_delete=models.PROTECT,
        related_name="templates",
        verbose_name=_("letter type"),
    )
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    title = models.CharField(
        _("title"), max_length=200, help_text=_("The letter's name in this language.")
    )
    subject = models.CharField(
        _("subject"),
        max_length=300,
        help_text=_("Placeholders allowed, such as {{ person.surname }}."),
    )
    body = models.TextField(
        _("body"),
        help_text=_(
            "Paragraphs separated by a blank line. Placeholders: {{ person.surname }}; "
            "free fields the agent fills in: {{ free.name }}; filters: upper, lower, "
            "capfirst ({{ person.surname|upper }}). Forms: [[ name ]], [[ name:area ]], "
            "[[ name:check ]]."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["letter_type__code", "language"]
        verbose_name = _("letter template")
        verbose_name_plural = _("letter templates")
        constraints = [
            models.UniqueConstraint(
                fields=["letter_type", "language"],
                name="correspondence_template_type_language_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.letter_type.code} [{self.language}] v{self.version}"


class LetterTemplateVersion(BaseModel):
    """One saved state of a template; never changed once written."""

    template = models.ForeignKey(
        LetterTemplate,
        on_delete=models.PROTECT,
        related_name="versions",
        verbose_name=_("template"),
    )
    number = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("body"))
    free_fields = models.JSONField(
        _("free fields"), default=list, help_text=_("Names the agent fills in.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("saved by"),
    )

    class Meta:
        ordering = ["template", "-number"]
        verbose_name = _("template version")
        verbose_name_plural = _("template versions")
        constraints = [
            models.UniqueConstraint(
                fields=["template", "number"],
                name="correspondence_template_version_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.template.letter_type.code} [{self.template.language}] v{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ImmutableError("a template version is never changed")
        super().save(*args, **kwargs)


class Letterhead(BaseModel):
    """What a service (team) prints on its letters, and the prefix of its numbers."""

    team = models.OneToOneField(
        Team, on_delete=models.PROTECT, related_name="+", verbose_name=_("service")
    )
    prefix = models.CharField(
        _("number prefix"),
        max_length=6,
        unique=True,
        help_text=_(
            "2 to 6 capital letters that start this service's numbers (LEG/2026/000123)."
        ),
    )
    name_fr = models.CharField(_("name in French"), max_length=200)
    name_nl = models.CharField(_("name in Dutch"), max_length=200)
    name_de = models.CharField(_("name in German"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200)
    place_fr = models.CharField(_("place in French"), max_length=100)
    place_nl = models.CharField(_("place in Dutch"), max_length=100)
    place_de = models.CharField(_("place in German"), max_length=100)
    place_en = models.CharField(_("place in English"), max_length=100)
    address_lines = models.TextField(
        _("postal address"), help_text=_("One line per line, as on an envelope.")
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    website = models.CharField(_("website"), max_length=200, blank=True)

    class Meta:
        ordering = ["prefix"]
        verbose_name = _("letterhead")
        verbose_name_plural = _("letterheads")
        constraints = [
            models.CheckConstraint(
                condition=Q(prefix__regex=r"^[A-Z]{2,6}$"),
                name="correspondence_letterhead_prefix_format",
            )
        ]

    def __str__(self) -> str:
        return f"{self.prefix} - {self.name_en}"

    def name_in(self, language: str) -> str:
        return str(getattr(self, f"name_{language}", "") or self.name_en)

    def place_in(self, language: str) -> str:
        return str(getattr(self, f"place_{language}", "") or self.place_en)


class Series(models.TextChoices):
    OUTGOING = "out", _("outgoing letters")
    INCOMING = "in", _("incoming mail")


class Counter(models.Model):
    """The last number given in one series of one service in one year.

    Incremented under `select_for_update` in the transaction that writes the letter or
    the mail (`locks.next_number`), so a rolled-back write gives its number back.
    """

    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="+", verbose_name=_("service")
    )
    series = models.CharField(_("series"), max_length=3, choices=Series.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    last = models.PositiveIntegerField(_("last number given"), default=0)

    class Meta:
        ordering = ["team", "series", "year"]
        verbose_name = _("number counter")
        verbose_name_plural = _("number counters")
        constraints = [
            models.UniqueConstraint(
                fields=["team", "series", "year"],
                name="correspondence_counter_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.team_id}/{self.series}/{self.year}: {self.last}"


class LetterStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    PENDING_APPROVAL = "pending_approval", _("waiting for approval")
    REJECTED = "rejected", _("rejected")
    ISSUED = "issued", _("issued, not sent yet")
    SENT = "sent", _("sent")
    CANCELLED = "cancelled", _("cancelled")


# Letters anyone who sees the person may read; the others stay within the team.
PUBLISHED_STATUSES = (LetterStatus.ISSUED, LetterStatus.SENT)
EDITABLE_STATUSES = (LetterStatus.DRAFT, LetterStatus.REJECTED)


class Channel(models.TextChoices):
    EMAIL = "email", _("e-mail")
    POST = "post", _("post (printed)")
    COUNTER = "counter", _("handed over at the counter")


class LetterBatch(BaseModel):
    """A mass run of one template over a selection of persons, resumable."""

    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="+", verbose_name=_("service")
    )
    letter_type = models.ForeignKey(
        LetterType,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("letter type"),
    )
    language = models.CharField(
        _("language"),
        max_length=2,
        choices=Language.choices,
        blank=True,
        help_text=_("Empty: each person's preferred language."),
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("started by"),
    )
    query = models.CharField(_("selection query"), max_length=500)
    selection = models.JSONField(
        _("selected persons"),
        default=list,
        help_text=_(
            "Person ids fixed when the batch started, so a resumed run sends to the same persons."
        ),
    )
    free_values = models.JSONField(_("free field values"), default=dict)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("letter batch")
        verbose_name_plural = _("letter batches")

    def __str__(self) -> str:
        return f"{self.uuid} ({self.query})"


class PrintBatch(BaseModel):
    """One PDF of many letters to print and post, with a list on its first page."""

    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="+", verbose_name=_("service")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    pdf_sha256 = models.CharField(_("PDF SHA-256"), max_length=64)
    pdf_size = models.PositiveIntegerField(_("PDF size"))
    letter_count = models.PositiveIntegerField(_("letters"))

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("print batch")
        verbose_name_plural = _("print batches")

    def __str__(self) -> str:
        return f"{self.uuid} ({self.letter_count})"


class Letter(VersionedModel):
    """An outgoing letter to a person: a draft, then a numbered, archived letter."""

    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="+", verbose_name=_("service")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author"),
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="letters",
        verbose_name=_("recipient"),
    )
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    template_version = models.ForeignKey(
        LetterTemplateVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("template version"),
    )
    subject_text = models.CharField(  # noqa: DJ001 - None: the template's subject
        _("subject as written"),
        max_length=300,
        null=True,
        blank=True,
        help_text=_("Empty: the template's subject."),
    )
    body_text = models.TextField(  # noqa: DJ001 - None: the template's text
        _("body as written"),
        null=True,
        blank=True,
        help_text=_("Empty: the template's body."),
    )
    free_values = models.JSONField(_("free field values"), default=dict)
    is_flagged = models.BooleanField(
        _("out of the ordinary"),
        default=False,
        help_text=_("Flagged by the agent: waits for a supervisor's approval."),
    )
    flag_reason = models.TextField(_("why out of the ordinary"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=LetterStatus.choices,
        default=LetterStatus.DRAFT,
    )
    autonomy_kind = models.CharField(
        _("kind of letter"), max_length=20, blank=True, editable=False
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved or rejected by"),
    )
    decided_at = models.DateTimeField(
        _("approved or rejected at"), null=True, blank=True
    )
    decision_reason = models.TextField(_("reason of the decision"), blank=True)
    number = models.CharField(
        _("number"), max_length=32, null=True, blank=True, unique=True
    )
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    sequence = models.PositiveIntegerField(_("sequence"), null=True, blank=True)
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    content = models.JSONField(
        _("content as issued"),
        default=dict,
        help_text=_("Every text of the letter, frozen when it got its number."),
    )
    pdf_sha256 = models.CharField(_("PDF SHA-256"), max_length=64, blank=True)
    pdf_size = models.PositiveIntegerField(_("PDF size"), null=True, blank=True)
    docx_sha256 = models.CharField(
        _("uploaded DOCX SHA-256"),
        max_length=64,
        blank=True,
        help_text=_("The edited document the agent uploaded, kept as received."),
    )
    channel = models.CharField(
        _("sent by"), max_length=10, choices=Channel.choices, blank=True
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    batch = models.ForeignKey(
        LetterBatch,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="letters",
        verbose_name=_("batch"),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("letter")
        verbose_name_plural = _("letters")
        indexes = [
            models.Index(fields=["status", "team"], name="correspondence_letter_queue"),
            models.Index(
                fields=["person", "created_at"], name="correspondence_letter_tl"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "year", "sequence"],
                condition=Q(sequence__isnull=False),
                name="correspondence_letter_sequence_unique",
            ),
            models.UniqueConstraint(
                fields=["batch", "person"],
                condition=Q(batch__isnull=False),
                name="correspondence_letter_one_per_batch_person",
            ),
            models.CheckConstraint(
                condition=Q(number__isnull=True, sequence__isnull=True)
                | Q(number__isnull=False, sequence__isnull=False, year__isnull=False),
                name="correspondence_letter_numbered_whole",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["issued", "sent"]) | Q(number__isnull=False),
                name="correspondence_letter_issued_has_number",
            ),
        ]

    def __str__(self) -> str:
        return self.number or f"draft {self.uuid}"


class LetterReference(BaseModel):
    """A letter's link to another app's object (a dossier, a debt), for its timeline."""

    letter = models.ForeignKey(
        Letter,
        on_delete=models.CASCADE,
        related_name="references",
        verbose_name=_("letter"),
    )
    kind = models.SlugField(_("kind of object"), max_length=32)
    object_id = models.CharField(_("object identifier"), max_length=64)

    class Meta:
        ordering = ["kind", "object_id"]
        verbose_name = _("letter reference")
        verbose_name_plural = _("letter references")
        indexes = [
            models.Index(fields=["kind", "object_id"], name="correspondence_ref_object")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["letter", "kind", "object_id"],
                name="correspondence_reference_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id}"


class DispatchStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    SENDING = "sending", _("being sent")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")


class LetterDispatch(BaseModel):
    """One sending of a letter: by e-mail, in a print batch, or at the counter."""

    letter = models.ForeignKey(
        Letter,
        on_delete=models.PROTECT,
        related_name="dispatches",
        verbose_name=_("letter"),
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=DispatchStatus.choices,
        default=DispatchStatus.QUEUED,
    )
    address = models.CharField(
        _("address"), max_length=254, blank=True, help_text=_("The e-mail address.")
    )
    print_batch = models.ForeignKey(
        PrintBatch,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dispatches",
        verbose_name=_("print batch"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requested by"),
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.TextField(_("last error"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("dispatch")
        verbose_name_plural = _("dispatches")

    def __str__(self) -> str:
        return f"{self.letter_id} {self.channel} {self.status}"


class MailStatus(models.TextChoices):
    REGISTERED = "registered", _("registered, not dispatched")
    DISPATCHED = "dispatched", _("dispatched")


class IncomingMail(VersionedModel):
    """A piece of paper mail, registered with a number and its scan, then dispatched."""

    team = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registered by service"),
    )
    number = models.CharField(_("number"), max_length=32, unique=True)
    year = models.PositiveSmallIntegerField(_("year"))
    sequence = models.PositiveIntegerField(_("sequence"))
    received_on = models.DateField(_("received on"))
    sender_name = models.CharField(_("sender"), max_length=300)
    sender_person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="incoming_mail",
        verbose_name=_("sender (person)"),
    )
    sender_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="incoming_mail",
        verbose_name=_("sender (organisation)"),
    )
    subject = models.CharField(_("subject"), max_length=300)
    scan_sha256 = models.CharField(_("scan SHA-256"), max_length=64)
    scan_name = models.CharField(_("scan file name"), max_length=200)
    scan_content_type = models.CharField(_("scan type"), max_length=100)
    scan_size = models.PositiveIntegerField(_("scan size"))
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registered by"),
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=MailStatus.choices,
        default=MailStatus.REGISTERED,
    )
    dispatched_team = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dispatched to"),
    )
    dispatched_dossier = models.CharField(
        _("dossier"),
        max_length=64,
        blank=True,
        help_text=_("The dossier the mail belongs to, when it was dispatched to one."),
    )
    dispatched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dispatched by"),
    )
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True)

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("incoming mail")
        verbose_name_plural = _("incoming mail")
        indexes = [
            models.Index(fields=["status", "team"], name="correspondence_mail_queue"),
            models.Index(
                fields=["dispatched_dossier"], name="correspondence_mail_dossier"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "year", "sequence"],
                name="correspondence_mail_sequence_unique",
            ),
            models.CheckConstraint(
                condition=Q(status="registered", dispatched_team__isnull=True)
                | Q(status="dispatched", dispatched_team__isnull=False),
                name="correspondence_mail_dispatched_has_team",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class Minutes(BaseModel):
    """The minutes of an internal meeting: who came, what was discussed and decided."""

    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="+", verbose_name=_("service")
    )
    title = models.CharField(_("title"), max_length=200)
    meeting_date = models.DateField(_("meeting date"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    attendees = models.JSONField(_("attendees"), default=list)
    absentees = models.JSONField(_("excused"), default=list)
    agenda = models.JSONField(_("agenda points"), default=list)
    decisions = models.JSONField(_("decisions"), default=list)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("written by"),
    )
    content = models.JSONField(_("content as archived"), default=dict)
    pdf_sha256 = models.CharField(_("PDF SHA-256"), max_length=64, blank=True)
    pdf_size = models.PositiveIntegerField(_("PDF size"), null=True, blank=True)

    class Meta:
        ordering = ["-meeting_date", "-id"]
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")

    def __str__(self) -> str:
        return f"{self.meeting_date} {self.title}"


class ActionStatus(models.TextChoices):
    OPEN = "open", _("open")
    DONE = "done", _("done")


class ActionItem(VersionedModel):
    """An action decided in a meeting: who does what by when.

    A small task model until an agenda/tasks app takes actions over.
    """

    minutes = models.ForeignKey(
        Minutes,
        on_delete=models.PROTECT,
        related_name="actions",
        verbose_name=_("minutes"),
    )
    description = models.CharField(_("action"), max_length=500)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("owner"),
    )
    due_date = models.DateField(_("due date"))
    status = models.CharField(
        _("status"),
        max_length=8,
        choices=ActionStatus.choices,
        default=ActionStatus.OPEN,
    )
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("done by"),
    )

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        indexes = [
            models.Index(fields=["owner", "status"], name="correspondence_action_owner")
        ]

    def __str__(self) -> str:
        return self.description
