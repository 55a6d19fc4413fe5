"""On PostgreSQL, refuse UPDATE and DELETE of payments and refunds by trigger, as
for the debts' ledger (debts 0003): the cash book is corrected by a refund with its
reason, never by editing a row. TRUNCATE stays allowed for the test database's
clean-up. SQLite relies on the models and querysets, which refuse it too."""

from django.db import migrations

TABLES = ["cashbook_payment", "cashbook_refund"]

FUNCTION = """
CREATE OR REPLACE FUNCTION cashbook_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% rows are append-only: % refused on row %', TG_TABLE_NAME, TG_OP, OLD.id
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION, params=None)
    for table in TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION cashbook_refuse_change();",
            params=None,
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(
            f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};", params=None
        )
    schema_editor.execute("DROP FUNCTION IF EXISTS cashbook_refuse_change();", params=None)


class Migration(migrations.Migration):
    dependencies = [("cashbook", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
