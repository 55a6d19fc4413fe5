"""Checkpoints: each chain's sealed head, signed, to be kept outside the database.

A checkpoint is a small JSON document. Compared with the chain later, it shows
whether rows were removed at the end (the chain is shorter than the checkpoint)
or the chain was rewritten (another link at the checkpoint's number), which no
check inside the database can see once its head was moved back. It is signed
with HMAC-SHA256 under the audit key named in it: anyone holding the key can
check it, and without the key nobody can make one.
"""

from __future__ import annotations

import datetime as dt
import hmac
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from guichet.core.serialization import json_loads

from .chain import canonical
from .keys import AuditKey

FORMAT = "guichet-audit-checkpoint/1"


class CheckpointError(ValueError):
    """A file that is not a checkpoint of this installation."""


@dataclass(frozen=True)
class Mark:
    chain: str
    seq: int
    link: str
    sealed_at: dt.datetime | None


@dataclass(frozen=True)
class Checkpoint:
    created_at: dt.datetime
    marks: tuple[Mark, ...]
    key_id: str
    signature: str


def _body(
    created_at: dt.datetime, marks: Sequence[Mark], key_id: str
) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "created_at": created_at.astimezone(dt.UTC).isoformat(),
        "key_id": key_id,
        "chains": [
            {
                "chain": mark.chain,
                "seq": mark.seq,
                "link": mark.link,
                "sealed_at": (
                    mark.sealed_at.astimezone(dt.UTC).isoformat()
                    if mark.sealed_at
                    else None
                ),
            }
            for mark in marks
        ],
    }


def _signature(key: AuditKey, body: Mapping[str, Any]) -> str:
    return hmac.digest(key.secret, canonical(body), "sha256").hex()


def signed(
    key: AuditKey, *, created_at: dt.datetime, marks: Sequence[Mark]
) -> Checkpoint:
    body = _body(created_at, marks, key.id)
    return Checkpoint(
        created_at=created_at,
        marks=tuple(marks),
        key_id=key.id,
        signature=_signature(key, body),
    )


def document(checkpoint: Checkpoint) -> dict[str, Any]:
    """The checkpoint as the JSON object written to its file."""
    body = _body(checkpoint.created_at, checkpoint.marks, checkpoint.key_id)
    return {**body, "signature": checkpoint.signature}


def _time(raw: Any) -> dt.datetime:
    when = dt.datetime.fromisoformat(str(raw))
    if when.tzinfo is None:
        raise ValueError("a time without its time zone")
    return when


def parse(text: str, keys: Mapping[str, AuditKey]) -> Checkpoint:
    """Read and check a checkpoint; CheckpointError says what is wrong with it."""
    try:
        raw = json_loads(text)
        if not isinstance(raw, dict) or raw.get("format") != FORMAT:
            raise CheckpointError(f"not a {FORMAT} document")
        marks = tuple(
            Mark(
                chain=str(item["chain"]),
                seq=int(item["seq"]),
                link=str(item["link"]),
                sealed_at=_time(item["sealed_at"]) if item["sealed_at"] else None,
            )
            for item in raw["chains"]
        )
        checkpoint = Checkpoint(
            created_at=_time(raw["created_at"]),
            marks=marks,
            key_id=str(raw["key_id"]),
            signature=str(raw["signature"]),
        )
    except CheckpointError:
        raise
    except (ValueError, KeyError, TypeError) as exc:
        raise CheckpointError(f"not a checkpoint ({exc})") from None
    key = keys.get(checkpoint.key_id)
    if key is None:
        raise CheckpointError(f"signed with key {checkpoint.key_id!r}, not configured")
    body = {key_: value for key_, value in raw.items() if key_ != "signature"}
    if not hmac.compare_digest(_signature(key, body), checkpoint.signature):
        raise CheckpointError("its signature does not match its content")
    return checkpoint


def write(checkpoint: Checkpoint, path: Path) -> None:
    """Write a new checkpoint file; an existing file is never overwritten."""
    text = json.dumps(document(checkpoint), indent=2, ensure_ascii=False) + "\n"
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
        stream.write(text)
