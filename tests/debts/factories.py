"""Factories of the debts app: debts with their opening entry, the shipped tables."""

from __future__ import annotations

import datetime as dt
import importlib
from decimal import Decimal
from typing import Any

import factory

from guichet.debts.garnishment import BracketTable, IncomeKind
from guichet.debts.models import Debt, DebtEntry
from tests.factories import PersonFactory, TeamFactory

# The migrations that ship bracket tables, in order.
_SHIPPING = [
    importlib.import_module(f"guichet.debts.migrations.{name}")
    for name in ("0002_bracket_tables_2020_2025", "0004_bracket_table_2026")
]


def shipped_tables() -> list[BracketTable]:
    """The tables the migrations ship, as pure tables (no database needed)."""
    tables = []
    for (
        code,
        start,
        end,
        kinds,
        thresholds,
        child,
        source,
        confidence,
        note,
    ) in (row for migration in _SHIPPING for row in migration.TABLES):
        income_kinds = {
            kind for kind, applies in zip(IncomeKind, kinds, strict=True) if applies
        }
        tables.append(
            BracketTable(
                code=code,
                valid_from=start,
                valid_to=end,
                income_kinds=frozenset(income_kinds),
                thresholds=tuple(Decimal(value) for value in thresholds),  # type: ignore[arg-type]
                child_reduction=Decimal(child),
                source=source,
                confidence=confidence,
                note=note,
            )
        )
    return tables


def shipped(code: str) -> BracketTable:
    return next(table for table in shipped_tables() if table.code == code)


def load_shipped_tables() -> None:
    """Run the migrations that ship tables again (they skip tables present), for
    tests after a flush."""
    from django.apps import apps

    for migration in _SHIPPING:
        migration.forwards(apps, None)


def remove_bracket_tables() -> None:
    """Empty the bracket tables, as a database flushed after migrating is. The model
    refuses deletes, and so does PostgreSQL's trigger, which lets TRUNCATE through."""
    from django.db import connection

    from guichet.debts.models import BracketTable as BracketTableRow

    table = BracketTableRow._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"TRUNCATE {table}"
            if connection.vendor == "postgresql"
            else f"DELETE FROM {table}"  # noqa: S608 - a model's table name
        )


class DebtFactory(factory.django.DjangoModelFactory):
    """A debt with its principal entry; `balance` sets the principal."""

    class Meta:
        model = Debt
        skip_postgeneration_save = True

    person = factory.SubFactory(PersonFactory)
    team = factory.LazyFunction(lambda: TeamFactory(code="payment-office"))
    kind = "seizure"
    creditor_name = factory.Sequence(lambda n: f"Bailiff {n}")
    notified_on = dt.date(2024, 3, 1)

    class Params:
        recovery = factory.Trait(kind="recovery", creditor_name="")
        subrogation = factory.Trait(
            kind="subrogation",
            creditor_name="CPAS",
            period_from=dt.date(2025, 1, 1),
            period_to=dt.date(2025, 3, 31),
        )

    @factory.post_generation
    def balance(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            DebtEntry.objects.create(
                debt=self,
                kind="principal",
                amount=Decimal(extracted if extracted is not None else "1000.00"),
                booked_on=self.notified_on,
            )
