"""Optimistic concurrency for records agents edit (`core.models.VersionedModel`).

An edit names the version it was based on; the write is `UPDATE ... WHERE version =
expected`, so two agents editing one record never overwrite each other: the second
is refused with `StaleVersion` (HTTP 412, a conflict page in the UI) and nothing is
saved.
"""

from __future__ import annotations

from typing import Any

from django.db.models import F
from django.utils.translation import gettext_lazy as _

from . import clock
from .errors import StaleVersion
from .models import VersionedModel


def stale(obj: VersionedModel, expected_version: int) -> StaleVersion:
    """The error for an edit of `obj` based on `expected_version`."""
    current = (
        type(obj)
        ._default_manager.filter(pk=obj.pk)
        .values_list("version", flat=True)
        .first()
    )
    current = obj.version if current is None else current
    return StaleVersion(
        _(
            "Another agent changed this record meanwhile (version %(current)d, you "
            "edited version %(expected)d). Reload to see their change; nothing was "
            "saved."
        ),
        params={"current": current, "expected": expected_version},
        extra={"current_version": current},
    )


def check_version(obj: VersionedModel, expected_version: int) -> None:
    """Refuse early when the (locked) record is no longer the version the caller read."""
    if obj.version != expected_version:
        raise stale(obj, expected_version)


def versioned_update(
    obj: VersionedModel,
    *,
    expected_version: int | None,
    refresh: bool = True,
    **values: Any,
) -> None:
    """Save `values` and the next version, only if nobody changed `obj` since.

    `expected_version=None` is for a system write that follows a change already
    checked (it still moves the version, so other agents' edits are refused).
    """
    rows = type(obj)._default_manager.filter(pk=obj.pk)
    if expected_version is not None:
        rows = rows.filter(version=expected_version)
    updated = rows.update(version=F("version") + 1, updated_at=clock.now(), **values)
    if updated != 1:
        raise stale(obj, expected_version if expected_version is not None else 0)
    if refresh:
        obj.refresh_from_db()
