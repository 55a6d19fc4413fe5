"""Bulk inserts of a run's rows: COPY on PostgreSQL, `bulk_create` elsewhere.

A run writes a few rows per beneficiary (its item, its transfers, its ledger
lines): at a million beneficiaries, Django's `bulk_create` spends most of the time
preparing each field of each row. On PostgreSQL the rows go through `COPY ... FROM
STDIN` instead, read straight from the instances' attributes (docs/payments.md,
"Crash safety": each batch is still one transaction, so a batch is written whole
or not at all). Only for the app's plain tables (no timestamps to fill, no
`pre_save`): `RunItem`, `Payment`, `LedgerTransaction`, `LedgerLine`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models


def _value(field: models.Field[Any, Any], obj: models.Model) -> Any:
    value = getattr(obj, field.attname)
    if isinstance(field, models.JSONField):
        return json.dumps(value, cls=DjangoJSONEncoder)
    return value


def insert(model: type[models.Model], objects: Sequence[models.Model]) -> None:
    """Insert `objects` (new rows of `model`, primary keys left to the database)."""
    if not objects:
        return
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create(objects)
        return
    fields = [
        field
        for field in model._meta.concrete_fields
        if not (field.primary_key and isinstance(field, models.AutoField))
    ]
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg's own cursor, under Django's wrapper
        with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for obj in objects:
                copy.write_row([_value(field, obj) for field in fields])
