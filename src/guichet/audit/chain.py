"""Hashing and verification of the audit chain (no ORM writes here)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from guichet.core.serialization import jsonable

GENESIS = "0" * 64


def canonical(content: Mapping[str, Any]) -> bytes:
    return json.dumps(
        jsonable(content), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    ).encode()


def content_of(
    *,
    chain: str,
    seq: int,
    occurred_at: dt.datetime,
    actor_id: int | None,
    actor_label: str,
    action: str,
    object_type: str,
    object_id: str,
    summary: Mapping[str, Any],
    reason: str,
    request_id: str,
) -> dict[str, Any]:
    """The fields a row's hash covers, in one canonical shape."""
    return {
        "chain": chain,
        "seq": seq,
        "occurred_at": occurred_at.astimezone(dt.UTC).isoformat(
            timespec="microseconds"
        ),
        "actor_id": actor_id,
        "actor_label": actor_label,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "summary": jsonable(summary),
        "reason": reason,
        "request_id": request_id,
    }


def link_hash(prev_hash: str, content: Mapping[str, Any]) -> str:
    digest = hashlib.sha256()
    digest.update(prev_hash.encode())
    digest.update(canonical(content))
    return digest.hexdigest()


@dataclass(frozen=True)
class Row:
    """What verification reads of a stored row."""

    id: int
    content: dict[str, Any]
    prev_hash: str
    hash: str

    @property
    def seq(self) -> int:
        return int(self.content["seq"])


@dataclass(frozen=True)
class Break:
    chain: str
    seq: int
    row_id: int | None
    problem: str


@dataclass(frozen=True)
class Verdict:
    chain: str
    rows: int
    head_seq: int
    first_break: Break | None

    @property
    def is_intact(self) -> bool:
        return self.first_break is None


def verify(
    chain: str, rows: Iterable[Row], *, head_seq: int, head_hash: str
) -> Verdict:
    """Walk rows in sequence order; return the first one that breaks the chain.

    A row breaks the chain when its recomputed hash differs from the stored one
    (its content was changed), when its `prev_hash` is not the previous row's hash
    (a row was replaced), or when its sequence number skips (a row was removed).
    The head must point at the last row (rows removed at the end).
    """
    expected_prev = GENESIS
    expected_seq = 1
    count = 0
    for row in rows:
        count += 1
        if row.seq != expected_seq:
            return Verdict(
                chain, count, head_seq, Break(chain, expected_seq, None, "missing")
            )
        if row.prev_hash != expected_prev:
            return Verdict(
                chain, count, head_seq, Break(chain, row.seq, row.id, "broken_link")
            )
        if link_hash(row.prev_hash, row.content) != row.hash:
            return Verdict(
                chain, count, head_seq, Break(chain, row.seq, row.id, "altered")
            )
        expected_prev = row.hash
        expected_seq += 1
    if head_seq != expected_seq - 1 or head_hash != expected_prev:
        return Verdict(
            chain, count, head_seq, Break(chain, expected_seq, None, "missing")
        )
    return Verdict(chain, count, head_seq, None)
