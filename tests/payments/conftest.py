"""Fixtures of the payments tests: two agents of the payment office (four eyes)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.debts.factories import load_shipped_tables


@pytest.fixture
def pay_agent(make_agent: Callable[..., Any]) -> Any:
    load_shipped_tables()
    return make_agent(
        "payment_agent", level="C", teams=("payment-office",), username="pay.c"
    )


@pytest.fixture
def pay_second(make_agent: Callable[..., Any]) -> Any:
    return make_agent(
        "payment_agent", level="B", teams=("payment-office",), username="pay.b"
    )
