"""Running the migrations to a given state, for the tests of data migrations.

A data-migration test runs on a scratch database of its own, empty at the start:
`migrate_to(target)` applies only the migrations `target` depends on, forwards, and
the test then migrates forwards to the migration under test. The shared test
database is never migrated backwards: Django renders the project state again for
every later migration of every app when it unapplies them, which made each such
test cost 35 to 50 seconds once the project had about 110 migrations (forwards to
a target, a few seconds). Use the `scratch_database` fixture of tests/conftest.py.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.migrations.executor import MigrationExecutor


def migrate_to(*targets: tuple[str, str]) -> Any:
    """Migrate the (scratch) database forwards to `targets` (app, migration); return
    the models of that state (`apps.get_model`)."""
    executor = MigrationExecutor(connection)
    executor.migrate(list(targets))
    return executor.loader.project_state(list(targets)).apps


def migrate_to_latest() -> None:
    """Migrate the (scratch) database forwards to the newest migration of every app."""
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@contextmanager
def scratch_database() -> Iterator[None]:
    """Point Django's default connection at a new, empty database for the block
    (in memory on SQLite; a database created and dropped on PostgreSQL), then back."""
    original = connections[DEFAULT_DB_ALIAS]
    settings_dict = dict(original.settings_dict)
    postgres = original.vendor == "postgresql"
    if postgres:
        settings_dict["NAME"] = (
            f"{original.settings_dict['NAME']}_scratch_{uuid.uuid4().hex[:8]}"
        )
        with original._nodb_cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{settings_dict["NAME"]}"')
    else:
        settings_dict["NAME"] = ":memory:"
    scratch = original.__class__(settings_dict, alias=DEFAULT_DB_ALIAS)
    ContentType.objects.clear_cache()
    connections[DEFAULT_DB_ALIAS] = scratch
    try:
        yield
    finally:
        connections[DEFAULT_DB_ALIAS] = original
        ContentType.objects.clear_cache()
        if scratch.connection is not None:
            scratch.connection.close()
        scratch.connection = None
        if postgres:
            with original._nodb_cursor() as cursor:
                cursor.execute(f'DROP DATABASE "{settings_dict["NAME"]}"')
