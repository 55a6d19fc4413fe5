"""Signing a call event (docs/telephony.md): pure, no database.

The telephone system sends the Unix time it signed at in `X-Guichet-Timestamp`
and `sha256=<hex>` in `X-Guichet-Signature`: the HMAC-SHA256, under a shared
secret, of the timestamp's ASCII digits, a full stop, and the body's exact bytes.
The timestamp is inside the MAC, so neither it nor one byte of the body can be
changed without the key; a signature is compared in constant time
(`hmac.compare_digest`) against every configured secret (rotation: add the new
secret, move the system to it, remove the old one).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence
from enum import StrEnum

TIMESTAMP_HEADER = "X-Guichet-Timestamp"
SIGNATURE_HEADER = "X-Guichet-Signature"
SCHEME = "sha256="


class Refusal(StrEnum):
    """Why a signed request is refused (stable codes, also the API's)."""

    NOT_CONFIGURED = "telephony_not_configured"
    MISSING = "signature_missing"
    BAD_TIMESTAMP = "timestamp_malformed"
    OUTSIDE_WINDOW = "timestamp_outside_window"
    BAD_SIGNATURE = "signature_invalid"


def signed_message(timestamp: str, body: bytes) -> bytes:
    return timestamp.encode("ascii") + b"." + body


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """The header value for `body` signed at `timestamp` (Unix seconds, as text)."""
    mac = hmac.new(
        secret.encode("utf-8"), signed_message(timestamp, body), hashlib.sha256
    )
    return SCHEME + mac.hexdigest()


def check(
    *,
    secrets: Sequence[str],
    timestamp: str | None,
    signature: str | None,
    body: bytes,
    now: float,
    tolerance: int,
) -> Refusal | None:
    """None when the request is signed by one of `secrets` at a time within
    `tolerance` seconds of `now`, before or after; else why not."""
    if not secrets:
        return Refusal.NOT_CONFIGURED
    if not timestamp or not signature:
        return Refusal.MISSING
    if not (timestamp.isascii() and timestamp.isdigit()) or len(timestamp) > 12:
        return Refusal.BAD_TIMESTAMP
    if abs(now - int(timestamp)) > tolerance:
        return Refusal.OUTSIDE_WINDOW
    given = signature.strip().encode("utf-8", "replace")
    # Every secret is tried, whatever matched, so the time taken says nothing.
    matched = False
    for secret in secrets:
        expected = sign(secret, timestamp, body).encode("ascii")
        matched |= hmac.compare_digest(expected, given)
    return None if matched else Refusal.BAD_SIGNATURE
