"""Minutes and action items move to the agenda app (issue #17).

The tables are renamed, their rows kept; the models leave this app's state here and
enter the agenda's in agenda 0001, which also moves their content types.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("correspondence", "0009_dispatch_message_id"),
    ]

    operations = [
        migrations.AlterModelTable(name="minutes", table="agenda_minutes"),
        migrations.AlterModelTable(name="actionitem", table="agenda_actionitem"),
        migrations.RenameIndex(
            model_name="actionitem",
            new_name="agenda_action_owner",
            old_name="correspondence_action_owner",
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="actionitem"),
                migrations.DeleteModel(name="minutes"),
            ],
            database_operations=[],
        ),
    ]
