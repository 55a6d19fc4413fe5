"""Create the role rows the access policy knows."""

from django.db import migrations

ROLE_CODES = [
    "first_line",
    "second_line",
    "front_office",
    "support_agent",
    "dossier_handler",
    "payment_agent",
    "supervisor",
    "admin",
]


def create_roles(apps, schema_editor):
    role = apps.get_model("agents", "Role")
    for code in ROLE_CODES:
        role.objects.get_or_create(code=code)


class Migration(migrations.Migration):
    dependencies = [("agents", "0001_initial")]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
