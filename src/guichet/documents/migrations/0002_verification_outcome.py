"""The outcome of a verification (verified, not valid, does not match, expired).

Rows written before it get the outcome their `is_valid` said then: `verified` or
`not_valid` (they were not compared with the record the way `checking.verdict`
now does, and stay as they were judged).
"""

from typing import Any

from django.db import migrations, models


def _outcome_of_earlier_rows(apps: Any, schema_editor: Any) -> None:
    verification = apps.get_model("documents", "DocumentVerification")
    verification.objects.filter(is_valid=True).update(outcome="verified")


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="documentverification",
            name="outcome",
            field=models.CharField(default="not_valid", max_length=16),
            preserve_default=False,
        ),
        migrations.RunPython(_outcome_of_earlier_rows, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='documentverification',
            name='is_valid',
            field=models.BooleanField(help_text="The outcome is 'verified'.", verbose_name='passed'),
        ),
        migrations.AlterField(
            model_name='documentverification',
            name='outcome',
            field=models.CharField(choices=[('verified', 'verified'), ('not_valid', 'not valid'), ('does_not_match', 'does not match'), ('expired', 'expired')], help_text='Verified only when the value is valid, matches the person and the document on record, and the document had not expired.', max_length=16, verbose_name='outcome'),
        ),
        migrations.AlterField(
            model_name='documentverification',
            name='result',
            field=models.JSONField(help_text="The check's answer and the reasons of the outcome, as codes with their parameters (messages are rendered in the reader's language).", verbose_name='result'),
        ),
    ]
