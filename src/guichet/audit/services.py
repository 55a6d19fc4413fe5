"""Writing to the audit trail. Called by every domain service, in its transaction.

Appending inserts the rows, each signed with the newest audit key, and nothing
else: no row is locked, so requests never wait for each other here. The database
queues each new row for the sealer (`chain_seal`), which links the queued rows of
each chain under the chain's head lock, in one pass, a few seconds later.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings
from django.db import models, transaction

from guichet.core import clock
from guichet.core.logging import request_id_var
from guichet.core.serialization import jsonable

from . import chain as chain_math
from . import checkpoints, keys
from .models import AuditEvent, AuditPending, AuditSeal, Chain, ChainHead

SEAL_BATCH = 2000


class Actor(Protocol):
    pk: Any

    def get_username(self) -> str: ...


def _label(actor: Actor | None) -> str:
    return actor.get_username() if actor is not None else "system"


def _describe(obj: models.Model | None) -> tuple[str, str]:
    if obj is None:
        return "", ""
    public_id = getattr(obj, "uuid", None) or obj.pk
    return obj._meta.label_lower, str(public_id)


def signing_key() -> keys.AuditKey:
    return keys.signing_key(settings.AUDIT_KEYS)


def known_keys() -> dict[str, keys.AuditKey]:
    return keys.by_id(settings.AUDIT_KEYS)


@dataclass(frozen=True)
class Entry:
    """One change for `audit_record_many`."""

    action: str
    obj: models.Model | None = None
    summary: Mapping[str, Any] = field(default_factory=dict)
    reason: str = ""


def _append_many(
    *,
    chain: Chain,
    actor: Actor | None,
    items: Sequence[tuple[str, str, str, Mapping[str, Any], str]],
) -> list[AuditEvent]:
    """Insert rows (action, object type, object id, summary, reason), each signed;
    the database queues them for the sealer."""
    if not items:
        return []
    key = signing_key()
    occurred_at = clock.now()
    actor_id = int(actor.pk) if actor is not None and actor.pk is not None else None
    actor_label = _label(actor)
    request_id = request_id_var.get()
    request_id = "" if request_id == "-" else request_id
    events = []
    for action, object_type, object_id, summary, reason in items:
        row_uuid = uuid.uuid4()
        fields: dict[str, Any] = {
            "chain": chain.value,
            "occurred_at": occurred_at,
            "actor_id": actor_id,
            "actor_label": actor_label,
            "action": action,
            "object_type": object_type,
            "object_id": object_id,
            "summary": jsonable(summary),
            "reason": reason,
            "request_id": request_id,
            "key_id": key.id,
        }
        content = chain_math.content_of(uuid=str(row_uuid), **fields)
        mac = chain_math.row_mac(key, content)
        events.append(AuditEvent(uuid=row_uuid, mac=mac, **fields))
    return AuditEvent.objects.append(events)


def changes(
    before: Mapping[str, Any], after: Mapping[str, Any]
) -> dict[str, list[Any]]:
    """The fields that differ, as {field: [before, after]}."""
    keys_ = sorted(set(before) | set(after))
    return {
        key: [jsonable(before.get(key)), jsonable(after.get(key))]
        for key in keys_
        if jsonable(before.get(key)) != jsonable(after.get(key))
    }


def audit_record(
    *,
    actor: Actor | None,
    action: str,
    obj: models.Model | None = None,
    summary: Mapping[str, Any] | None = None,
    reason: str = "",
) -> AuditEvent:
    """Append a change to the `changes` chain, inside the caller's transaction."""
    object_type, object_id = _describe(obj)
    return _append_many(
        chain=Chain.CHANGES,
        actor=actor,
        items=[(action, object_type, object_id, summary or {}, reason)],
    )[0]


def audit_record_many(
    *, actor: Actor | None, entries: Sequence[Entry]
) -> list[AuditEvent]:
    """Append several changes to the `changes` chain, in order, inside the caller's
    transaction, in one INSERT: a batch of 200 letters writes 200 rows in one
    statement (bench/RESULTS.md, Letters)."""
    items = []
    for entry in entries:
        object_type, object_id = _describe(entry.obj)
        items.append(
            (entry.action, object_type, object_id, entry.summary or {}, entry.reason)
        )
    return _append_many(chain=Chain.CHANGES, actor=actor, items=items)


