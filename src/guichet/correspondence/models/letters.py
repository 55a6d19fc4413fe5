"""Letters: drafts, the approval queue, issued letters and their dispatches."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from guichet.agents.models import Language, Team
from guichet.core.models import BaseModel, VersionedModel
from guichet.parties.models import Person

from .templates import LetterTemplateVersion, LetterType


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
    exceptions = models.JSONField(
        _("exceptions"),
        default=dict,
        help_text=_(
            "Selected persons the batch wrote no letter to, and why: the "
            "placeholders that had no value for them (a postal address, say)."
        ),
    )
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


# A dispatch that went, or may still go: a letter with one is not sent again unless
# the agent confirms it with a reason (a failed e-mail is not one).
DISPATCH_UNDER_WAY = (
    DispatchStatus.QUEUED,
    DispatchStatus.SENDING,
    DispatchStatus.SENT,
)


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
    # The e-mail's Message-ID, `<...>`, so that a citizen's answer threads back
    # (its In-Reply-To names it; the inbox looks it up).
    message_id = models.CharField(
        _("Message-ID"), max_length=255, blank=True, db_index=True
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("dispatch")
        verbose_name_plural = _("dispatches")

    def __str__(self) -> str:
        return f"{self.letter_id} {self.channel} {self.status}"
