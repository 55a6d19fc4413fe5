"""The audit trail: append-only rows, each chained to the previous by SHA-256.

Two chains are kept, each with its own head row: `changes` (every write, with a
summary of before and after) and `access` (every read of a person's data, as the
law on the national register requires). Reads then never wait behind writes.
The application refuses to update or delete a row (model, queryset), and on
PostgreSQL a trigger refuses too (migration 0002). `guichet audit verify` walks
a chain and names the first row whose content or link does not match.
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Chain(models.TextChoices):
    CHANGES = "changes", _("changes")
    ACCESS = "access", _("access to personal data")


class AppendOnlyError(RuntimeError):
    """Raised on any attempt to change or remove an audit row."""


class AuditQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("audit events cannot be updated")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("audit events cannot be deleted")

    def bulk_update(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("audit events cannot be updated")

    def bulk_create(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError(
            "audit events are appended one by one, through audit.services"
        )


class AuditEvent(models.Model):
    id = models.BigAutoField(primary_key=True)
    chain = models.CharField(_("chain"), max_length=16, choices=Chain.choices)
    seq = models.BigIntegerField(_("sequence number"))
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
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["chain", "seq"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        constraints = [
            models.UniqueConstraint(
                fields=["chain", "seq"], name="audit_event_chain_seq_unique"
            ),
        ]
        indexes = [
            models.Index(
                fields=["object_type", "object_id"], name="audit_event_object_idx"
            ),
            models.Index(fields=["actor", "occurred_at"], name="audit_event_actor_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.chain}#{self.seq} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("audit events cannot be updated")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("audit events cannot be deleted")


class ChainHead(models.Model):
    """The last sequence number and hash of a chain; locked to append."""

    chain = models.CharField(
        _("chain"), max_length=16, choices=Chain.choices, primary_key=True
    )
    seq = models.BigIntegerField(_("last sequence number"), default=0)
    hash = models.CharField(_("last hash"), max_length=64, default="0" * 64)

    class Meta:
        ordering = ["chain"]
        verbose_name = _("chain head")
        verbose_name_plural = _("chain heads")

    def __str__(self) -> str:
        return f"{self.chain}@{self.seq}"
