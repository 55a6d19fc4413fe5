"""Documents: files a person handed in (identity papers, bank documents, certificates),
what they are, when they are valid, and every check an agent ran on them.

The bytes live under MEDIA_ROOT, named by their SHA-256 (`storage.py`), never by the
name they were uploaded under: the same content is stored once, and a stored file
cannot be swapped for other bytes without its hash changing. Verifications are
append-only: a new check adds a row, none is ever changed or removed.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from guichet.core.models import (
    AppendOnlyModel,
    VersionedModel,
)
from guichet.parties.models import Person

from .sniffing import CONTENT_TYPES


class DocumentType(models.TextChoices):
    IDENTITY_CARD = "identity_card", _("identity card")
    PASSPORT = "passport", _("passport")
    RESIDENCE_PERMIT = "residence_permit", _("residence permit")
    VISA = "visa", _("visa")
    BANK_DOCUMENT = "bank_document", _("bank account document")
    PAYMENT_DOCUMENT = "payment_document", _("payment document")
    EMPLOYER_CERTIFICATE = "employer_certificate", _("employer's certificate")
    CIVIL_STATUS = "civil_status", _("civil status certificate")
    OTHER = "other", _("other document")


class Outcome(models.TextChoices):
    """What a verification concluded (`checking.verdict`)."""

    VERIFIED = "verified", _("verified")
    NOT_VALID = "not_valid", _("not valid")
    DOES_NOT_MATCH = "does_not_match", _("does not match")
    EXPIRED = "expired", _("expired")


class Document(VersionedModel):
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="documents",
        verbose_name=_("person"),
    )
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("dossier"),
        help_text=_("The dossier this document supports, if any."),
    )
    dossier_item = models.CharField(
        _("required document"),
        max_length=64,
        blank=True,
        help_text=_("Which document the dossier's case type asks this one answers."),
    )
    legacy_dossier_reference = models.CharField(
        _("dossier reference (before dossiers)"),
        max_length=64,
        blank=True,
        editable=False,
        help_text=_(
            "The reference typed before dossiers existed, kept when no dossier has it."
        ),
    )
    document_type = models.CharField(
        _("type of document"), max_length=32, choices=DocumentType.choices
    )
    description = models.CharField(_("description"), max_length=200, blank=True)
    document_number = models.CharField(
        _("document number"),
        max_length=40,
        blank=True,
        help_text=_("The number printed on the document (a passport number, say)."),
    )
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    expires_on = models.DateField(
        _("expires on"),
        null=True,
        blank=True,
        help_text=_("Last day of validity; empty for documents that do not expire."),
    )
    content_sha256 = models.CharField(
        _("SHA-256 of the content"), max_length=64, db_index=True, editable=False
    )
    content_type = models.CharField(_("type of content"), max_length=32, editable=False)
    size = models.PositiveBigIntegerField(_("size in bytes"), editable=False)
    original_name = models.CharField(
        _("name of the uploaded file"),
        max_length=255,
        blank=True,
        editable=False,
        help_text=_("Shown to agents only; the file is never stored under it."),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True)
                | Q(issued_on__isnull=True)
                | Q(expires_on__gte=F("issued_on")),
                name="documents_document_dates_ordered",
            ),
            models.CheckConstraint(
                condition=Q(content_sha256__regex=r"^[0-9a-f]{64}$"),
                name="documents_document_sha256_well_formed",
            ),
            models.CheckConstraint(
                condition=Q(content_type__in=CONTENT_TYPES),
                name="documents_document_content_type_accepted",
            ),
            models.CheckConstraint(
                condition=Q(size__gt=0), name="documents_document_not_empty"
            ),
        ]
        indexes = [
            models.Index(
                fields=["person", "-created_at"], name="documents_person_created_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_document_type_display()} ({self.uuid})"

    @property
    def dossier_reference(self) -> str:
        """The dossier's reference, or the text kept from before dossiers existed."""
        if self.dossier is not None:
            return str(self.dossier.reference)
        return self.legacy_dossier_reference


class DocumentVerification(AppendOnlyModel):
    """One check an agent ran on a document, with its full result. Append-only."""

    document = models.ForeignKey(
        Document,
        on_delete=models.PROTECT,
        related_name="verifications",
        verbose_name=_("document"),
    )
    kind = models.CharField(_("check"), max_length=8)
    value = models.TextField(
        _("value checked"),
        help_text=_(
            "What the agent read on the document: the machine-readable zone, the IBAN..."
        ),
    )
    checked_on = models.DateField(
        _("reference date"),
        help_text=_("The date the check was made for (expiry, two-digit years)."),
    )
    is_valid = models.BooleanField(
        _("passed"), help_text=_("The outcome is 'verified'.")
    )
    outcome = models.CharField(
        _("outcome"),
        max_length=16,
        choices=Outcome.choices,
        help_text=_(
            "Verified only when the value is valid, matches the person and the "
            "document on record, and the document had not expired."
        ),
    )
    result = models.JSONField(
        _("result"),
        help_text=_(
            "The check's answer and the reasons of the outcome, as codes with their "
            "parameters (messages are rendered in the reader's language)."
        ),
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("verified by"),
    )
    verified_at = models.DateTimeField(_("verified at"))

    class Meta:
        ordering = ["-verified_at", "-id"]
        verbose_name = _("verification of a document")
        verbose_name_plural = _("verifications of documents")

    def __str__(self) -> str:
        return f"{self.kind} {self.outcome} ({self.uuid})"
