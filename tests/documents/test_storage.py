"""Content stored under its SHA-256: once, streamed, never under its uploaded name."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from guichet.documents import storage


def test_stores_content_under_its_hash(media: Path) -> None:
    content = b"%PDF-1.4 some bytes"
    stored = storage.store([content[:5], content[5:]], max_bytes=100)
    sha = hashlib.sha256(content).hexdigest()
    assert stored == storage.Stored(sha256=sha, size=len(content))
    path = media / "documents" / sha[:2] / sha[2:4] / sha
    assert path.read_bytes() == content
    with storage.open_content(sha) as handle:
        assert handle.read() == content


def test_the_same_content_is_stored_once(media: Path) -> None:
    first = storage.store([b"same bytes"], max_bytes=100)
    second = storage.store([b"same ", b"bytes"], max_bytes=100)
    assert first == second
    assert len([path for path in media.rglob("*") if path.is_file()]) == 1


def test_refuses_content_past_the_limit_and_stores_nothing(media: Path) -> None:
    with pytest.raises(storage.ContentTooLarge):
        storage.store([b"12345", b"678"], max_bytes=7)
    assert not media.exists() or not any(path.is_file() for path in media.rglob("*"))


def test_a_name_must_be_a_sha256() -> None:
    with pytest.raises(ValueError, match="SHA-256"):
        storage.name_of("../../etc/passwd")
    assert not storage.exists("0" * 64)
