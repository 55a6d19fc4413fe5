"""Ship the garnishment bracket table of 2026 (art. 1409 Judicial Code).

Thresholds from one secondary source (docs/sources.md §1.2 and §1.9): securex.be
Lex4You, "Les seuils pour la saisie sur salaire à partir du 1er janvier 2026". The
royal decree's reference in the Moniteur belge is not at hand, so the table ships
with confidence "medium", which every screen and answer flags to the agent. The rise
over 2025 (about 2.2 %) matches the index.

A site that already imported a table in force on some day of 2026 (from the decree,
say) keeps it: this table is then not added, since two tables cannot be in force on
the same day for the same kind of income, and a loaded table is never changed.

Data are written here, not read from app code, so this migration never changes.
"""

import datetime as dt
from decimal import Decimal

from django.db import migrations

BOTH = (True, True)

# code, from, to, (earned, replacement), T0..T3, child, source, confidence, note
TABLES = [
    (
        "2026",
        dt.date(2026, 1, 1),
        dt.date(2026, 12, 31),
        BOTH,
        (1419, 1524, 1682, 1839),
        88,
        'securex.be Lex4You, "Les seuils pour la saisie sur salaire à partir du 1er '
        'janvier 2026" (one secondary source; the royal decree\'s Moniteur belge '
        "reference is not at hand).",
        "medium",
        "One source: check these amounts against the royal decree for 2026. The rise "
        "over 2025 (+2.2 %) matches the index. The source's column of 2025 amounts "
        "prints 1 495 for T1, where every 2025 source says 1 492.",
    ),
]


def forwards(apps, schema_editor):
    BracketTable = apps.get_model("debts", "BracketTable")
    for code, start, end, kinds, thresholds, child, source, confidence, note in TABLES:
        if BracketTable.objects.filter(code=code).exists():
            continue
        in_force = BracketTable.objects.filter(valid_from__lte=end, valid_to__gte=start)
        if (kinds[0] and in_force.filter(for_earned=True).exists()) or (
            kinds[1] and in_force.filter(for_replacement=True).exists()
        ):
            continue  # a table imported on this site already covers these days
        t0, t1, t2, t3 = (Decimal(value) for value in thresholds)
        BracketTable.objects.create(
            code=code,
            valid_from=start,
            valid_to=end,
            for_earned=kinds[0],
            for_replacement=kinds[1],
            t0=t0,
            t1=t1,
            t2=t2,
            t3=t3,
            child_reduction=Decimal(child),
            source=source,
            confidence=confidence,
            note=note,
        )


class Migration(migrations.Migration):
    dependencies = [("debts", "0003_postgresql_guards")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
