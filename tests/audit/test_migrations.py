"""Migration 0006: rows written before keys are queued, sealed first, verifiable."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from guichet.audit import chain as chain_math
from guichet.audit.models import AuditSeal, ChainHead
from guichet.audit.services import audit_record
from guichet.audit.verification import audit_verify
from tests.migrations import migrate_to

# A scratch database of its own, migrated forwards only (tests/migrations.py).
pytestmark = pytest.mark.usefixtures("scratch_database")

BEFORE = ("audit", "0003_chain_heads")
AFTER = ("audit", "0006_queue_existing_events")


def _legacy_rows(apps: Any, chain: str, count: int) -> list[int]:
    """Rows as the code before 0004 wrote them: chained at once by SHA-256."""
    event_model = apps.get_model("audit", "AuditEvent")
    head_model = apps.get_model("audit", "ChainHead")
    when = dt.datetime(2025, 6, 1, 9, 0, tzinfo=dt.UTC)
    previous, ids = chain_math.GENESIS, []
    for seq in range(1, count + 1):
        fields = {
            "chain": chain,
            "occurred_at": when,
            "actor_label": "system",
            "action": "person.create",
            "object_type": "parties.person",
            "object_id": str(seq),
            "summary": {"n": seq},
            "reason": "",
            "request_id": "",
        }
        content = chain_math.legacy_content_of(seq=seq, actor_id=None, **fields)
        digest = chain_math.link_hash(previous, content)
        event = event_model.objects.create(
            seq=seq, prev_hash=previous, hash=digest, **fields
        )
        ids.append(event.pk)
        previous = digest
    head_model.objects.filter(chain=chain).update(seq=count, hash=previous)
    return ids


def test_rows_written_before_keys_are_sealed_first_in_their_old_order() -> None:
    old_apps = migrate_to(BEFORE)
    changes = _legacy_rows(old_apps, "changes", 3)
    access = _legacy_rows(old_apps, "access", 2)
    migrate_to(AFTER)
    assert ChainHead.objects.get(chain="changes").seq == 0
    newer = audit_record(actor=None, action="after.upgrade")
    report = audit_verify()
    assert report.is_intact, report.breaks
    sealed = list(
        AuditSeal.objects.order_by("chain", "seq").values_list(
            "chain", "seq", "event_id"
        )
    )
    assert sealed == [
        ("access", 1, access[0]),
        ("access", 2, access[1]),
        ("changes", 1, changes[0]),
        ("changes", 2, changes[1]),
        ("changes", 3, changes[2]),
        ("changes", 4, newer.pk),
    ]
