"""On PostgreSQL, refuse UPDATE and DELETE of article revisions by trigger, as for
the cash book (cashbook 0002): an article's history is never rewritten; restoring
an old text adds a revision. TRUNCATE stays allowed for the test database's
clean-up. SQLite relies on the model and queryset, which refuse it too."""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION knowledge_refuse_change() RETURNS trigger AS $$
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
        "CREATE TRIGGER knowledge_articlerevision_append_only BEFORE UPDATE OR DELETE "
        "ON knowledge_articlerevision "
        "FOR EACH ROW EXECUTE FUNCTION knowledge_refuse_change();",
        params=None,
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "DROP TRIGGER IF EXISTS knowledge_articlerevision_append_only "
        "ON knowledge_articlerevision;",
        params=None,
    )
    schema_editor.execute("DROP FUNCTION IF EXISTS knowledge_refuse_change();", params=None)


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0002_article_search")]

    operations = [migrations.RunPython(forwards, backwards)]
