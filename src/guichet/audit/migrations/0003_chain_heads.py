"""Create the head row of each chain, so appends only ever lock an existing row."""

from django.db import migrations

GENESIS = "0" * 64


def create_heads(apps, schema_editor):
    head = apps.get_model("audit", "ChainHead")
    for chain in ("changes", "access"):
        head.objects.get_or_create(chain=chain, defaults={"seq": 0, "hash": GENESIS})


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_trigger")]

    operations = [migrations.RunPython(create_heads, migrations.RunPython.noop)]
