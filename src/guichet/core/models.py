"""Base model shared by every domain model (no business rules here)."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class BaseModel(models.Model):
    """Timestamps and a public UUID; the integer primary key stays internal."""

    uuid = models.UUIDField(
        _("public identifier"), default=uuid.uuid4, unique=True, editable=False
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class VersionedModel(BaseModel):
    """A record agents edit: every change increments `version`.

    Writers update with `WHERE version = expected` (see `core.concurrency`), so a
    stale edit is refused instead of silently overwriting another agent's change.
    """

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True

    @property
    def etag(self) -> str:
        return f'"{self.version}"'


class PeriodicRun(models.Model):
    """When a periodic task (`core.schedule.PERIODIC`) is next due.

    The scheduler of every `guichet worker` reads these rows; a due run is claimed by
    moving `next_run_at` forward in the transaction that enqueues the task, so two
    schedulers never enqueue one run twice (see `core.scheduler`).
    """

    name = models.CharField(_("name"), max_length=200, primary_key=True)
    next_run_at = models.DateTimeField(_("next run at"))
    last_enqueued_at = models.DateTimeField(
        _("last enqueued at"), null=True, blank=True
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("periodic task")
        verbose_name_plural = _("periodic tasks")

    def __str__(self) -> str:
        return self.name
