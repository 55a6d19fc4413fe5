"""The audit trail's keys: kept outside the database, named by an id on each row.

A key is `id=secret` (the secret at least 32 characters). Several keys may be
configured, in `GUICHET_AUDIT_KEYS` (comma-separated) or in the file named by
`GUICHET_AUDIT_KEY_FILE` (one per line, `#` starts a comment): the last one signs
new rows and seals, the earlier ones only verify what they signed (rotation: add
the new key at the end, keep the old ones). Without a key, development and tests
use `DEVELOPMENT_KEY`, whose secret is public; production refuses to start.

This module is read by settings.py: it imports nothing of Django's but its
exceptions.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_ID = re.compile(r"^[A-Za-z0-9_.-]{1,32}$")
MIN_SECRET_LENGTH = 32


@dataclass(frozen=True)
class AuditKey:
    id: str
    secret: bytes = field(repr=False)


DEVELOPMENT_KEY = AuditKey(
    id="development-not-secret",
    secret=b"guichet-development-audit-key-its-secret-is-public",
)


def parse(text: str, *, separator: str) -> tuple[AuditKey, ...]:
    """Keys from `id=secret` items split by `separator`; ValueError names the bad one."""
    found: dict[str, AuditKey] = {}
    for number, raw in enumerate(text.split(separator), start=1):
        item = raw.split("#", 1)[0].strip() if separator == "\n" else raw.strip()
        if not item:
            continue
        key_id, equals, secret = item.partition("=")
        key_id, secret = key_id.strip(), secret.strip()
        if not equals or not _ID.match(key_id):
            raise ValueError(
                f"item {number} is not id=secret with an id of 1 to 32 letters, "
                "digits, '.', '_' or '-'"
            )
        if len(secret) < MIN_SECRET_LENGTH:
            raise ValueError(
                f"the secret of key {key_id!r} is shorter than {MIN_SECRET_LENGTH} "
                "characters"
            )
        if key_id in found:
            raise ValueError(f"key {key_id!r} is listed twice")
        found[key_id] = AuditKey(id=key_id, secret=secret.encode())
    return tuple(found.values())


def configured(*, keys: str, key_file: str, debug: bool) -> tuple[AuditKey, ...]:
    """The keys settings.py holds, oldest first; refuses what production must not run with."""
    if keys.strip() and key_file.strip():
        raise ImproperlyConfigured(
            "Set GUICHET_AUDIT_KEYS or GUICHET_AUDIT_KEY_FILE, not both."
        )
    try:
        if key_file.strip():
            source = "GUICHET_AUDIT_KEY_FILE"
            found = parse(Path(key_file).read_text(encoding="utf-8"), separator="\n")
        else:
            source = "GUICHET_AUDIT_KEYS"
            found = parse(keys, separator=",")
    except (OSError, ValueError) as exc:
        raise ImproperlyConfigured(f"{source}: {exc}") from None
    if not found:
        if not debug:
            raise ImproperlyConfigured(
                "GUICHET_AUDIT_KEYS or GUICHET_AUDIT_KEY_FILE must give the audit "
                "trail a key when GUICHET_DEBUG is off."
            )
        return (DEVELOPMENT_KEY,)
    if not debug and any(key.secret == DEVELOPMENT_KEY.secret for key in found):
        raise ImproperlyConfigured(
            "The development audit key is public: configure a secret one."
        )
    return found


def signing_key(keys: Sequence[AuditKey]) -> AuditKey:
    """The newest key: it signs new rows, seals and checkpoints."""
    return keys[-1]


def by_id(keys: Sequence[AuditKey]) -> dict[str, AuditKey]:
    return {key.id: key for key in keys}
