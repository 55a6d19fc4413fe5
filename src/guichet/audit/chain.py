"""The audit trail's arithmetic: row MACs, seal links, verification (no ORM here).

A row is signed when it is written: `mac` is HMAC-SHA256, under the key named by
its `key_id`, of its canonical content (which names the key too). The sealer then
links the rows of a chain one after the other: seal number `seq` holds
`link = HMAC(key, chain, seq, event id, row MAC, previous link)`, so changing,
removing or reordering a sealed row breaks every later link, and recomputing them
needs the key, which the database does not hold.

Rows written before the keys (migration 0004) carry no MAC: their digest is their
old SHA-256 chain hash (`link_hash`), which their seal covers in the same way.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from guichet.core.serialization import jsonable

from .keys import AuditKey

GENESIS = "0" * 64


def canonical(content: Mapping[str, Any]) -> bytes:
    """The bytes a MAC covers: compact JSON with sorted keys, of plain JSON types."""
    return json.dumps(
        content, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    ).encode()


def _when(occurred_at: dt.datetime) -> str:
    return occurred_at.astimezone(dt.UTC).isoformat(timespec="microseconds")


def content_of(
    *,
    chain: str,
    uuid: str,
    occurred_at: dt.datetime,
    actor_id: int | None,
    actor_label: str,
    action: str,
    object_type: str,
    object_id: str,
    summary: Mapping[str, Any],
    reason: str,
    request_id: str,
    key_id: str,
) -> dict[str, Any]:
    """The fields a row's MAC covers, in one canonical shape. `summary` must
    already be plain JSON (`jsonable`), as it is stored."""
    return {
        "chain": chain,
        "uuid": uuid,
        "occurred_at": _when(occurred_at),
        "actor_id": actor_id,
        "actor_label": actor_label,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "summary": summary,
        "reason": reason,
        "request_id": request_id,
        "key_id": key_id,
    }


def legacy_content_of(
    *, seq: int, summary: Mapping[str, Any], **fields: Any
) -> dict[str, Any]:
    """The fields the SHA-256 hash of a row written before migration 0004 covers:
    those of `content_of` (`fields`), with its number, without uuid and key id."""
    content = content_of(uuid="", key_id="", summary=jsonable(summary), **fields)
    del content["uuid"], content["key_id"]
    return content | {"seq": seq}


def link_hash(prev_hash: str, content: Mapping[str, Any]) -> str:
    """The unkeyed hash of rows written before migration 0004."""
    digest = hashlib.sha256()
    digest.update(prev_hash.encode())
    digest.update(canonical(content))
    return digest.hexdigest()


def row_mac(key: AuditKey, content: Mapping[str, Any]) -> str:
    return hmac.digest(key.secret, canonical(content), "sha256").hex()


def seal_link(
    key: AuditKey, *, chain: str, seq: int, event_id: int, digest: str, prev_link: str
) -> str:
    message = f"{key.id}\n{chain}\n{seq}\n{event_id}\n{digest}\n{prev_link}"
    return hmac.digest(key.secret, message.encode(), "sha256").hex()


@dataclass(frozen=True)
class EventRow:
    """What verification reads of a stored event."""

    id: int
    chain: str
    key_id: str  # empty for a row written before migration 0004
    mac: str
    content: dict[str, Any]
    legacy_prev_hash: str = ""
    legacy_hash: str = ""

    @property
    def digest(self) -> str:
        """What the row's seal covers: its MAC, or its old hash."""
        return self.mac if self.key_id else self.legacy_hash


def event_problem(row: EventRow, keys: Mapping[str, AuditKey]) -> str | None:
    """Why a row's content does not match its MAC (None when it does)."""
    if not row.key_id:
        expected = link_hash(row.legacy_prev_hash, row.content)
        return None if expected == row.legacy_hash else "altered"
    key = keys.get(row.key_id)
    if key is None:
        return "unknown_key"
    return (
        None if hmac.compare_digest(row_mac(key, row.content), row.mac) else "altered"
    )


