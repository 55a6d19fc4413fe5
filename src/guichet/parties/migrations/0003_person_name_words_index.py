"""Word index for name search (see parties/search.py).

An index of the words of `search_name` (PostgreSQL: GIN over
`to_tsvector('simple', ...)`; SQLite: an FTS5 table with the unicode61
tokenizer, kept in step by triggers), and
`parties_name_variant`: every distinct name word of two letters or more, with
each spelling obtained by deleting one of its letters (a "deletion neighbourhood").
A typed word and a name word one edit apart share a spelling there, so the words
a typo may stand for are found by an index lookup, not by scanning every name.
Triggers keep the table in step with every write of `search_name`, including
bulk loads; words are never removed (a stale word only adds a candidate that
matches nobody). The trigram indexes of migration 0002 stay, for the names the
words do not find.
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


# SQLite triggers may not use a recursive CTE (or generate_series, an extension):
# json_each over the list 0..63 gives the positions. Position 0 is the word itself;
# a word longer than 63 letters (no name has one) gets no deletion past the 63rd.
POSITIONS = "[" + ",".join(str(position) for position in range(64)) + "]"
SQLITE_VARIANTS = f"""
    INSERT OR IGNORE INTO parties_name_variant (spelling, word)
    SELECT DISTINCT
        CASE WHEN position.value = 0 THEN word.value
        ELSE substr(word.value, 1, position.value - 1) || substr(word.value, position.value + 1)
        END,
        word.value
    FROM {{words}} AS word, json_each('{POSITIONS}') AS position
    WHERE length(word.value) >= 2 AND position.value <= length(word.value)
"""
# `fold` leaves only [a-z0-9] and single spaces in search_name: a JSON list of its
# words needs no escaping.
SQLITE_WORDS = "json_each('[\"' || replace({name}, ' ', '\",\"') || '\"]')"

SQLITE_FORWARDS = [
    "CREATE TABLE parties_name_variant ("
    "spelling text NOT NULL, word text NOT NULL, PRIMARY KEY (spelling, word)) WITHOUT ROWID",
    "CREATE VIRTUAL TABLE parties_person_words USING fts5("
    "search_name, content='parties_person', content_rowid='id', tokenize='unicode61')",
    "CREATE TRIGGER parties_person_words_insert AFTER INSERT ON parties_person BEGIN "
    "INSERT INTO parties_person_words(rowid, search_name) VALUES (new.id, new.search_name); "
    + SQLITE_VARIANTS.format(words=SQLITE_WORDS.format(name="new.search_name"))
    + "; END",
    "CREATE TRIGGER parties_person_words_delete AFTER DELETE ON parties_person BEGIN "
    "INSERT INTO parties_person_words(parties_person_words, rowid, search_name) "
    "VALUES ('delete', old.id, old.search_name); END",
    "CREATE TRIGGER parties_person_words_update AFTER UPDATE OF search_name ON parties_person BEGIN "
    "INSERT INTO parties_person_words(parties_person_words, rowid, search_name) "
    "VALUES ('delete', old.id, old.search_name); "
    "INSERT INTO parties_person_words(rowid, search_name) VALUES (new.id, new.search_name); "
    + SQLITE_VARIANTS.format(words=SQLITE_WORDS.format(name="new.search_name"))
    + "; END",
    "INSERT INTO parties_person_words(parties_person_words) VALUES ('rebuild')",
    SQLITE_VARIANTS.format(
        words="(SELECT DISTINCT typed.value AS value FROM parties_person, "
        + SQLITE_WORDS.format(name="parties_person.search_name")
        + " AS typed)"
    ),
]
SQLITE_BACKWARDS = [
    "DROP TRIGGER IF EXISTS parties_person_words_update",
    "DROP TRIGGER IF EXISTS parties_person_words_delete",
    "DROP TRIGGER IF EXISTS parties_person_words_insert",
    "DROP TABLE IF EXISTS parties_person_words",
    "DROP TABLE IF EXISTS parties_name_variant",
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
    dependencies = [("parties", "0002_person_name_search_index")]

    operations = [migrations.RunPython(forwards, backwards)]
