"""Documents: files a person handed in (identity papers, bank documents, certificates),
what they are, when they are valid, and every check an agent ran on them.

The bytes live under MEDIA_ROOT, named by their SHA-256 (`storage.py`), never by the
name they were uploaded under: the same content is stored once, and a stored file
cannot be swapped for other bytes without its hash changing. Verifications are
append-only: a new check adds a row, none is ever changed or removed.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from guichet.core.models import (
    AppendOnlyModel,
    BaseModel,
    VersionedModel,
)
from guichet.parties.models import Organisation, Person

from .sniffing import CONTENT_TYPES, SPECIMEN_CONTENT_TYPES


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


class SpecimenKind(models.TextChoices):
    SIGNATURE = "signature", _("signature")
    SEAL = "seal", _("seal or stamp")


class ComparisonOutcome(models.TextChoices):
    MATCHES = "matches", _("matches the specimen")
    DOES_NOT_MATCH = "does_not_match", _("does not match the specimen")


class SigningOfficial(BaseModel):
    """An official whose signature (or whose office's seal) a post legalises.

    The authority is an organisation of the party register (`parties.Organisation`:
    a foreign ministry, a court, a commune, a notaries' chamber; its enterprise
    number is optional, so foreign bodies fit), not a register of its own: the
    dossiers that send a document to it or receive one from it name the same row.
    The party register has no country, so the official carries the country of the
    documents they sign (ISO 3166-1 alpha-2): a foreign document is legalised by
    the Belgian post competent for the country that issued it (docs/sources.md
    §5.5).
    """

    authority = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="signing_officials",
        verbose_name=_("authority"),
    )
    country = models.CharField(
        _("country"),
        max_length=2,
        help_text=_("ISO 3166-1 code of the country whose documents they sign."),
    )
    name = models.CharField(_("name"), max_length=200)
    function = models.CharField(
        _("function"),
        max_length=200,
        help_text=_("Title or office, as printed under the signature."),
    )
    search_name = models.CharField(
        _("search name"), max_length=200, editable=False, db_index=True
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registered by"),
    )

    class Meta:
        ordering = ["search_name", "id"]
        verbose_name = _("signing official")
        verbose_name_plural = _("signing officials")
        constraints = [
            models.CheckConstraint(
                condition=Q(country__regex=r"^[A-Z]{2}$"),
                name="documents_official_country_well_formed",
            ),
            # One row per official of an authority (a double submit, two desks).
            models.UniqueConstraint(
                fields=["authority", "search_name"],
                name="documents_official_unique_per_authority",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.function})"


class Specimen(VersionedModel):
    """A specimen of an official's signature or seal, valid for a period.

    Never deleted: a specimen registered in error or revoked is withdrawn, with a
    reason, and stays for the comparisons that named it. The image is stored like a
    document's content (`storage.py`, by SHA-256, type sniffed from its bytes).
    """

    official = models.ForeignKey(
        SigningOfficial,
        on_delete=models.PROTECT,
        related_name="specimens",
        verbose_name=_("official"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=SpecimenKind.choices)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(
        _("valid until"),
        null=True,
        blank=True,
        help_text=_("Last day of validity; empty while the official is in office."),
    )
    content_sha256 = models.CharField(
        _("SHA-256 of the image"), max_length=64, db_index=True, editable=False
    )
    content_type = models.CharField(_("type of content"), max_length=32, editable=False)
    size = models.PositiveBigIntegerField(_("size in bytes"), editable=False)
    original_name = models.CharField(
        _("name of the uploaded file"), max_length=255, blank=True, editable=False
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registered by"),
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("withdrawn by"),
    )
    withdrawal_reason = models.TextField(_("reason of the withdrawal"), blank=True)

    class Meta:
        ordering = ["-valid_from", "-id"]
        verbose_name = _("specimen")
        verbose_name_plural = _("specimens")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True)
                | Q(valid_until__gt=F("valid_from")),
                name="documents_specimen_dates_ordered",
            ),
            models.CheckConstraint(
                condition=Q(content_sha256__regex=r"^[0-9a-f]{64}$"),
                name="documents_specimen_sha256_well_formed",
            ),
            models.CheckConstraint(
                condition=Q(content_type__in=SPECIMEN_CONTENT_TYPES),
                name="documents_specimen_content_type_accepted",
            ),
            models.CheckConstraint(
                condition=Q(size__gt=0), name="documents_specimen_not_empty"
            ),
            models.CheckConstraint(
                condition=(
                    Q(withdrawn_at__isnull=True, withdrawn_by__isnull=True)
                    & Q(withdrawal_reason="")
                )
                | (
                    Q(withdrawn_at__isnull=False, withdrawn_by__isnull=False)
                    & ~Q(withdrawal_reason="")
                ),
                name="documents_specimen_withdrawal_complete",
            ),
        ]
        indexes = [
            models.Index(
                fields=["official", "valid_from"], name="documents_specimen_valid_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.uuid})"

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    def is_valid_on(self, day: dt.date) -> bool:
        """In force on `day` (both ends included) and not withdrawn."""
        return (
            not self.is_withdrawn
            and self.valid_from <= day
            and (self.valid_until is None or day <= self.valid_until)
        )


class SpecimenComparison(AppendOnlyModel):
    """That an agent compared the signature or seal on a document with a specimen,
    and what they concluded. Append-only: a second look adds a row."""

    document = models.ForeignKey(
        Document,
        on_delete=models.PROTECT,
        related_name="specimen_comparisons",
        verbose_name=_("document"),
    )
    specimen = models.ForeignKey(
        Specimen,
        on_delete=models.PROTECT,
        related_name="comparisons",
        verbose_name=_("specimen"),
    )
    outcome = models.CharField(
        _("outcome"), max_length=16, choices=ComparisonOutcome.choices
    )
    note = models.TextField(_("note"), blank=True)
    reference_date = models.DateField(
        _("reference date"),
        help_text=_(
            "The day the specimen had to be valid on: the document's issue date, "
            "or the day of the comparison when the document has none."
        ),
    )
    compared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("compared by"),
    )
    compared_at = models.DateTimeField(_("compared at"))

    class Meta:
        ordering = ["-compared_at", "-id"]
        verbose_name = _("comparison with a specimen")
        verbose_name_plural = _("comparisons with specimens")

    def __str__(self) -> str:
        return f"{self.outcome} ({self.uuid})"
