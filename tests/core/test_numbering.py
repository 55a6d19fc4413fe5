"""The locked series of `core.numbering`: outside a transaction, refused."""

from __future__ import annotations

import pytest

from guichet.core.numbering import next_in_series
from guichet.visits.models import TicketNumbering


def test_a_number_is_taken_only_inside_the_records_transaction() -> None:
    """Refused before any query: a number taken in its own transaction would be
    kept even if the record's transaction then rolled back (a gap)."""
    with pytest.raises(RuntimeError):
        next_in_series(TicketNumbering, service_id=1, day="2026-03-10")
