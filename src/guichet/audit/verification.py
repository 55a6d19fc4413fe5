"""Verifying the audit trail: every row's MAC, every link, nothing left unsealed.

`audit_verify` is what `guichet audit verify` runs: it notes the rows that waited
for their seal longer than `AUDIT_SEAL_DELAY`, seals what is queued, walks each
chain, and checks what the walk cannot see: rows outside the known chains, rows
neither sealed nor queued (their queue entry was removed), rows copied under a
second id, and the chain against checkpoints kept elsewhere.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, Max

from guichet.core import clock

from . import chain as chain_math
from .checkpoints import Checkpoint
from .keys import AuditKey
from .models import AuditEvent, AuditPending, AuditSeal, Chain, ChainHead
from .services import chain_seal, known_keys

# The fields a row's MAC covers, as `chain.content_of` names them (with uuid, key_id).
_CONTENT_FIELDS = (
    "chain",
    "occurred_at",
    "actor_id",
    "actor_label",
    "action",
    "object_type",
    "object_id",
    "summary",
    "reason",
    "request_id",
)
EVENT_FIELDS = (
    "id",
    *_CONTENT_FIELDS,
    "uuid",
    "key_id",
    "mac",
    "seq",
    "prev_hash",
    "hash",
)


def event_row(values: Sequence[Any]) -> chain_math.EventRow:
    """An event as verification reads it, from `EVENT_FIELDS` in that order."""
    fields = dict(zip(EVENT_FIELDS, values, strict=True))
    common = {name: fields[name] for name in _CONTENT_FIELDS}
    if fields["key_id"]:
        content = chain_math.content_of(
            **common, uuid=str(fields["uuid"]), key_id=fields["key_id"]
        )
    else:
        content = chain_math.legacy_content_of(**common, seq=fields["seq"] or 0)
    return chain_math.EventRow(
        id=fields["id"],
        chain=fields["chain"],
        key_id=fields["key_id"],
        mac=fields["mac"],
        content=content,
        legacy_prev_hash=fields["prev_hash"],
        legacy_hash=fields["hash"],
    )


def _seals(chain: str, *, batch_size: int) -> Iterator[chain_math.SealRow]:
    rows = (
        AuditSeal.objects.filter(chain=chain)
        .order_by("seq")
        .values_list(
            "seq", "key_id", "link", *(f"event__{name}" for name in EVENT_FIELDS)
        )
    )
    for seq, key_id, link, *event in rows.iterator(chunk_size=batch_size):
        yield chain_math.SealRow(
            seq=seq, key_id=key_id, link=link, event=event_row(event)
        )


def chain_verify(
    *, chain: str, marks: Sequence[int] = (), batch_size: int = 2000
) -> chain_math.Verdict:
    """Walk one chain's seals (what is sealed now: `audit_verify` seals first)."""
    head = ChainHead.objects.filter(chain=chain).first() or ChainHead(chain=chain)
    return chain_math.verify(
        chain,
        _seals(chain, batch_size=batch_size),
        keys=known_keys(),
        head_seq=head.seq,
        head_link=head.link,
        marks=marks,
    )


@dataclass(frozen=True)
class Report:
    verdicts: tuple[chain_math.Verdict, ...]
    breaks: tuple[chain_math.Break, ...]
    pending: int

    @property
    def is_intact(self) -> bool:
        return not self.breaks


def _late(now: dt.datetime) -> chain_math.Break | None:
    """The first queued row older than the sealing delay (the sealer is not running).
    Rows written before keys (no key id) were queued by migration 0006, late."""
    limit = now - dt.timedelta(seconds=settings.AUDIT_SEAL_DELAY)
    late = (
        AuditPending.objects.filter(
            chain__in=Chain.values, event__occurred_at__lt=limit
        )
        .exclude(event__key_id="")
        .order_by("event_id")
        .values_list("chain", "event_id")
        .first()
    )
    return chain_math.Break(late[0], None, late[1], "late") if late else None


def _unknown_chain() -> chain_math.Break | None:
    for model in (AuditEvent, AuditSeal):
        found = (
            model.objects.exclude(chain__in=Chain.values)
            .order_by("id")
            .values_list("chain", "id")
            .first()
        )
        if found is not None:
            row_id = found[1] if model is AuditEvent else None
            return chain_math.Break(found[0], None, row_id, "unknown_chain")
    return None


def _unsealed() -> chain_math.Break | None:
    """The first row neither sealed nor queued. One statement sees the event's
    insert and its queue entry together, and the seal and the entry's removal
    together: a row committed before it is always one or the other."""
    found = (
        AuditEvent.objects.filter(
            chain__in=Chain.values, seal__isnull=True, pending__isnull=True
        )
        .order_by("id")
        .values_list("chain", "id")
        .first()
    )
    return chain_math.Break(found[0], None, found[1], "unsealed") if found else None


def _duplicate() -> chain_math.Break | None:
    """A signed row copied under another id (the copy is the later id)."""
    found = (
        AuditEvent.objects.filter(uuid__isnull=False)
        .order_by()
        .values("uuid")
        .annotate(copies=Count("id"), last=Max("id"))
        .filter(copies__gt=1)
        .order_by("last")
        .values_list("last", flat=True)
        .first()
    )
    if found is None:
        return None
    chain = AuditEvent.objects.values_list("chain", flat=True).get(pk=found)
    return chain_math.Break(chain, None, found, "duplicate")


def _queued_altered(keys: dict[str, AuditKey]) -> chain_math.Break | None:
    """Rows not sealed yet are checked against their MAC too."""
    rows = (
        AuditEvent.objects.filter(chain__in=Chain.values, pending__isnull=False)
        .order_by("id")
        .values_list(*EVENT_FIELDS)
    )
    for values in rows.iterator(chunk_size=2000):
        row = event_row(values)
        problem = chain_math.event_problem(row, keys)
        if problem is not None:
            return chain_math.Break(row.chain, None, row.id, problem)
    return None


def audit_verify(
    *, checkpoints: Sequence[Checkpoint] = (), seal: bool = True
) -> Report:
    """Verify the whole trail; every break found, the first of each kind per chain."""
    breaks: list[chain_math.Break] = []
    late = _late(clock.now())
    if seal:
        chain_seal()
    verdicts = []
    for chain in Chain.values:
        marks = [
            mark.seq
            for checkpoint in checkpoints
            for mark in checkpoint.marks
            if mark.chain == chain
        ]
        verdict = chain_verify(chain=chain, marks=marks)
        verdicts.append(verdict)
        if verdict.first_break is not None:
            breaks.append(verdict.first_break)
        for checkpoint in checkpoints:
            for mark in checkpoint.marks:
                if mark.chain != chain:
                    continue
                problem = chain_math.checkpoint_problem(
                    verdict, seq=mark.seq, link=mark.link
                )
                if problem is not None and problem not in breaks:
                    breaks.append(problem)
    keys = known_keys()
    found = (late, _unknown_chain(), _unsealed(), _duplicate(), _queued_altered(keys))
    breaks.extend(broken for broken in found if broken is not None)
    return Report(
        verdicts=tuple(verdicts),
        breaks=tuple(breaks),
        pending=AuditPending.objects.count(),
    )
