"""Full-text search over the current text of every article language.

PostgreSQL: one text search configuration per language (`knowledge_fr`, ...,
copied from PostgreSQL's french, dutch, german and english ones) whose word
mappings run `unaccent` before the language's Snowball stemmer, so "demandes"
finds "demande" and "resume" finds "résumé". The `unaccent` extension ships with
PostgreSQL's contrib package and is trusted (PostgreSQL 13+): it is created here
when the server offers it; a server without it gets the same configurations
without accent folding (and the search says so in its tests). A `search_vector`
column (title weighted A, text B), filled by a trigger with the configuration of
the row's language, carries a GIN index.

SQLite: an FTS5 table over title and text with the `porter` stemmer over
`unicode61 remove_diacritics 2` (accents folded; the stemmer is English's Porter,
which also strips the plural and final "e" of French, Dutch and German words),
kept in step by triggers. A SQLite built without FTS5 stops the migration with a
clear message.
"""

from django.db import migrations

CONFIGS = {"fr": "french", "nl": "dutch", "de": "german", "en": "english"}

REGCONFIG = (
    "CASE {column} "
    + " ".join(
        f"WHEN '{language}' THEN 'knowledge_{language}'::regconfig"
        for language in CONFIGS
    )
    + " ELSE 'simple'::regconfig END"
)


def _postgres_forwards(schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM pg_available_extensions WHERE name = 'unaccent'"
        )
        available = cursor.fetchone() is not None
    if available:
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    for language, source in CONFIGS.items():
        name = f"knowledge_{language}"
        schema_editor.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {name}")
        schema_editor.execute(
            f"CREATE TEXT SEARCH CONFIGURATION {name} (COPY = pg_catalog.{source})"
        )
        dictionaries = f"unaccent, {source}_stem" if available else f"{source}_stem"
        schema_editor.execute(
            f"ALTER TEXT SEARCH CONFIGURATION {name} ALTER MAPPING FOR "
            f"hword, hword_part, word WITH {dictionaries}"
        )
    config = REGCONFIG.format(column="NEW.language")
    for statement in [
        "ALTER TABLE knowledge_articletext ADD COLUMN search_vector tsvector",
        f"""
        CREATE OR REPLACE FUNCTION knowledge_articletext_vector() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            NEW.search_vector :=
                setweight(to_tsvector({config}, coalesce(NEW.title, '')), 'A')
                || setweight(to_tsvector({config}, coalesce(NEW.body, '')), 'B');
            RETURN NEW;
        END
        $$
        """,
        "CREATE TRIGGER knowledge_articletext_vector "
        "BEFORE INSERT OR UPDATE OF title, body, language ON knowledge_articletext "
        "FOR EACH ROW EXECUTE FUNCTION knowledge_articletext_vector()",
        "UPDATE knowledge_articletext SET title = title",
        "CREATE INDEX knowledge_articletext_search ON knowledge_articletext "
        "USING gin (search_vector)",
    ]:
        schema_editor.execute(statement)


POSTGRES_BACKWARDS = [
    "DROP INDEX IF EXISTS knowledge_articletext_search",
    "DROP TRIGGER IF EXISTS knowledge_articletext_vector ON knowledge_articletext",
    "DROP FUNCTION IF EXISTS knowledge_articletext_vector()",
    "ALTER TABLE knowledge_articletext DROP COLUMN IF EXISTS search_vector",
    *(
        f"DROP TEXT SEARCH CONFIGURATION IF EXISTS knowledge_{language}"
        for language in CONFIGS
    ),
]

SQLITE_FORWARDS = [
    "CREATE VIRTUAL TABLE knowledge_articletext_fts USING fts5("
    "title, body, content='knowledge_articletext', content_rowid='id', "
    "tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE TRIGGER knowledge_articletext_fts_insert AFTER INSERT ON "
    "knowledge_articletext BEGIN "
    "INSERT INTO knowledge_articletext_fts(rowid, title, body) "
    "VALUES (new.id, new.title, new.body); END",
    "CREATE TRIGGER knowledge_articletext_fts_delete AFTER DELETE ON "
    "knowledge_articletext BEGIN "
    "INSERT INTO knowledge_articletext_fts(knowledge_articletext_fts, rowid, title, body) "
    "VALUES ('delete', old.id, old.title, old.body); END",
    "CREATE TRIGGER knowledge_articletext_fts_update AFTER UPDATE ON "
    "knowledge_articletext BEGIN "
    "INSERT INTO knowledge_articletext_fts(knowledge_articletext_fts, rowid, title, body) "
    "VALUES ('delete', old.id, old.title, old.body); "
    "INSERT INTO knowledge_articletext_fts(rowid, title, body) "
    "VALUES (new.id, new.title, new.body); END",
    "INSERT INTO knowledge_articletext_fts(knowledge_articletext_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARDS = [
    "DROP TRIGGER IF EXISTS knowledge_articletext_fts_update",
    "DROP TRIGGER IF EXISTS knowledge_articletext_fts_delete",
    "DROP TRIGGER IF EXISTS knowledge_articletext_fts_insert",
    "DROP TABLE IF EXISTS knowledge_articletext_fts",
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        _postgres_forwards(schema_editor)
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT sqlite_compileoption_used('ENABLE_FTS5')")
        (has_fts5,) = cursor.fetchone()
    if not has_fts5:
        raise RuntimeError(
            "This SQLite library was built without FTS5, which the knowledge "
            "base's search needs; use a Python whose SQLite has it (the official "
            "builds do) or PostgreSQL."
        )
    for statement in SQLITE_FORWARDS:
        schema_editor.execute(statement)


def backwards(apps, schema_editor):
    statements = (
        POSTGRES_BACKWARDS
        if schema_editor.connection.vendor == "postgresql"
        else SQLITE_BACKWARDS
    )
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0001_articles_proposals_feedback")]

    operations = [migrations.RunPython(forwards, backwards)]
