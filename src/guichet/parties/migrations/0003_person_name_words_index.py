"""Word index for name search on PostgreSQL (see parties/search.py).

A GIN index over the words of `search_name` (`to_tsvector('simple', ...)`), and
`parties_name_variant`: every distinct name word of two letters or more, with
each spelling obtained by deleting one of its letters (a "deletion neighbourhood").
A typed word and a name word one edit apart share a spelling there, so the words
a typo may stand for are found by an index lookup, not by scanning every name.
A trigger keeps the table in step with every write of `search_name`, including
bulk loads; words are never removed (a stale word only adds a candidate that
matches nobody). SQLite keeps its FTS5 trigram table (migration 0002).
"""

from django.db import migrations

# One-letter words ("d" of "d'Hondt") are left out: one edit from them is every
# other letter. A typed word is still looked up by its one-letter deletions, so
# "de" finds "den" and "d" finds "de" (particles are where most typos fell in
# bench/search).
VARIANTS_SQL = """
    SELECT DISTINCT variant.spelling, word.word
    FROM {words} AS word(word)
    CROSS JOIN LATERAL (
        SELECT word.word
        UNION ALL
        SELECT overlay(word.word PLACING '' FROM position FOR 1)
        FROM generate_series(1, length(word.word)) AS position
    ) AS variant(spelling)
    WHERE length(word.word) >= 2
"""

# The words of the row being written that the table does not hold yet.
NEW_WORDS = (
    "(SELECT typed FROM unnest(string_to_array(NEW.search_name, ' ')) AS typed "
    "WHERE NOT EXISTS (SELECT 1 FROM parties_name_variant AS known "
    "WHERE known.spelling = typed AND known.word = typed))"
)

POSTGRES_FORWARDS = [
    "CREATE INDEX IF NOT EXISTS parties_person_search_words ON parties_person "
    "USING gin (to_tsvector('simple'::regconfig, search_name))",
    "CREATE TABLE IF NOT EXISTS parties_name_variant ("
    "spelling text NOT NULL, word text NOT NULL, PRIMARY KEY (spelling, word))",
    f"""
    CREATE OR REPLACE FUNCTION parties_person_name_variants() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO parties_name_variant (spelling, word)
        {VARIANTS_SQL.format(words=NEW_WORDS)}
        ON CONFLICT DO NOTHING;
        RETURN NULL;
    END
    $$
    """,
    "CREATE OR REPLACE TRIGGER parties_person_name_variants "
    "AFTER INSERT OR UPDATE OF search_name ON parties_person "
    "FOR EACH ROW EXECUTE FUNCTION parties_person_name_variants()",
    f"""
    INSERT INTO parties_name_variant (spelling, word)
    {VARIANTS_SQL.format(words="(SELECT DISTINCT unnest(string_to_array(search_name, ' ')) FROM parties_person)")}
    ON CONFLICT DO NOTHING
    """,
    "ANALYZE parties_name_variant",
]
POSTGRES_BACKWARDS = [
    "DROP TRIGGER IF EXISTS parties_person_name_variants ON parties_person",
    "DROP FUNCTION IF EXISTS parties_person_name_variants()",
    "DROP TABLE IF EXISTS parties_name_variant",
    "DROP INDEX IF EXISTS parties_person_search_words",
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRES_FORWARDS:
            schema_editor.execute(statement)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRES_BACKWARDS:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("parties", "0002_person_name_search_index")]

    operations = [migrations.RunPython(forwards, backwards)]
