"""The rows of Guichet's tables, read once and put back in any test.

The demo takes seconds to build (services, audit, rendered letters); putting its
rows back takes milliseconds. `read` keeps the rows of every table of Guichet's
apps; `fill` inserts into the test database the rows of a state that it lacks, on
SQLite and on PostgreSQL, in a test's transaction or (end-to-end tests) committed
for the live server.

A table may hold fewer rows than the state (a transactional test flushes the rows
the migrations ship), never another row: that would be a test's own data, or a
state that changed a row in place, which inserting cannot put back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Model

# Filled by a trigger on each insert into another table (audit migration 0005):
# they are left to the trigger, and only their row counts are compared.
FILLED_BY_TRIGGERS = frozenset({"audit_auditpending"})

# Per table, its columns and its rows: a line of PostgreSQL's COPY text format, or
# SQLite's values as SQL literals; both go back exactly as they were stored.
Rows = dict[str, tuple[list[str], list[Any]]]


@dataclass
class State:
    tables: Rows = field(default_factory=dict)
    result: Any = None


def _models() -> list[type[Model]]:
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and model._meta.app_config.name.startswith("guichet.")
    ]


# The SQL below is built from the models' table and column names and from the
# literals SQLite's quote() wrote: nothing comes from outside (hence noqa: S608).


def _read(cursor: Any, table: str) -> tuple[list[str], list[Any]]:
    cursor.execute(f'SELECT * FROM "{table}" WHERE 1 = 0')  # noqa: S608
    columns = [column[0] for column in cursor.description]
    if connection.vendor == "postgresql":
        with cursor.copy(f'COPY "{table}" TO STDOUT') as copy:
            text = b"".join(bytes(block) for block in copy)
        return columns, text.splitlines(keepends=True)
    literals = ", ".join(f'quote("{name}")' for name in columns)
    cursor.execute(f'SELECT {literals} FROM "{table}"')  # noqa: S608
    return columns, [", ".join(row) for row in cursor.fetchall()]


def _write(cursor: Any, table: str, columns: list[str], rows: list[Any]) -> None:
    names = ", ".join(f'"{name}"' for name in columns)
    if connection.vendor == "postgresql":
        with cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
            copy.write(b"".join(rows))
        return
    for row in rows:
        cursor.execute(f'INSERT INTO "{table}" ({names}) VALUES ({row})')  # noqa: S608


def read() -> Rows:
    """Every row of every table of Guichet's apps, as the database holds them."""
    tables = sorted({model._meta.db_table for model in _models()})
    with connection.cursor() as cursor:
        return {table: _read(cursor, table) for table in tables}


def take(build: Callable[[], Any]) -> State:
    """Run `build` and keep the tables as it leaves them, with what it returned.

    Call it where its rows are rolled back afterwards (tests.conftest.rolled_back).
    """
    result = build()
    return State(tables=read(), result=result)


def fill(tables: Rows) -> None:
    """Insert the rows of `tables` that the database lacks, with their keys, and
    move the sequences past them. Foreign keys are checked at commit (Django
    declares them deferrable), so the tables go in any order."""
    with transaction.atomic(), connection.cursor() as cursor:
        for table, (columns, rows) in tables.items():
            if table in FILLED_BY_TRIGGERS:
                continue
            present = set(_read(cursor, table)[1])
            unknown = present - set(rows)
            assert not unknown, f"{table} holds rows the state lacks: {unknown}"
            _write(cursor, table, columns, [row for row in rows if row not in present])
        for table in FILLED_BY_TRIGGERS & tables.keys():
            filled = len(_read(cursor, table)[1])
            assert filled == len(tables[table][1]), f"the trigger did not fill {table}"
        reset = connection.ops.sequence_reset_sql(no_style(), _models())
        for statement in reset:
            cursor.execute(statement)
