"""Writing to the audit trail. Called by every domain service, in its transaction."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.db import models, transaction

from guichet.core import clock
from guichet.core.logging import request_id_var
from guichet.core.serialization import jsonable

from . import chain as chain_math
from .models import AuditEvent, Chain, ChainHead


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


@dataclass(frozen=True)
class Entry:
    """One change for `audit_record_many`."""

    action: str
    obj: models.Model | None = None
    summary: Mapping[str, Any] = field(default_factory=dict)
    reason: str = ""


def _append(
    *,
    chain: Chain,
    actor: Actor | None,
    action: str,
    object_type: str,
    object_id: str,
    summary: Mapping[str, Any],
    reason: str,
) -> AuditEvent:
    return _append_many(
        chain=chain,
        actor=actor,
        items=[(action, object_type, object_id, summary, reason)],
    )[0]


def _append_many(
    *,
    chain: Chain,
    actor: Actor | None,
    items: Sequence[tuple[str, str, str, Mapping[str, Any], str]],
) -> list[AuditEvent]:
    """Append rows (action, object type, object id, summary, reason) in order, with
    the chain's head locked and moved once for all of them."""
    events: list[AuditEvent] = []
    with transaction.atomic():
        # The head row is created by migration 0003; get_or_create only guards
        # a database set up some other way.
        head = ChainHead.objects.select_for_update().filter(chain=chain).first()
        if head is None:
            ChainHead.objects.get_or_create(chain=chain)
            head = ChainHead.objects.select_for_update().get(chain=chain)
        occurred_at = clock.now()
        actor_id = int(actor.pk) if actor is not None and actor.pk is not None else None
        request_id = request_id_var.get() if request_id_var.get() != "-" else ""
        seq, prev_hash = head.seq, head.hash
        for action, object_type, object_id, summary, reason in items:
            seq += 1
            content = chain_math.content_of(
                chain=chain.value,
                seq=seq,
                occurred_at=occurred_at,
                actor_id=actor_id,
                actor_label=_label(actor),
                action=action,
                object_type=object_type,
                object_id=object_id,
                summary=summary,
                reason=reason,
                request_id=request_id,
            )
            digest = chain_math.link_hash(prev_hash, content)
            event = AuditEvent(
                chain=chain.value,
                seq=seq,
                occurred_at=occurred_at,
                actor_id=actor_id,
                actor_label=content["actor_label"],
                action=action,
                object_type=object_type,
                object_id=object_id,
                summary=content["summary"],
                reason=reason,
                request_id=content["request_id"],
                prev_hash=prev_hash,
                hash=digest,
            )
            event.save(force_insert=True)
            events.append(event)
            prev_hash = digest
        if events:
            ChainHead.objects.filter(chain=chain).update(seq=seq, hash=prev_hash)
    return events


def changes(
    before: Mapping[str, Any], after: Mapping[str, Any]
) -> dict[str, list[Any]]:
    """The fields that differ, as {field: [before, after]}."""
    keys = sorted(set(before) | set(after))
    return {
        key: [jsonable(before.get(key)), jsonable(after.get(key))]
        for key in keys
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
    return _append(
        chain=Chain.CHANGES,
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=object_id,
        summary=summary or {},
        reason=reason,
    )


def audit_record_many(
    *, actor: Actor | None, entries: Sequence[Entry]
) -> list[AuditEvent]:
    """Append several changes to the `changes` chain, in order, inside the caller's
    transaction, locking and moving the chain's head once: a batch of 200 letters
    writes 200 rows, not 200 head locks and updates (bench/RESULTS.md, Letters)."""
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
    return _append(
        chain=Chain.ACCESS,
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=object_id,
        summary=summary,
        reason="",
    )


def rows_of(chain: str, *, batch_size: int = 2000) -> Iterable[chain_math.Row]:
    """Stored rows of a chain in order, as verification reads them."""
    queryset = AuditEvent.objects.filter(chain=chain).order_by("seq")
    for event in queryset.iterator(chunk_size=batch_size):
        content = chain_math.content_of(
            chain=event.chain,
            seq=event.seq,
            occurred_at=event.occurred_at,
            actor_id=event.actor_id,
            actor_label=event.actor_label,
            action=event.action,
            object_type=event.object_type,
            object_id=event.object_id,
            summary=event.summary,
            reason=event.reason,
            request_id=event.request_id,
        )
        yield chain_math.Row(
            id=event.id, content=content, prev_hash=event.prev_hash, hash=event.hash
        )


def chain_verify(*, chain: str) -> chain_math.Verdict:
    head = ChainHead.objects.filter(chain=chain).first()
    head_seq = head.seq if head else 0
    head_hash = head.hash if head else chain_math.GENESIS
    return chain_math.verify(
        chain, rows_of(chain), head_seq=head_seq, head_hash=head_hash
    )
