"""On PostgreSQL, refuse UPDATE and DELETE of case-type versions by trigger.

A dossier is handled under the version it was opened with: a version changed in
place would change the rules of dossiers already open. The models and querysets
refuse it (`AppendOnlyModel`); this trigger refuses it in the database too, as for
the audit trail and the debts ledger. TRUNCATE stays allowed for the test database's
clean-up (docs/sources.md §6.1). SQLite relies on the models.
"""

from django.db import migrations

TABLE = "casetypes_casetypeversion"

FUNCTION = """
CREATE OR REPLACE FUNCTION casetypes_refuse_change() RETURNS trigger AS $$
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
    schema_editor.execute(
        f"CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE ON {TABLE} "
        "FOR EACH ROW EXECUTE FUNCTION casetypes_refuse_change();",
        params=None,
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE};", params=None)
    schema_editor.execute("DROP FUNCTION IF EXISTS casetypes_refuse_change();", params=None)


class Migration(migrations.Migration):
    dependencies = [("casetypes", "0001_case_types")]

    operations = [migrations.RunPython(forwards, backwards)]
