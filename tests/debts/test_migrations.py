"""The data migrations that ship bracket tables, run from the state before them."""

from __future__ import annotations

import datetime as dt
import importlib
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.migrations.loader import MigrationLoader

import pytest

from guichet.debts import selectors, services
from guichet.debts.garnishment import IncomeKind
from guichet.debts.models import BracketTable
from tests.debts.factories import remove_bracket_tables

pytestmark = pytest.mark.django_db

SHIPS_2020_2025 = importlib.import_module(
    "guichet.debts.migrations.0002_bracket_tables_2020_2025"
)
SHIPS_2026 = importlib.import_module("guichet.debts.migrations.0004_bracket_table_2026")


def _apps_before_2026() -> Any:
    """The historical models as migration 0004 sees them."""
    loader = MigrationLoader(connection)
    return loader.project_state(("debts", "0003_postgresql_guards")).apps


@pytest.fixture
def state_before_2026() -> Any:
    """The tables of 2020 to 2025 only, as a site has them before migration 0004."""
    remove_bracket_tables()
    apps = _apps_before_2026()
    SHIPS_2020_2025.forwards(apps, None)
    return apps


def test_adds_the_2026_table_with_its_source_and_medium_confidence(
    state_before_2026: Any,
) -> None:
    SHIPS_2026.forwards(state_before_2026, None)
    table = BracketTable.objects.get(valid_from__year=2026)
    assert (table.code, table.valid_from, table.valid_to) == (
        "2026",
        dt.date(2026, 1, 1),
        dt.date(2026, 12, 31),
    )
    assert (table.for_earned, table.for_replacement) == (True, True)
    assert (table.t0, table.t1, table.t2, table.t3, table.child_reduction) == (
        Decimal(1419),
        Decimal(1524),
        Decimal(1682),
        Decimal(1839),
        Decimal(88),
    )
    assert table.confidence == "medium"
    assert table.source.startswith("securex.be Lex4You")
    # Run again (as the test fixtures do after a flush): nothing changes.
    SHIPS_2026.forwards(state_before_2026, None)
    assert BracketTable.objects.filter(valid_from__year=2026).count() == 1


def test_keeps_a_2026_table_the_site_imported_before(state_before_2026: Any) -> None:
    services.bracket_tables_import(
        actor=None,
        rows=[
            {
                "code": "2026-decree",
                "valid_from": "2026-01-01",
                "valid_to": "2026-12-31",
                "income_kinds": ["replacement"],
                "t0": "1419",
                "t1": "1524",
                "t2": "1682",
                "t3": "1839",
                "child_reduction": "88",
                "source": "Royal decree for 2026 (test figures).",
                "confidence": "high",
            }
        ],
    )
    SHIPS_2026.forwards(state_before_2026, None)
    assert not BracketTable.objects.filter(code="2026").exists()
    on = dt.date(2026, 3, 1)
    assert (
        selectors.bracket_table_for(on=on, kind=IncomeKind.REPLACEMENT).code
        == "2026-decree"
    )
