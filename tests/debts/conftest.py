"""Fixtures of the debts tests: payment agents and the shipped bracket tables."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.debts.factories import load_shipped_tables


@pytest.fixture
def tables(db: Any) -> None:
    """The bracket tables the migrations ship, even after a transactional test's flush."""
    load_shipped_tables()


@pytest.fixture
def payment_agent(make_agent: Callable[..., Any], tables: None) -> Any:
    return make_agent(
        "payment_agent", level="C", teams=("payment-office",), username="payer"
    )
