"""Queue the rows written before keys for the sealer, and restart the heads.

Rows written before migration 0004 were chained at once by SHA-256. They are
queued here, in id order (their old sequence order), and the sealer seals them
first, from number 1, with their old hash as digest; `guichet audit verify` then
checks their old chain too. Run `guichet audit verify` before upgrading: what
was changed before this migration is sealed as it is.
"""

from django.db import migrations

GENESIS = "0" * 64


def queue(apps, schema_editor):
    head = apps.get_model("audit", "ChainHead")
    for chain in ("changes", "access"):
        head.objects.update_or_create(
            chain=chain, defaults={"seq": 0, "link": GENESIS}
        )
    schema_editor.execute(
        "INSERT INTO audit_auditpending (event_id, chain)"
        " SELECT id, chain FROM audit_auditevent ORDER BY id",
        params=None,
    )


class Migration(migrations.Migration):
    dependencies = [("audit", "0005_append_only_and_queue_triggers")]

    operations = [migrations.RunPython(queue, migrations.RunPython.noop)]
