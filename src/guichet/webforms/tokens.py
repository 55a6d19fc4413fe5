"""The status link's token: 256 random bits, kept only as their SHA-256.

The acknowledgement e-mail, sent later by a background task, must carry the token
itself, so until it is sent the token waits beside its hash *sealed*: XORed with
HMAC-SHA256(secret key, the submission's public id), a key used for this one token
only (a one-time pad drawn from a pseudo-random function). The database alone does
not give the token back; once the e-mail has left, the sealed copy is wiped and
only the hash remains, so nobody (an administrator, a backup) can rebuild a link.
"""

from __future__ import annotations

import base64
import hashlib
import re
import secrets

from django.utils.crypto import salted_hmac

TOKEN_BYTES = 32
# base64url without padding: 43 characters for 32 bytes.
TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_-]{43}$")
_SALT = "guichet.webforms.tokens.seal"


def token_new() -> str:
    """A fresh token for a link (URL-safe text)."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_digest(token: str) -> str:
    """What is stored and looked up: the SHA-256 of the token, in hexadecimal."""
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def is_token_shaped(text: str) -> bool:
    return bool(TOKEN_SHAPE.match(text))


def _pad(key_id: str) -> bytes:
    return salted_hmac(_SALT, key_id, algorithm="sha256").digest()


def _raw(token: str) -> bytes:
    return base64.urlsafe_b64decode(token + "=")


def seal(token: str, *, key_id: str) -> str:
    """The token sealed under the key of `key_id` (hexadecimal, 64 characters)."""
    raw = _raw(token)
    return bytes(a ^ b for a, b in zip(raw, _pad(key_id), strict=True)).hex()


def unseal(sealed: str, *, key_id: str) -> str:
    """The token `seal` sealed under the same key."""
    raw = bytes(a ^ b for a, b in zip(bytes.fromhex(sealed), _pad(key_id), strict=True))
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")
