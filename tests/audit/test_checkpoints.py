"""Checkpoints: signed, read back, refused when forged or malformed."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from guichet.audit import checkpoints
from guichet.audit.keys import AuditKey

KEY = AuditKey(id="k1", secret=b"s" * 40)
WHEN = dt.datetime(2026, 3, 1, 2, 0, tzinfo=dt.UTC)


def _checkpoint() -> checkpoints.Checkpoint:
    marks = [
        checkpoints.Mark("changes", 12, "a" * 64, WHEN),
        checkpoints.Mark("access", 0, "0" * 64, None),
    ]
    return checkpoints.signed(KEY, created_at=WHEN, marks=marks)


def test_a_written_checkpoint_reads_back(tmp_path: Path) -> None:
    path = tmp_path / "checkpoint.json"
    checkpoints.write(_checkpoint(), path)
    document = json.loads(path.read_text())
    assert document["format"] == "guichet-audit-checkpoint/1"
    assert document["chains"][0] == {
        "chain": "changes",
        "seq": 12,
        "link": "a" * 64,
        "sealed_at": "2026-03-01T02:00:00+00:00",
    }
    assert checkpoints.parse(path.read_text(), {"k1": KEY}) == _checkpoint()


def test_an_existing_file_is_never_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "checkpoint.json"
    path.write_text("kept")
    with pytest.raises(FileExistsError):
        checkpoints.write(_checkpoint(), path)
    assert path.read_text() == "kept"


def _text(**changed: object) -> str:
    return json.dumps(checkpoints.document(_checkpoint()) | changed)


@pytest.mark.parametrize(
    ("_case", "text", "keys", "message"),
    [
        ("not json", "{", {"k1": KEY}, "not a checkpoint"),
        ("other format", _text(format="x"), {"k1": KEY}, "not a guichet-audit"),
        ("missing field", _text(chains=[{"chain": "x"}]), {"k1": KEY}, "not a"),
        ("naive time", _text(created_at="2026-03-01T02:00"), {"k1": KEY}, "time zone"),
        ("unknown key", _text(), {}, "key 'k1', not configured"),
        (
            "moved head",
            json.dumps(
                checkpoints.document(_checkpoint())
                | {
                    "chains": [
                        {
                            "chain": "changes",
                            "seq": 9,
                            "link": "a" * 64,
                            "sealed_at": None,
                        }
                    ]
                }
            ),
            {"k1": KEY},
            "signature does not match",
        ),
        (
            "other key",
            _text(),
            {"k1": AuditKey(id="k1", secret=b"t" * 40)},
            "signature does not match",
        ),
    ],
)
def test_refuses_what_is_not_a_checkpoint_of_this_installation(
    _case: str, text: str, keys: dict[str, AuditKey], message: str
) -> None:
    with pytest.raises(checkpoints.CheckpointError, match=message):
        checkpoints.parse(text, keys)


def test_a_deeply_nested_document_is_refused_as_malformed() -> None:
    text = "[" * 100_000 + "]" * 100_000
    with pytest.raises(checkpoints.CheckpointError, match="nested too deeply"):
        checkpoints.parse(text, {KEY.id: KEY})
