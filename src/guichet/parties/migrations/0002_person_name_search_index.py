"""Indexes for typo-tolerant name search (see parties/search.py).

PostgreSQL: the pg_trgm extension and a GIN trigram index on `search_name`.
SQLite: an FTS5 table with the trigram tokenizer, kept in step by triggers.
"""

from django.db import migrations

POSTGRES_FORWARDS = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS parties_person_search_trgm ON parties_person USING gin (search_name gin_trgm_ops)",
]
POSTGRES_BACKWARDS = ["DROP INDEX IF EXISTS parties_person_search_trgm"]

SQLITE_FORWARDS = [
    "CREATE VIRTUAL TABLE parties_person_fts USING fts5("
    "search_name, content='parties_person', content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER parties_person_fts_insert AFTER INSERT ON parties_person BEGIN "
    "INSERT INTO parties_person_fts(rowid, search_name) VALUES (new.id, new.search_name); END",
    "CREATE TRIGGER parties_person_fts_delete AFTER DELETE ON parties_person BEGIN "
    "INSERT INTO parties_person_fts(parties_person_fts, rowid, search_name) "
    "VALUES ('delete', old.id, old.search_name); END",
    "CREATE TRIGGER parties_person_fts_update AFTER UPDATE OF search_name ON parties_person BEGIN "
    "INSERT INTO parties_person_fts(parties_person_fts, rowid, search_name) "
    "VALUES ('delete', old.id, old.search_name); "
    "INSERT INTO parties_person_fts(rowid, search_name) VALUES (new.id, new.search_name); END",
    "INSERT INTO parties_person_fts(parties_person_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARDS = [
    "DROP TRIGGER IF EXISTS parties_person_fts_update",
    "DROP TRIGGER IF EXISTS parties_person_fts_delete",
    "DROP TRIGGER IF EXISTS parties_person_fts_insert",
    "DROP TABLE IF EXISTS parties_person_fts",
]


def _run(schema_editor, postgres, sqlite):
    statements = postgres if schema_editor.connection.vendor == "postgresql" else sqlite
    for statement in statements:
        schema_editor.execute(statement)


def forwards(apps, schema_editor):
    _run(schema_editor, POSTGRES_FORWARDS, SQLITE_FORWARDS)


def backwards(apps, schema_editor):
    _run(schema_editor, POSTGRES_BACKWARDS, SQLITE_BACKWARDS)


class Migration(migrations.Migration):
    dependencies = [("parties", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
