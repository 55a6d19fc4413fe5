"""Ship the calendar `default`: Monday to Friday 09:00-17:00, Europe/Brussels,
closed on Belgium's public holidays (the ten legal holidays of the royal decree of
18 April 1974; Sundays are closed anyway).

Every team without a calendar of its own counts its deadlines in it, so it must
exist from the first `guichet migrate`. Written here, not read from app code, so
this migration never changes; running it again changes nothing.
"""

from django.db import migrations

OFFICE_HOURS = "09:00-17:00"

DEFAULT = {
    "code": "default",
    "name": "Monday to Friday, 09:00-17:00",
    "time_zone": "Europe/Brussels",
    "monday_hours": OFFICE_HOURS,
    "tuesday_hours": OFFICE_HOURS,
    "wednesday_hours": OFFICE_HOURS,
    "thursday_hours": OFFICE_HOURS,
    "friday_hours": OFFICE_HOURS,
    "saturday_hours": "",
    "sunday_hours": "",
    "closes_on_public_holidays": True,
}


def ship_default(apps, schema_editor):
    BusinessCalendar = apps.get_model("calendars", "BusinessCalendar")
    fields = {key: value for key, value in DEFAULT.items() if key != "code"}
    BusinessCalendar.objects.get_or_create(code=DEFAULT["code"], defaults=fields)


class Migration(migrations.Migration):
    dependencies = [("calendars", "0001_initial")]

    operations = [migrations.RunPython(ship_default, migrations.RunPython.noop)]