def access_record(
    *,
    actor: Actor,
    action: str,
    objects: Sequence[models.Model] | None = None,
    obj: models.Model | None = None,
    context: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """Log that an agent read personal data: one record, or a list of results.

    Only identifiers are logged (no names or numbers): the access log must not
    become a second copy of the personal data it protects.
    """
    summary: dict[str, Any] = dict(context or {})
    object_type, object_id = _describe(obj)
    if objects is not None:
        described = [_describe(item) for item in objects]
        summary["results"] = [object_id_ for _, object_id_ in described]
        if described and not object_type:
            object_type = described[0][0]
    return _append_many(
        chain=Chain.ACCESS,
        actor=actor,
        items=[(action, object_type, object_id, summary, "")],
    )[0]


def _locked_head(chain: str) -> ChainHead:
    # The head rows are created by migration 0003; get_or_create only guards a
    # database set up some other way (or emptied by the test suite's flush).
    head = ChainHead.objects.select_for_update().filter(chain=chain).first()
    if head is None:
        ChainHead.objects.get_or_create(chain=chain)
        head = ChainHead.objects.select_for_update().get(chain=chain)
    return head


def _seal_batch(chain: str, *, limit: int) -> int:
    key = signing_key()
    with transaction.atomic():
        head = _locked_head(chain)
        # Queued rows in id order; never "id > last sealed id": on PostgreSQL a
        # lower id may commit after a higher one was sealed.
        queued = list(
            AuditPending.objects.filter(chain=chain)
            .order_by("event_id")
            .values_list("event_id", "event__key_id", "event__mac", "event__hash")[
                :limit
            ]
        )
        if not queued:
            return 0
        sealed_at = clock.now()
        seq, link = head.seq, head.link
        seals = []
        for event_id, key_id, mac, legacy_hash in queued:
            seq += 1
            link = chain_math.seal_link(
                key,
                chain=chain,
                seq=seq,
                event_id=event_id,
                digest=mac if key_id else legacy_hash,
                prev_link=link,
            )
            seals.append(
                AuditSeal(
                    chain=chain,
                    seq=seq,
                    event_id=event_id,
                    key_id=key.id,
                    link=link,
                    sealed_at=sealed_at,
                )
            )
        AuditSeal.objects.append(seals)
        AuditPending.objects.filter(event_id__in=[row[0] for row in queued]).delete()
        ChainHead.objects.filter(chain=chain).update(seq=seq, link=link)
    return len(seals)


def chain_seal(
    *, chains: Sequence[str] | None = None, batch_size: int = SEAL_BATCH
) -> int:
    """Seal every row queued so far, chain by chain; return how many were sealed.

    The only writer of seals and heads: it holds a chain's head lock for one
    batch at a time, never a request. Safe to run at any time, and concurrently
    (a second sealer waits for the head, then finds the queue emptied).
    """
    total = 0
    for chain in chains or Chain.values:
        while True:
            sealed = _seal_batch(chain, limit=batch_size)
            total += sealed
            if sealed < batch_size:
                break
    return total


def checkpoint_take() -> checkpoints.Checkpoint:
    """Seal what is queued, then sign each chain's head as it is now."""
    chain_seal()
    heads = {head.chain: head for head in ChainHead.objects.all()}
    marks = []
    for chain in Chain.values:
        head = heads.get(chain) or ChainHead(chain=chain)
        sealed_at = (
            AuditSeal.objects.filter(chain=chain, seq=head.seq)
            .values_list("sealed_at", flat=True)
            .first()
        )
        marks.append(
            checkpoints.Mark(
                chain=chain, seq=head.seq, link=head.link, sealed_at=sealed_at
            )
        )
    return checkpoints.signed(signing_key(), created_at=clock.now(), marks=marks)


def checkpoint_write(*, directory: Path, day: dt.date | None = None) -> Path | None:
    """Write the day's checkpoint into `directory`; None if it already exists."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"audit-checkpoint-{(day or clock.today()).isoformat()}.json"
    if path.exists():
        return None
    checkpoints.write(checkpoint_take(), path)
    return path
