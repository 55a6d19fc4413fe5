"""The queue's common filters in the queue's order (bench/RESULTS.md, "Dossiers").

A status or "mine" keeps few of a team's open dossiers: on the team's deadline
index alone PostgreSQL read and sorted all the team's dossiers of the status
(260 ms at 1,000,000 dossiers) or walked the team's queue until 51 of the
agent's matched. The status index is not partial so that the status filter
alone (which does not say "open") reaches it, a closed status included.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0004_bench_indexes")]

    operations = [
        migrations.AddIndex(
            model_name="dossier",
            index=models.Index(
                fields=["team", "status", "processing_due", "service_norm_due", "id"],
                name="dossiers_status_queue_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="dossier",
            index=models.Index(
                condition=models.Q(("closed_at__isnull", True)),
                fields=["owner", "processing_due", "service_norm_due", "id"],
                name="dossiers_owner_queue_idx",
            ),
        ),
    ]
