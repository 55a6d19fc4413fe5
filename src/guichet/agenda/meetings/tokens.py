"""The answer link of an external participant: a token only the server can make.

The token is HMAC-SHA256(secret key, the participant's public id), so every mail
about the meeting (each update, the cancellation) carries the same link without
the token being stored: the database keeps only its SHA-256, which is how the
public page finds the participant. Changing the secret key ends every link.
"""

from __future__ import annotations

import base64
import hashlib
import re
import uuid

from django.utils.crypto import salted_hmac

from guichet.agenda.models import Participant
from guichet.core.validation import parse_uuid

_SALT = "guichet.agenda.meetings.tokens"
# base64url without padding: 43 characters for 32 bytes.
TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_-]{43}$")


def token_for(participant: Participant) -> str:
    raw = salted_hmac(_SALT, str(participant.uuid), algorithm="sha256").digest()
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


def is_token_shaped(text: str) -> bool:
    return bool(TOKEN_SHAPE.match(text))


NO_KEY = uuid.UUID(int=0)


def key_of(value: object) -> uuid.UUID:
    """The public id `value` spells; a malformed one finds nothing (the nil UUID)."""
    return parse_uuid(value) or NO_KEY
