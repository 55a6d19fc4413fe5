"""The supervisor's dashboard (issue #19): a team's dossiers closed in a period
(lead times), read by range instead of walking every dossier of the team
(docs/reports-dashboards.md)."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('agents', '0006_agent_is_system'),
        ('casetypes', '0002_postgresql_append_only'),
        ('contacts', '0003_contact_waiting_since'),
        ('dossiers', '0005_queue_filter_indexes'),
        ('parties', '0005_refold_search_names'),
        ('servicerequests', '0003_report_indexes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='dossier',
            index=models.Index(condition=models.Q(('closed_at__isnull', False)), fields=['team', 'closed_at'], name='dossiers_team_closed_idx'),
        ),
    ]
