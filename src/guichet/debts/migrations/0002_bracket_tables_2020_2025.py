"""Ship the garnishment bracket tables of 2020 to 2025 (art. 1409 C.jud.).

Figures, periods and sources as listed in docs/sources.md §1.2 (net monthly
income, EUR). Where the periods of earned and replacement income differ, one row per
kind of income, so that "which table is in force on date D for income kind K" has
exactly one answer:

- The COVID increase (24 Dec 2020 - 30 Sep 2021) applied to earned income only: no
  source was found that replacement income was raised too (§1.2, sdz.be's replacement
  table "looks wrong"). Replacement income kept the normal 2020 then 2021 tables.
- An earlier COVID increase in 2020 (1 138 -> 1 366, vrt.be 16 Jun 2020) existed, but
  its dates were not found: it is NOT shipped. Add it by import once its dates are
  known; until then 2020 dates use the normal 2020 table.
- No 2026 table was known when this migration was written (§1.9); migration 0004
  ships it.

Data are written here, not read from app code, so this migration never changes.
"""

import datetime as dt
from decimal import Decimal

from django.db import migrations

EARNED = (True, False)
REPLACEMENT = (False, True)
BOTH = (True, True)

# code, from, to, (earned, replacement), T0, T1, T2, T3, child, source, confidence, note
TABLES = [
    (
        "2020-earned",
        dt.date(2020, 1, 1),
        dt.date(2020, 12, 23),
        EARNED,
        (1138, 1222, 1349, 1475),
        70,
        "Yearly indexation royal decree for 2020 (decree date not retrieved); amounts per liantis.be 2020.",
        "medium",
        "Ends on 23 Dec 2020 for earned income: the COVID table applies from 24 Dec 2020. "
        "The earlier 2020 COVID increase (vrt.be, 16 Jun 2020) is not shipped: its dates are unknown.",
    ),
    (
        "2020-replacement",
        dt.date(2020, 1, 1),
        dt.date(2020, 12, 31),
        REPLACEMENT,
        (1138, 1222, 1349, 1475),
        70,
        "Yearly indexation royal decree for 2020 (decree date not retrieved); amounts per liantis.be 2020.",
        "medium",
        "The COVID increase of 24 Dec 2020 did not concern replacement income (no source found that it did).",
    ),
    (
        "2020-covid-earned",
        dt.date(2020, 12, 24),
        dt.date(2021, 9, 30),
        EARNED,
        (1366, 1467, 1619, 1770),
        84,
        "Temporary COVID-19 increase for earned income, 24 Dec 2020 to 31 Mar 2021, extended to 30 Jun "
        "then 30 Sep 2021; amounts per easypay-group.com, sdz.be, sodalis.be (back to normal 1 Oct 2021).",
        "medium",
        "Earned income only. Also the table of the cumulation rule (earned and replacement income "
        "together) in this period, since cumulation uses the thresholds of earned income.",
    ),
    (
        "2021-earned",
        dt.date(2021, 10, 1),
        dt.date(2021, 12, 31),
        EARNED,
        (1149, 1235, 1362, 1490),
        71,
        "Royal decree of 10 Dec 2020; amounts per sodalis.be 2021.",
        "medium",
        "For earned income, in force from 1 Oct 2021, after the COVID table.",
    ),
    (
        "2021-replacement",
        dt.date(2021, 1, 1),
        dt.date(2021, 12, 31),
        REPLACEMENT,
        (1149, 1235, 1362, 1490),
        71,
        "Royal decree of 10 Dec 2020; amounts per sodalis.be 2021.",
        "medium",
        "",
    ),
    (
        "2022",
        dt.date(2022, 1, 1),
        dt.date(2022, 11, 2),
        BOTH,
        (1186, 1274, 1406, 1538),
        73,
        "Royal decree of 17 Dec 2021; amounts per acerta.be 2022 and reflex.raadvst-consetat.be.",
        "high",
        "Ends on 2 Nov 2022: the energy-crisis table applies from 3 Nov 2022.",
    ),
    (
        "2022-energy",
        dt.date(2022, 11, 3),
        dt.date(2022, 12, 31),
        BOTH,
        (1424, 1529, 1688, 1846),
        88,
        "Law of 30 Oct 2022, art. 66 (reflex.raadvst-consetat.be); sodalis.be; besox.be.",
        "high",
        "Energy crisis, earned and replacement income.",
    ),
    (
        "2023-energy",
        dt.date(2023, 1, 1),
        dt.date(2023, 3, 31),
        BOTH,
        (1542, 1657, 1828, 2000),
        95,
        "Royal decree of 21 Dec 2022; amounts per sodalis.be, besox.be, cgslb.be, ucm.be, liantis.be.",
        "high",
        "Energy crisis, earned and replacement income.",
    ),
    (
        "2023",
        dt.date(2023, 4, 1),
        dt.date(2023, 12, 31),
        BOTH,
        (1316, 1414, 1560, 1706),
        81,
        "Royal decree of 11 Dec 2022; amounts per attentia.be, easypay-group.com, sodalis.be, "
        "gerechtsdeurwaarders.be.",
        "high",
        "",
    ),
    (
        "2024",
        dt.date(2024, 1, 1),
        dt.date(2024, 12, 31),
        BOTH,
        (1341, 1440, 1589, 1738),
        83,
        "Royal decree of 12 Dec 2023; amounts per attentia.be, groups.be, cgslb.be, aclvb.be, "
        "gerechtsdeurwaarders.be, securex.be.",
        "high",
        "",
    ),
    (
        "2025",
        dt.date(2025, 1, 1),
        dt.date(2025, 12, 31),
        BOTH,
        (1388, 1492, 1646, 1800),
        86,
        "Royal decree of 5 Dec 2024 (Moniteur belge 13 Dec 2024); amounts per easypay-group.com, "
        "syndicatsmagazine.be, clbgroup.be, etudesolva.be, avocat-demesse.be.",
        "high",
        "86 EUR per child (avocat-demesse.be's 73 is the 2022 figure, an error).",
    ),
]


def forwards(apps, schema_editor):
    BracketTable = apps.get_model("debts", "BracketTable")
    for code, start, end, kinds, thresholds, child, source, confidence, note in TABLES:
        if BracketTable.objects.filter(code=code).exists():
            continue
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
    dependencies = [("debts", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
