"""Refuse UPDATE and DELETE of audit rows and seals on both databases, and queue
every new audit row for the sealer in the database itself.

PostgreSQL: the trigger of migration 0002 now guards the seals too; TRUNCATE stays
allowed for the test database's clean-up (production should REVOKE TRUNCATE from
the runtime role; the checkpoints show a truncation).

SQLite: the triggers let an UPDATE or DELETE through only while the function
`guichet_audit_flushing()` answers 1. Guichet registers it on each connection
(`guichet.audit.database`) and it answers 1 only inside the `flush` command (the
test suite's clean-up); a sqlite3 client without it fails with "no such function".
A later migration that rebuilds one of these tables on SQLite drops its triggers:
create them again there (tests/audit checks that they refuse).

The queue: an AFTER INSERT trigger adds each new audit event to
`audit_auditpending`, in the inserting transaction, so no row can be written
without being queued for its seal.
"""

from django.db import migrations

POSTGRES_CREATE = """
CREATE TRIGGER audit_seal_append_only
    BEFORE UPDATE OR DELETE ON audit_auditseal
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();

CREATE OR REPLACE FUNCTION audit_queue_events() RETURNS trigger AS $$
BEGIN
    INSERT INTO audit_auditpending (event_id, chain)
        SELECT id, chain FROM inserted_events;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_event_queue
    AFTER INSERT ON audit_auditevent
    REFERENCING NEW TABLE AS inserted_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_queue_events();
"""

POSTGRES_DROP = """
DROP TRIGGER IF EXISTS audit_event_queue ON audit_auditevent;
DROP FUNCTION IF EXISTS audit_queue_events();
DROP TRIGGER IF EXISTS audit_seal_append_only ON audit_auditseal;
"""

SQLITE_TABLES = {"audit_auditevent": "audit events", "audit_auditseal": "audit seals"}


def _sqlite_create() -> list[str]:
    statements = []
    for table, what in SQLITE_TABLES.items():
        for operation in ("UPDATE", "DELETE"):
            statements.append(
                f"CREATE TRIGGER {table}_refuse_{operation.lower()}"
                f" BEFORE {operation} ON {table}"
                " WHEN NOT guichet_audit_flushing()"
                f" BEGIN SELECT RAISE(ABORT, '{what} are append-only:"
                f" {operation} refused'); END"
            )
    statements.append(
        "CREATE TRIGGER audit_event_queue AFTER INSERT ON audit_auditevent"
        " BEGIN INSERT INTO audit_auditpending (event_id, chain)"
        " VALUES (NEW.id, NEW.chain); END"
    )
    return statements


def _sqlite_drop() -> list[str]:
    names = [
        f"{table}_refuse_{operation}"
        for table in SQLITE_TABLES
        for operation in ("update", "delete")
    ]
    return [f"DROP TRIGGER IF EXISTS {name}" for name in [*names, "audit_event_queue"]]


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_CREATE, params=None)
    elif vendor == "sqlite":
        for statement in _sqlite_create():
            schema_editor.execute(statement, params=None)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_DROP, params=None)
    elif vendor == "sqlite":
        for statement in _sqlite_drop():
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_auditevent_add_mac_and_seals")]

    operations = [migrations.RunPython(forwards, backwards)]
