"""Signed calls to the telephony hook, and an agent with an extension."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.test import Client

import pytest

from guichet.core import clock
from guichet.telephony.signing import sign

SECRET = "test-telephony-secret-0123456789abcdef"
URL = "/api/telephony/events"


@pytest.fixture(autouse=True)
def _secret(settings: Any) -> None:
    settings.TELEPHONY_SECRETS = [SECRET]
    settings.TELEPHONY_TOLERANCE_SECONDS = 300


def signed_post(
    client: Client,
    body: Any,
    *,
    timestamp: str | None = None,
    secret: str = SECRET,
    raw: bytes | None = None,
    signature: str | None = None,
) -> Any:
    content = raw if raw is not None else json.dumps(body).encode()
    stamp = timestamp or str(int(clock.now().timestamp()))
    return client.post(
        URL,
        data=content,
        content_type="application/json",
        HTTP_X_GUICHET_TIMESTAMP=stamp,
        HTTP_X_GUICHET_SIGNATURE=signature or sign(secret, stamp, content),
    )


@pytest.fixture
def hook() -> Callable[..., Any]:
    """POST a signed event (a client that enforces CSRF, as a browser's would)."""
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")

    def post(body: Any, **kwargs: Any) -> Any:
        return signed_post(client, body, **kwargs)

    return post


def event(
    event: str, *, call: str = "call-1", number: str = "+32470123456", **more: str
) -> dict[str, str]:
    return {
        "event_id": f"{call}-{event}",
        "call_id": call,
        "event": event,
        "caller": number,
        "at": clock.now().isoformat(),
        **more,
    }
