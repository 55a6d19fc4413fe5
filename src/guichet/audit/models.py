"""The audit trail: append-only rows, signed at once, sealed into chains later.

Two chains are kept: `changes` (every write, with a summary of before and after)
and `access` (every read of a person's data, as the law on the national register
requires). A row is written with its MAC and key id and nothing is locked; the
database queues it in `AuditPending`. The sealer (`services.chain_seal`) links the
queued rows of each chain in one pass, writing one `AuditSeal` per row, and is the
only one to lock the chain's `ChainHead`. The application refuses to update or
delete rows and seals (model, queryset), and the database refuses too (triggers,
migrations 0002 and 0005). See docs/adr/0002-audit-trail-without-a-global-lock.md.
"""

from __future__ import annotations

from typing import Any, NoReturn, TypeVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from guichet.core.models import AppendOnlyError, AppendOnlyQuerySet, AppendOnlyRow

_M = TypeVar("_M", bound=models.Model)


class Chain(models.TextChoices):
    CHANGES = "changes", _("changes")
    ACCESS = "access", _("access to personal data")


class AuditQuerySet(AppendOnlyQuerySet):
    """Rows are appended only through `audit.services` (`append`), never by
    `bulk_create` from elsewhere."""

    def append(self, rows: list[_M]) -> list[_M]:
        """Insert new rows; `audit.services` is the only caller."""
        return super().bulk_create(rows)

    def bulk_create(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("audit rows are appended through audit.services")


class AuditEvent(AppendOnlyRow):
    id = models.BigAutoField(primary_key=True)
    chain = models.CharField(_("chain"), max_length=16, choices=Chain.choices)
    uuid = models.UUIDField(_("identifier"), null=True, blank=True, editable=False)
    occurred_at = models.DateTimeField(_("when"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agent"),
    )
    actor_label = models.CharField(_("agent name"), max_length=150)
    action = models.CharField(_("action"), max_length=64)
    object_type = models.CharField(_("object type"), max_length=64, blank=True)
    object_id = models.CharField(_("object identifier"), max_length=64, blank=True)
    summary = models.JSONField(_("summary"), default=dict)
    reason = models.TextField(_("reason"), blank=True)
    request_id = models.CharField(_("request"), max_length=64, blank=True)
    key_id = models.CharField(_("key"), max_length=32, blank=True)
    mac = models.CharField(_("MAC"), max_length=64, blank=True)
    # Rows written before migration 0004 were chained at once by SHA-256; their
    # seal covers that hash. Newer rows leave these empty.
    seq = models.BigIntegerField(_("sequence number"), null=True, blank=True)
    prev_hash = models.CharField(_("previous hash"), max_length=64, blank=True)
    hash = models.CharField(_("hash"), max_length=64, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        constraints = [
            models.UniqueConstraint(
                fields=["chain", "seq"],
                condition=models.Q(seq__isnull=False),
                name="audit_event_chain_seq_unique",
            ),
        ]
        indexes = [
            models.Index(
                fields=["object_type", "object_id"], name="audit_event_object_idx"
            ),
            models.Index(fields=["actor", "occurred_at"], name="audit_event_actor_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.chain}/{self.pk} {self.action}"


class AuditSeal(AppendOnlyRow):
    """A row's place in its chain: number `seq`, linked to the previous seal."""

    id = models.BigAutoField(primary_key=True)
    chain = models.CharField(_("chain"), max_length=16, choices=Chain.choices)
    seq = models.BigIntegerField(_("sequence number"))
    event = models.OneToOneField(
        AuditEvent,
        on_delete=models.PROTECT,
        related_name="seal",
        verbose_name=_("audit event"),
    )
    key_id = models.CharField(_("key"), max_length=32)
    link = models.CharField(_("link"), max_length=64)
    sealed_at = models.DateTimeField(_("sealed at"))

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["chain", "seq"]
        verbose_name = _("audit seal")
        verbose_name_plural = _("audit seals")
        constraints = [
            models.UniqueConstraint(
                fields=["chain", "seq"], name="audit_seal_chain_seq_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.chain}#{self.seq}"


class AuditPending(models.Model):
    """An event not sealed yet. The database inserts it with the event (a trigger,
    migration 0005); the sealer deletes it as it seals the event."""

    event = models.OneToOneField(
        AuditEvent,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="pending",
        verbose_name=_("audit event"),
    )
    chain = models.CharField(_("chain"), max_length=16)

    class Meta:
        ordering = ["event"]
        verbose_name = _("event waiting for its seal")
        verbose_name_plural = _("events waiting for their seal")

    def __str__(self) -> str:
        return f"{self.chain}/{self.pk}"


class ChainHead(models.Model):
    """The last seal of a chain; only the sealer locks it."""

    chain = models.CharField(
        _("chain"), max_length=16, choices=Chain.choices, primary_key=True
    )
    seq = models.BigIntegerField(_("last sequence number"), default=0)
    link = models.CharField(_("last link"), max_length=64, default="0" * 64)

    class Meta:
        ordering = ["chain"]
        verbose_name = _("chain head")
        verbose_name_plural = _("chain heads")

    def __str__(self) -> str:
        return f"{self.chain}@{self.seq}"
