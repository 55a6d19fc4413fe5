"""The supervisor's dashboard (issue #19): a team's first answers and resolutions
of a period, and the breaches due in a period, read by range instead of walking
every request of the team (docs/reports-dashboards.md)."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('agents', '0006_agent_is_system'),
        ('contacts', '0003_contact_waiting_since'),
        ('parties', '0005_refold_search_names'),
        ('servicerequests', '0002_event_identified'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='request',
            index=models.Index(condition=models.Q(('first_answered_at__isnull', False)), fields=['team', 'first_answered_at'], name='requests_first_answer_idx'),
        ),
        migrations.AddIndex(
            model_name='request',
            index=models.Index(condition=models.Q(('resolved_at__isnull', False)), fields=['team', 'resolved_at'], name='requests_resolved_idx'),
        ),
        migrations.AddIndex(
            model_name='servicelevelsignal',
            index=models.Index(condition=models.Q(('kind', 'breach')), fields=['due_at'], name='requests_signal_breach_idx'),
        ),
    ]
