"""The queue's indexes in the queue's order (bench/RESULTS.md, "Dossiers").

`selectors.queue` sorts open dossiers by legal deadline, then service norm, then
id; the first index had no service norm, so PostgreSQL read and sorted every
open dossier of the team for each page of 50. The second serves an agent of
several teams (the queue of all their teams).
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0003_export_package")]

    operations = [
        migrations.RemoveIndex(model_name="dossier", name="dossiers_open_queue_idx"),
        migrations.AddIndex(
            model_name="dossier",
            index=models.Index(
                condition=models.Q(("closed_at__isnull", True)),
                fields=["team", "processing_due", "service_norm_due", "id"],
                name="dossiers_open_queue_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="dossier",
            index=models.Index(
                condition=models.Q(("closed_at__isnull", True)),
                fields=["processing_due", "service_norm_due", "id"],
                name="dossiers_open_deadline_idx",
            ),
        ),
    ]
