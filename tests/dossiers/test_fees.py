"""The fee amount an agent gives where the case type leaves it to the service."""

from __future__ import annotations

from decimal import Decimal

import pytest

from guichet.core.validation import Problems
from guichet.dossiers import services


@pytest.mark.parametrize(
    "value", ["-1", "1.001", "1E+40", "NaN", "Infinity", "100000000.00", "abc"]
)
def test_a_fee_amount_outside_what_is_stored_is_refused(value: str) -> None:
    problems = Problems()
    assert services._amount(problems, value) is None
    assert [e.code for e in problems.errors] == ["fee_amount_required"]


def test_a_fee_amount_in_euros_is_kept() -> None:
    problems = Problems()
    assert services._amount(problems, "65.00") == Decimal("65.00")
    assert problems.errors == []
