"""The hash chain's arithmetic, without the database."""

import datetime as dt
from decimal import Decimal

from guichet.audit import chain


def _rows(count: int) -> list[chain.Row]:
    rows, previous = [], chain.GENESIS
    for seq in range(1, count + 1):
        content = chain.content_of(
            chain="changes",
            seq=seq,
            occurred_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
            actor_id=1,
            actor_label="a",
            action="x",
            object_type="t",
            object_id=str(seq),
            summary={"amount": Decimal("1.50")},
            reason="",
            request_id="",
        )
        digest = chain.link_hash(previous, content)
        rows.append(chain.Row(id=seq, content=content, prev_hash=previous, hash=digest))
        previous = digest
    return rows


def test_an_intact_chain_verifies() -> None:
    rows = _rows(5)
    verdict = chain.verify("changes", rows, head_seq=5, head_hash=rows[-1].hash)
    assert verdict.is_intact
    assert verdict.rows == 5


def test_an_altered_row_is_named() -> None:
    rows = _rows(5)
    altered = rows[2].content | {"action": "y"}
    rows[2] = chain.Row(
        id=3, content=altered, prev_hash=rows[2].prev_hash, hash=rows[2].hash
    )
    verdict = chain.verify("changes", rows, head_seq=5, head_hash=rows[-1].hash)
    assert verdict.first_break == chain.Break("changes", 3, 3, "altered")


def test_a_removed_row_is_named() -> None:
    rows = _rows(5)
    del rows[1]
    verdict = chain.verify("changes", rows, head_seq=5, head_hash=rows[-1].hash)
    assert verdict.first_break == chain.Break("changes", 2, None, "missing")


def test_a_removed_last_row_is_caught_by_the_head() -> None:
    rows = _rows(5)
    verdict = chain.verify("changes", rows[:4], head_seq=5, head_hash=rows[-1].hash)
    assert verdict.first_break == chain.Break("changes", 5, None, "missing")


def test_a_rehashed_row_breaks_the_next_link() -> None:
    rows = _rows(4)
    forged_content = rows[1].content | {"reason": "forged"}
    forged = chain.Row(
        id=2,
        content=forged_content,
        prev_hash=rows[1].prev_hash,
        hash=chain.link_hash(rows[1].prev_hash, forged_content),
    )
    rows[1] = forged
    verdict = chain.verify("changes", rows, head_seq=4, head_hash=rows[-1].hash)
    assert verdict.first_break == chain.Break("changes", 3, 3, "broken_link")
