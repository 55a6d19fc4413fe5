"""Playing a call against a running Guichet, as a telephone system would
(`guichet telephony play`, docs/telephony.md): signed ringing, answered and ended
events, sent over HTTP with the standard library."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from guichet.core import clock

from .models import EventKind
from .signing import SIGNATURE_HEADER, TIMESTAMP_HEADER, sign

PATH = "/api/telephony/events"


@dataclass(frozen=True)
class Sent:
    event: str
    status: int
    body: dict[str, object]


def payload(
    *, call_id: str, event: str, caller: str, agent: str, extension: str
) -> dict[str, str]:
    """One event's body (the agent is named only when the call is answered)."""
    body = {
        "event_id": f"{call_id}-{event}-{uuid.uuid4().hex[:8]}",
        "call_id": call_id,
        "event": event,
        "caller": caller,
        "at": clock.now().isoformat(timespec="seconds"),
    }
    if event == EventKind.ANSWERED:
        if agent:
            body["agent"] = agent
        else:
            body["extension"] = extension
    return body


def send(*, url: str, secret: str, body: dict[str, str], timeout: float = 10) -> Sent:
    """POST one signed event; the answer's status and JSON, whatever it is."""
    raw = json.dumps(body, separators=(",", ":")).encode("utf-8")
    timestamp = str(int(clock.now().timestamp()))
    request = urllib.request.Request(  # noqa: S310 - the URL is the operator's own server
        url.rstrip("/") + PATH,
        data=raw,
        method="POST",
        headers={
            "Content-Type": "application/json",
            TIMESTAMP_HEADER: timestamp,
            SIGNATURE_HEADER: sign(secret, timestamp, raw),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:  # noqa: S310
            status, content = answer.status, answer.read()
    except urllib.error.HTTPError as refused:
        status, content = refused.code, refused.read()
    try:
        parsed = json.loads(content or b"{}")
    except ValueError:
        parsed = {"body": content.decode("utf-8", "replace")}
    return Sent(event=body["event"], status=status, body=parsed)


def play(
    *,
    url: str,
    secret: str,
    caller: str,
    agent: str = "",
    extension: str = "",
    ring_seconds: float = 2,
    talk_seconds: float = 10,
    call_id: str = "",
    sleep: Callable[[float], None] = time.sleep,
) -> Iterator[Sent]:
    """Ring, answer after `ring_seconds`, end after `talk_seconds`; each answer
    is yielded as it comes (a refusal stops the call)."""
    call = call_id or f"demo-{uuid.uuid4().hex[:12]}"
    pauses = {EventKind.RINGING: ring_seconds, EventKind.ANSWERED: talk_seconds}
    for event in (EventKind.RINGING, EventKind.ANSWERED, EventKind.ENDED):
        sent = send(
            url=url,
            secret=secret,
            body=payload(
                call_id=call,
                event=event,
                caller=caller,
                agent=agent,
                extension=extension,
            ),
        )
        yield sent
        if sent.status >= 300:
            return
        if event in pauses:
            sleep(pauses[event])
