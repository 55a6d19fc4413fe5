"""Gap-free numbering from a locked counter row (letters, receipts, tickets).

A series is one row of a model with a `last` integer field, found by its key
(a service and a day, a counter and a year). The row is locked until the caller's
transaction ends: a concurrent writer waits, and a rollback gives the number back,
so numbers have no gap and no duplicate. SQLite has no row locks; there the
IMMEDIATE transactions of the settings serialise writers instead.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, models, transaction


def next_in_series(model: type[models.Model], **key: Any) -> int:
    """The next number of the series `key` of `model`; call inside the transaction
    that stores the numbered record. The row is created at 0 when missing."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("number inside the numbered record's transaction")
    manager = model._default_manager
    row = manager.select_for_update().filter(**key).first()
    if row is None:
        try:
            with transaction.atomic():
                manager.create(**key, last=0)
        except IntegrityError:
            pass  # another transaction created it a moment ago: lock theirs
        row = manager.select_for_update().get(**key)
    row.last += 1  # type: ignore[attr-defined]
    row.save(update_fields=["last"])
    return int(row.last)  # type: ignore[attr-defined]
