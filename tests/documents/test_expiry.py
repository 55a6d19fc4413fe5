"""A document that expires before the decision date is flagged."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from guichet.documents.expiry import document_expires_before, expires_before

DECISION = dt.date(2026, 3, 15)


@dataclass
class _Doc:
    expires_on: dt.date | None


@pytest.mark.parametrize(
    ("_case", "expires_on", "flagged"),
    [
        ("the day before", dt.date(2026, 3, 14), True),
        ("on the decision date", dt.date(2026, 3, 15), False),
        ("the day after", dt.date(2026, 3, 16), False),
        ("never expires", None, False),
    ],
)
def test_flags_only_a_document_that_expires_before_the_decision(
    _case: str, expires_on: dt.date | None, flagged: bool
) -> None:
    assert expires_before(expires_on=expires_on, decision_date=DECISION) is flagged
    assert document_expires_before(_Doc(expires_on), DECISION) is flagged


@given(expires=st.dates(), decision=st.dates())
def test_flagged_exactly_when_the_last_valid_day_is_before_the_decision(
    expires: dt.date, decision: dt.date
) -> None:
    assert expires_before(expires_on=expires, decision_date=decision) == (
        (decision - expires).days > 0
    )
