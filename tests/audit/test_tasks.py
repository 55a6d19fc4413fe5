"""The audit trail's periodic tasks: the sealer and the daily checkpoint."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from guichet.audit import tasks
from guichet.audit.models import AuditPending, AuditSeal
from guichet.audit.services import audit_record, checkpoint_write
from guichet.core.schedule import PERIODIC

pytestmark = pytest.mark.django_db


def test_both_tasks_are_declared_periodic() -> None:
    every = {entry.task: entry.every for entry in PERIODIC.values()}
    assert every[tasks.chain_seal] == dt.timedelta(seconds=2)
    assert every[tasks.checkpoint_write] == dt.timedelta(days=1)


def test_the_sealer_task_seals_what_is_queued() -> None:
    audit_record(actor=None, action="x")
    assert tasks.chain_seal.call() == 1
    assert tasks.chain_seal.call() == 0
    assert not AuditPending.objects.exists()
    assert AuditSeal.objects.get().seq == 1


def test_the_daily_checkpoint_is_written_once_a_day(
    settings: Any, tmp_path: Path
) -> None:
    settings.AUDIT_CHECKPOINT_DIR = tmp_path / "checkpoints"
    audit_record(actor=None, action="x")
    written = Path(tasks.checkpoint_write.call())
    assert written.parent == tmp_path / "checkpoints"
    assert written.name.startswith("audit-checkpoint-")
    assert json.loads(written.read_text())["chains"][0]["seq"] == 1
    assert tasks.checkpoint_write.call() == ""
    assert sorted(path.name for path in written.parent.iterdir()) == [written.name]


def test_a_checkpoint_is_named_after_its_day(tmp_path: Path) -> None:
    path = checkpoint_write(directory=tmp_path, day=dt.date(2026, 3, 1))
    assert path == tmp_path / "audit-checkpoint-2026-03-01.json"
