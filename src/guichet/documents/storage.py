"""Content of documents, stored under its SHA-256 in the default storage (MEDIA_ROOT).

A file's name is `documents/ab/cd/<sha256>` (no extension, and never the name it was
uploaded under), so the same bytes are stored once, nothing an uploader chose reaches
the file system, and no web server configured for extensions will serve or run it.
Storing is streamed: the upload is copied chunk by chunk into a temporary file while
it is hashed and measured, then handed to the storage under its hash.

If the database transaction that records a document fails after its content was
stored, the content stays, unreferenced: harmless (the next upload of the same bytes
reuses it) and collectable by hash.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO

from django.core.files import File
from django.core.files.storage import default_storage

ROOT = "documents"
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
CHUNK = 64 * 1024


class ContentTooLarge(ValueError):
    """The content grew past the limit while it was read."""


@dataclass(frozen=True)
class Stored:
    sha256: str
    size: int


def name_of(sha256: str) -> str:
    if not _SHA256.match(sha256):
        raise ValueError(f"{sha256!r} is not a SHA-256 in hexadecimal")
    return f"{ROOT}/{sha256[:2]}/{sha256[2:4]}/{sha256}"


def store(chunks: Iterable[bytes], *, max_bytes: int) -> Stored:
    """Keep the content under its hash; idempotent, and safe when two writers race.

    Raises `ContentTooLarge` (and stores nothing) past `max_bytes`.
    """
    digest = hashlib.sha256()
    size = 0
    with tempfile.TemporaryFile() as spool:
        for chunk in chunks:
            size += len(chunk)
            if size > max_bytes:
                raise ContentTooLarge(size)
            digest.update(chunk)
            spool.write(chunk)
        sha256 = digest.hexdigest()
        name = name_of(sha256)
        if not default_storage.exists(name):
            spool.seek(0)
            saved = default_storage.save(name, File(spool, name=sha256))
            if saved != name:
                # Another writer stored the same bytes meanwhile: keep theirs.
                default_storage.delete(saved)
    return Stored(sha256=sha256, size=size)


def open_content(sha256: str) -> IO[bytes]:
    """The stored content, opened for reading (the caller closes it)."""
    handle: IO[bytes] = default_storage.open(name_of(sha256), "rb")
    return handle


def exists(sha256: str) -> bool:
    return bool(default_storage.exists(name_of(sha256)))
