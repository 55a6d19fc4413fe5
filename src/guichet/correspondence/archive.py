"""Archived files, stored by their SHA-256 under MEDIA_ROOT and never rewritten.

A file's name is its hash (`correspondence/ab/abcdef….pdf`), so storing the same bytes
twice stores them once, and a stored file cannot be replaced by other bytes under the
same name without `read` noticing: it recomputes the hash of what it reads.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

ROOT = "correspondence"


class ArchiveDamaged(RuntimeError):
    """The stored bytes do not match the hash recorded for them."""


@dataclass(frozen=True)
class Stored:
    sha256: str
    size: int
    name: str


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def path_of(sha256: str, extension: str) -> str:
    return f"{ROOT}/{sha256[:2]}/{sha256}.{extension}"


def store(data: bytes, extension: str) -> Stored:
    """Keep `data` under its hash; idempotent, and safe when two writers race."""
    sha256 = digest(data)
    name = path_of(sha256, extension)
    if not default_storage.exists(name):
        saved = default_storage.save(name, ContentFile(data))
        if saved != name:
            # Another writer stored the same bytes meanwhile: keep theirs.
            default_storage.delete(saved)
    return Stored(sha256=sha256, size=len(data), name=name)


def read(sha256: str, extension: str) -> bytes:
    """The stored bytes, checked against their hash."""
    with default_storage.open(path_of(sha256, extension), "rb") as handle:
        data = handle.read()
    if digest(data) != sha256:
        raise ArchiveDamaged(f"{path_of(sha256, extension)} does not match its hash")
    return bytes(data)
