"""On PostgreSQL, guard the ledger and the bracket tables in the database itself.

- UPDATE and DELETE of ledger rows (entries, instalment plans, postings) and of
  bracket tables are refused by trigger, as for the audit trail (audit 0002).
  TRUNCATE stays allowed for the test database's clean-up (docs/sources.md §6.1).
- Two bracket tables in force on the same day for the same kind of income are
  refused by exclusion constraints on date ranges (one per kind, so no btree_gist
  extension is needed).

SQLite gets neither: the models and querysets refuse changes, and the import
service refuses overlaps under a lock.
"""

from django.db import migrations

TABLES = [
    "debts_debtentry",
    "debts_instalmentplan",
    "debts_allocationposting",
    "debts_brackettable",
]

FUNCTION = """
CREATE OR REPLACE FUNCTION debts_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% rows are append-only: % refused on row %', TG_TABLE_NAME, TG_OP, OLD.id
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""

EXCLUSIONS = """
ALTER TABLE debts_brackettable ADD CONSTRAINT debts_brackets_no_overlap_earned
    EXCLUDE USING gist (daterange(valid_from, valid_to, '[]') WITH &&) WHERE (for_earned);
ALTER TABLE debts_brackettable ADD CONSTRAINT debts_brackets_no_overlap_replacement
    EXCLUDE USING gist (daterange(valid_from, valid_to, '[]') WITH &&) WHERE (for_replacement);
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION, params=None)
    for table in TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION debts_refuse_change();",
            params=None,
        )
    schema_editor.execute(EXCLUSIONS, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "ALTER TABLE debts_brackettable DROP CONSTRAINT IF EXISTS debts_brackets_no_overlap_earned;"
        "ALTER TABLE debts_brackettable DROP CONSTRAINT IF EXISTS debts_brackets_no_overlap_replacement;",
        params=None,
    )
    for table in TABLES:
        schema_editor.execute(
            f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};", params=None
        )
    schema_editor.execute("DROP FUNCTION IF EXISTS debts_refuse_change();", params=None)


class Migration(migrations.Migration):
    dependencies = [("debts", "0002_bracket_tables_2020_2025")]

    operations = [migrations.RunPython(forwards, backwards)]