@dataclass(frozen=True)
class SealRow:
    seq: int
    key_id: str
    link: str
    event: EventRow


@dataclass(frozen=True)
class Break:
    chain: str
    seq: int | None
    row_id: int | None
    problem: str


@dataclass(frozen=True)
class Verdict:
    chain: str
    rows: int
    head_seq: int
    first_break: Break | None
    marked: Mapping[int, tuple[str, int]] = field(default_factory=dict)

    @property
    def is_intact(self) -> bool:
        return self.first_break is None


def verify(
    chain: str,
    seals: Iterable[SealRow],
    *,
    keys: Mapping[str, AuditKey],
    head_seq: int,
    head_link: str,
    marks: Collection[int] = (),
) -> Verdict:
    """Walk a chain's seals in sequence order; return the first one that breaks it.

    A seal breaks the chain when its number skips (`missing`: a seal was removed),
    when it seals a row of another chain (`wrong_chain`), a row without a key
    that is not part of the old chain (`unsigned`), when its row's content
    does not match the row's MAC (`altered`, or `unknown_key`), or when its link
    is not the one computed from the previous link and the row (`broken_link`: a
    row or seal was replaced, or rewritten without the key). The head must be the
    last seal (`head_mismatch`). The (link, row id) at each of `marks` is kept, to
    compare with checkpoints.
    """
    expected_prev, expected_seq, count = GENESIS, 1, 0
    legacy_prev, seen_keyed = GENESIS, False
    marked: dict[int, tuple[str, int]] = {}

    def broken(seq: int | None, row_id: int | None, problem: str) -> Verdict:
        return Verdict(
            chain, count, head_seq, Break(chain, seq, row_id, problem), marked
        )

    for seal in seals:
        count += 1
        event = seal.event
        if seal.seq != expected_seq:
            return broken(expected_seq, None, "missing")
        if event.chain != chain:
            return broken(seal.seq, event.id, "wrong_chain")
        if not event.key_id:
            # Rows without a key are the chain written before migration 0004,
            # sealed first and in their old order; none may come later.
            legacy = event.content.get("seq") == seal.seq
            if seen_keyed or not legacy or event.legacy_prev_hash != legacy_prev:
                return broken(seal.seq, event.id, "unsigned")
            legacy_prev = event.legacy_hash
        else:
            seen_keyed = True
        problem = event_problem(event, keys)
        if problem is not None:
            return broken(seal.seq, event.id, problem)
        key = keys.get(seal.key_id)
        if key is None:
            return broken(seal.seq, event.id, "unknown_key")
        link = seal_link(
            key,
            chain=chain,
            seq=seal.seq,
            event_id=event.id,
            digest=event.digest,
            prev_link=expected_prev,
        )
        if not hmac.compare_digest(link, seal.link):
            return broken(seal.seq, event.id, "broken_link")
        if seal.seq in marks:
            marked[seal.seq] = (link, event.id)
        expected_prev = link
        expected_seq += 1
    if head_seq != expected_seq - 1 or head_link != expected_prev:
        return broken(min(head_seq, expected_seq - 1) + 1, None, "head_mismatch")
    return Verdict(chain, count, head_seq, None, marked)


def checkpoint_problem(verdict: Verdict, *, seq: int, link: str) -> Break | None:
    """Compare an intact chain with a checkpoint of it: a checkpoint beyond the
    head means rows were removed at the end (`truncated`); another link at its
    number means the chain was rewritten up to there (`rewritten`)."""
    if seq in verdict.marked:
        found, row_id = verdict.marked[seq]
        if not hmac.compare_digest(found, link):
            return Break(verdict.chain, seq, row_id, "rewritten")
    elif verdict.is_intact and seq > verdict.head_seq:
        return Break(verdict.chain, verdict.head_seq + 1, None, "truncated")
    return None
