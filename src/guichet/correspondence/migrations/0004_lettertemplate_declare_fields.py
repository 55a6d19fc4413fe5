"""Declare the free fields of the templates that exist, and type the drafts' values.

Every free field is now declared with a type and labels. The templates shipped in
data/letter_templates.yaml get the declarations shipped with them (written out here:
a migration never reads files that change later); any other free field, written by
an administrator, becomes a text labelled with its own name, as it behaved until now.
Versions are declared too, so drafts keep working on the version they were written
from. Their values typed by hand ("31/03/2027", "14h30") are rewritten in the
canonical form (2027-03-31, 14:30) where they read as one; the others stay as they
are, and the letter page names the field to correct before the letter is issued.
"""

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django.db import migrations


def _labels(fr, nl, de, en):
    return {"fr": fr, "nl": nl, "de": de, "en": en}


SHIPPED = {
    "documents_missing": {
        "documents": {
            "type": "text",
            "label": _labels(
                "Documents manquants",
                "Ontbrekende documenten",
                "Fehlende Unterlagen",
                "Missing documents",
            ),
        },
        "deadline": {
            "type": "date",
            "label": _labels(
                "Date limite de remise",
                "Uiterste datum van indiening",
                "Frist für die Einreichung",
                "Deadline for sending them",
            ),
        },
    },
    "appointment": {
        "date": {
            "type": "date",
            "label": _labels(
                "Date du rendez-vous",
                "Datum van de afspraak",
                "Datum des Termins",
                "Date of the appointment",
            ),
        },
        "time": {
            "type": "time",
            "label": _labels(
                "Heure du rendez-vous",
                "Uur van de afspraak",
                "Uhrzeit des Termins",
                "Time of the appointment",
            ),
        },
    },
    "information": {
        "information": {
            "type": "text",
            "label": _labels(
                "Information à communiquer",
                "Mee te delen informatie",
                "Mitzuteilende Information",
                "Information to give",
            ),
        },
    },
}

OPEN = ("draft", "rejected", "pending_approval")


def _declared(code, names):
    shipped = SHIPPED.get(code, {})
    return {
        name: shipped.get(name)
        or {"type": "text", "label": _labels(name, name, name, name)}
        for name in names
    }


def _canonical(kind, value):
    """The canonical form of a value typed by hand, or None when it reads as none."""
    text = " ".join(str(value).split())
    try:
        if kind == "date":
            if re.match(r"^\d{4}-\d{2}-\d{2}$", text):
                return dt.date.fromisoformat(text).isoformat()
            match = re.match(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$", text)
            if match:
                day, month, year = (int(part) for part in match.groups())
                return dt.date(year, month, day).isoformat()
        elif kind == "time":
            match = re.match(r"^(\d{1,2})\s*[:.hu]\s*(\d{2})?$", text, re.IGNORECASE)
            if match:
                hour, minute = int(match.group(1)), int(match.group(2) or 0)
                if hour < 24 and minute < 60:
                    return f"{hour:02d}:{minute:02d}"
        elif kind == "amount":
            amount = Decimal(text.replace(" ", "").replace(",", "."))
            if amount >= 0 and amount == amount.quantize(Decimal("0.01")):
                return f"{amount:.2f}"
    except (ValueError, InvalidOperation):
        return None
    return None


def declare(apps, schema_editor):
    Version = apps.get_model("correspondence", "LetterTemplateVersion")
    Template = apps.get_model("correspondence", "LetterTemplate")
    Letter = apps.get_model("correspondence", "Letter")
    declared_versions = {}
    for version in Version.objects.select_related("template__letter_type").iterator():
        fields = _declared(version.template.letter_type.code, version.free_fields)
        # A version is never changed, but it had no declarations to keep: this
        # writes down the types its fields had all along (an update, not a save).
        Version.objects.filter(pk=version.pk).update(fields=fields)
        declared_versions[version.pk] = fields
    for template in Template.objects.select_related("letter_type").iterator():
        current = Version.objects.filter(
            template=template, number=template.version
        ).first()
        names = current.free_fields if current is not None else []
        Template.objects.filter(pk=template.pk).update(
            fields=_declared(template.letter_type.code, names)
        )
    for letter in Letter.objects.filter(
        status__in=OPEN, template_version__isnull=False
    ).iterator():
        fields = declared_versions.get(letter.template_version_id, {})
        values = dict(letter.free_values)
        for name, value in letter.free_values.items():
            kind = fields.get(name, {}).get("type", "text")
            canonical = _canonical(kind, value) if kind != "text" else None
            if canonical is not None:
                values[name] = canonical
        if values != letter.free_values:
            Letter.objects.filter(pk=letter.pk).update(free_values=values)


class Migration(migrations.Migration):
    dependencies = [
        ("correspondence", "0003_lettertemplate_add_fields"),
    ]

    operations = [
        migrations.RunPython(declare, migrations.RunPython.noop),
    ]
