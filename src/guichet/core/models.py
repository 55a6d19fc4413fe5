"""Base model shared by every domain model (no business rules here)."""

from __future__ import annotations

import uuid
from typing import Any, NoReturn

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

    Writers update with `WHERE version = expected` (`core.versioning`), so a stale
    edit is refused instead of silently overwriting another agent's change.
    """

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True


class AppendOnlyError(RuntimeError):
    """Raised on any attempt to change or remove a row that is written once."""


class AppendOnlyQuerySet(models.QuerySet[Any]):
    """Refuses the bulk ways of changing or removing rows."""

    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError(f"{self.model.__name__} rows cannot be updated")

    def delete(self) -> NoReturn:
        raise AppendOnlyError(f"{self.model.__name__} rows cannot be deleted")

    def bulk_update(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError(f"{self.model.__name__} rows cannot be updated")


class AppendOnlyRow(models.Model):
    """A row that is written once: saving it again or deleting it is refused, one
    by one or in bulk (the audit trail's rows, which carry no timestamps of their
    own). Where it matters, the app's migrations add database triggers that refuse
    it too. Concrete models declare `objects = AppendOnlyQuerySet.as_manager()` (or
    a subclass of it)."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError(f"{type(self).__name__} rows cannot be updated")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError(f"{type(self).__name__} rows cannot be deleted")


class AppendOnlyModel(AppendOnlyRow, BaseModel):
    """A domain row written once (a ledger entry, a verification), with the public
    id and timestamps of every domain model."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True


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
