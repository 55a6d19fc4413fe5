#!/usr/bin/env python3
"""Fill a PostgreSQL database with beneficiaries for the payments benchmark.

    psql -h 127.0.0.1 -U postgres -c 'create database bench_payments'
    .venv/bin/python bench/payments/generate.py --beneficiaries 100000 \\
        --database-url postgres://postgres@127.0.0.1:5432/bench_payments

Issue #18 item 10: 10% of the beneficiaries have a seizure or an assignment (with
the creditor's account), 3% a recovery of unduly paid benefits; each has one
entitlement (a third with withholding tax), a confirmed account and a signed,
dated declaration for the month (--month, default 2026-11). Two agents of the
office `bench-office` are made through the services (`bench.preparer`, level C;
`bench.approver`, level B): who prepares never approves.

Rows are written with bulk inserts, not through the services (a million
beneficiaries through the services would take hours, and the benchmark measures
the run, not the data entry). Resumable: the beneficiaries are numbered; run it
again and it adds the missing ones, in chunks of --chunk, one transaction each.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
IBANS = [
    "BE68539007547034",
    "BE71096123456769",
    "BE62510007547061",
    "BE43068999999501",
    "BE11000123456748",
    "BE88363000000141",
]


def setup(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guichet.settings")
    os.environ.setdefault("GUICHET_DEBUG", "false")
    os.environ.setdefault("GUICHET_SECRET_KEY", "bench-" + "x" * 50)
    os.environ.setdefault("GUICHET_ALLOWED_HOSTS", "localhost")
    os.environ.setdefault("GUICHET_AUDIT_KEYS", "bench=" + "k" * 43)
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--beneficiaries", type=int, default=100_000)
    parser.add_argument("--month", default="2026-11")
    parser.add_argument("--chunk", type=int, default=10_000)
    options = parser.parse_args()
    setup(options.database_url)

    from django.core.management import call_command
    from django.db import transaction

    call_command("migrate", verbosity=0)

    from guichet.agents.models import Agent, Team
    from guichet.agents.services import agent_create, roles_ensure, team_ensure
    from guichet.debts.models import Debt, DebtEntry
    from guichet.parties.models import Person
    from guichet.payments import calculation
    from guichet.payments.models import (
        Beneficiary,
        CreditorAccount,
        Declaration,
        Entitlement,
    )

    roles_ensure()
    if not Team.objects.filter(code="bench-office").exists():
        team_ensure(actor=None, code="bench-office", name="Bench office", language="fr")
    team = Team.objects.get(code="bench-office")
    for username, level in (("bench.preparer", "C"), ("bench.approver", "B")):
        if not Agent.objects.filter(username=username).exists():
            agent_create(
                actor=None,
                username=username,
                password=None,
                level=level,
                roles=["payment_agent"],
                teams=["bench-office"],
                check_password=False,
            )
    first, last = calculation.month_bounds(options.month)
    done = Beneficiary.objects.filter(team=team).count()
    # The persons' name-variant trigger (the name search's word neighbours, about
    # 15 ms a person) is off while the bench's persons are loaded: the run never
    # searches names, and a million persons would otherwise take hours. On again
    # at the end, so the database stays as the migrations made it.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "ALTER TABLE parties_person DISABLE TRIGGER parties_person_name_variants"
        )
    started = time.monotonic()
    while done < options.beneficiaries:
        size = min(options.chunk, options.beneficiaries - done)
        chance = random.Random(done)
        with transaction.atomic():
            persons = Person.objects.bulk_create(
                [
                    Person(
                        given_names="Bench",
                        surname=f"Beneficiary{done + index}",
                        birth_date=dt.date(1960, 1, 1)
                        + dt.timedelta(days=index % 12000),
                        sex="F" if index % 2 else "M",
                        national_number=None,
                        national_number_type="",
                        language="fr",
                        search_name=f"beneficiary{done + index} bench",
                    )
                    for index in range(size)
                ]
            )
            beneficiaries = Beneficiary.objects.bulk_create(
                [
                    Beneficiary(
                        person=person,
                        team=team,
                        children=index % 3,
                        account_iban=IBANS[index % len(IBANS)],
                        account_holder=f"Bench Beneficiary{done + index}",
                        account_since=first,
                    )
                    for index, person in enumerate(persons)
                ]
            )
            Entitlement.objects.bulk_create(
                [
                    Entitlement(
                        beneficiary=beneficiary,
                        category="full_unemployment",
                        daily_amount=Decimal(45 + chance.randint(0, 40)),
                        starts_on=first,
                        withholding_rate=Decimal("0.1009") if index % 3 == 0 else 0,
                        decided_on=first,
                    )
                    for index, beneficiary in enumerate(beneficiaries)
                ]
            )
            Declaration.objects.bulk_create(
                [
                    Declaration(
                        beneficiary=beneficiary,
                        month=options.month,
                        days_payable=22 - index % 3,
                        days_worked=index % 3,
                        received_on=last,
                        signed=True,
                        dated_on=last,
                    )
                    for index, beneficiary in enumerate(beneficiaries)
                ]
            )
            debts = []
            for index, beneficiary in enumerate(beneficiaries):
                draw = (done + index) % 100
                if draw < 10:
                    kind = "seizure" if draw < 7 else "assignment"
                elif draw < 13:
                    kind = "recovery"
                else:
                    continue
                debts.append(
                    Debt(
                        person_id=beneficiary.person_id,
                        team=team,
                        kind=kind,
                        creditor_name="" if kind == "recovery" else "Bench creditor",
                        reference=f"BENCH-{done + index}",
                        notified_on=dt.date(2025, 1, 1)
                        + dt.timedelta(days=index % 300),
                    )
                )
            debts = Debt.objects.bulk_create(debts)
            DebtEntry.objects.bulk_create(
                [
                    DebtEntry(
                        debt=debt,
                        kind="principal",
                        amount=Decimal(chance.randint(200, 5000)),
                        booked_on=debt.notified_on,
                    )
                    for debt in debts
                ]
            )
            CreditorAccount.objects.bulk_create(
                [
                    CreditorAccount(
                        debt=debt,
                        name="Bench creditor",
                        iban=IBANS[debt.pk % len(IBANS)],
                        ogm="090933755493" if debt.pk % 2 else "",
                    )
                    for debt in debts
                    if debt.kind != "recovery"
                ]
            )
        done += size
        print(
            f"{done} beneficiaries ({time.monotonic() - started:.0f} s)",
            file=sys.stderr,
            flush=True,
        )
    with connection.cursor() as cursor:
        cursor.execute(
            "ALTER TABLE parties_person ENABLE TRIGGER parties_person_name_variants"
        )
        cursor.execute("ANALYZE")


if __name__ == "__main__":
    main()
