"""A migrated SQLite test database, kept between the test runs of one source tree.

Building the test database replays every migration (about 110, with their state
rendering: 20 s or more of CPU); a test run of `make test` or CI starts several
pytest processes on the same sources. The first one on SQLite keeps a copy of the
freshly migrated database in `var/test-databases/`, named by a digest of every
source file of `src/guichet` and of Django's version; the others copy it into their
in-memory test database with SQLite's backup API instead of migrating. Any change to
the sources gives another digest, so a copy never outlives the code that made it (the
copies of older digests are removed). PostgreSQL always migrates (one process per run).

Everything else of Django's `create_test_db` is unchanged: only its `migrate` call is
replaced, and only while it creates the test database.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

import django
from django.core import management
from django.db.backends.base.creation import BaseDatabaseCreation

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "src" / "guichet"
FOLDER = ROOT / "var" / "test-databases"
SOURCE_SUFFIXES = {".py", ".json", ".yaml", ".yml", ".csv", ".sql", ".txt", ".po"}


@cache
def digest() -> str:
    """A digest of every file a migration might read, and of Django's version."""
    summary = hashlib.sha256(django.get_version().encode())
    for path in sorted(SOURCES.rglob("*")):
        if path.suffix in SOURCE_SUFFIXES and "__pycache__" not in path.parts:
            summary.update(str(path.relative_to(SOURCES)).encode() + b"\0")
            summary.update(path.read_bytes() + b"\0")
    return summary.hexdigest()[:32]


def _copy(source: sqlite3.Connection, target: sqlite3.Connection) -> None:
    source.backup(target)


def _save(connection: Any) -> None:
    """Keep the migrated database, atomically: another process may read it."""
    FOLDER.mkdir(parents=True, exist_ok=True)
    final = FOLDER / f"{digest()}.sqlite3"
    partial = FOLDER / f"{digest()}.{os.getpid()}.partial"
    target = sqlite3.connect(partial)
    try:
        _copy(connection.connection, target)
    finally:
        target.close()
    partial.replace(final)
    for old in FOLDER.glob("*.sqlite3"):
        if old != final:
            old.unlink(missing_ok=True)


def _restore(connection: Any, kept: Path) -> None:
    connection.ensure_connection()
    source = sqlite3.connect(f"file:{kept}?mode=ro", uri=True)
    try:
        _copy(source, connection.connection)
    finally:
        source.close()


@contextlib.contextmanager
def _migrate_from_copy(connection: Any) -> Iterator[None]:
    original: Callable[..., Any] = management.call_command

    def call_command(name: Any, *args: Any, **options: Any) -> Any:
        if name != "migrate":
            return original(name, *args, **options)
        kept = FOLDER / f"{digest()}.sqlite3"
        if kept.exists():
            _restore(connection, kept)
            return None
        result = original(name, *args, **options)
        _save(connection)
        return result

    management.call_command = call_command  # type: ignore[assignment]
    try:
        yield
    finally:
        management.call_command = original


def install() -> None:
    """Build SQLite test databases from the kept copy (see the module docstring).
    `GUICHET_TEST_DB_COPY=0` migrates every time."""
    if os.environ.get("GUICHET_TEST_DB_COPY", "1") == "0":
        return
    original = BaseDatabaseCreation.create_test_db
    if getattr(original, "guichet_copy", False):
        return

    def create_test_db(self: BaseDatabaseCreation, *args: Any, **kwargs: Any) -> Any:
        if self.connection.vendor != "sqlite":
            return original(self, *args, **kwargs)
        with _migrate_from_copy(self.connection):
            return original(self, *args, **kwargs)

    create_test_db.guichet_copy = True  # type: ignore[attr-defined]
    BaseDatabaseCreation.create_test_db = create_test_db  # type: ignore[method-assign]
