"""What the audit trail asks of the database connection itself.

On SQLite the triggers that refuse UPDATE and DELETE of audit rows (migration
0005) let them through only while `guichet_audit_flushing()` answers 1. Guichet
registers that function on each of its connections, and it answers 1 only inside
`flushing()`, which only the `flush` command enters (Django's test clean-up
between transactional tests; on PostgreSQL the same command truncates). A plain
sqlite3 client has no such function: its UPDATE or DELETE fails.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

_FLUSHING: ContextVar[bool] = ContextVar("audit_flushing", default=False)


@contextmanager
def flushing() -> Iterator[None]:
    token = _FLUSHING.set(True)
    try:
        yield
    finally:
        _FLUSHING.reset(token)


def _is_flushing() -> int:
    return int(_FLUSHING.get())


def register_functions(sender: Any, connection: Any, **kwargs: Any) -> None:
    """`connection_created` receiver: give each SQLite connection the function."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("guichet_audit_flushing", 0, _is_flushing)
