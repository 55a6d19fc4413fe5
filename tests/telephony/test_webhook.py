"""The telephony hook over HTTP: signed events accepted and applied; every
refusal a problem document that changes nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from guichet.audit.models import AuditEvent
from guichet.core import clock
from guichet.telephony.models import Call, CallEvent
from tests.telephony.conftest import SECRET, event

pytestmark = pytest.mark.django_db


@pytest.fixture
def answering(make_agent: Callable[..., Any]) -> Any:
    return make_agent("first_line", username="first.nl", phone_extension="201")


def _nothing_stored() -> None:
    assert Call.objects.count() == 0
    assert CallEvent.objects.count() == 0


def _problem(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["code"] == code
    assert body["status"] == status
    assert body["type"] == f"urn:guichet:problem:{code}"
    assert "" not in (body["title"], body["detail"])
    return body


def test_a_call_rings_is_answered_and_ends(hook: Any, answering: Any) -> None:
    rang = clock.now() - dt.timedelta(seconds=20)
    answered = rang + dt.timedelta(seconds=5)
    ended = answered + dt.timedelta(seconds=10)
    number = "0470 12 34 56"
    for kind, at, more in (
        ("ringing", rang, {}),
        ("answered", answered, {"agent": "FIRST.NL"}),
        ("ended", ended, {}),
    ):
        response = hook(event(kind, number=number, at=at.isoformat(), **more))
        assert response.status_code == 201, response.content
        assert response.json()["event"] == kind
    call = Call.objects.get(call_id="call-1")
    assert call.number == "+32470123456"  # E.164, as the parties app keeps it
    assert call.agent == answering
    assert (call.rang_at, call.answered_at, call.ended_at) == (rang, answered, ended)
    assert call.noted_at is not None
    assert CallEvent.objects.filter(call=call).count() == 3
    actions = set(
        AuditEvent.objects.filter(object_id=str(call.uuid)).values_list(
            "action", flat=True
        )
    )
    assert actions == {
        "telephony.call_ringing",
        "telephony.call_answered",
        "telephony.call_ended",
    }


def test_answered_by_extension(hook: Any, answering: Any) -> None:
    response = hook(event("answered", extension="201"))
    assert response.status_code == 201
    assert Call.objects.get().agent == answering


def test_a_withheld_number_is_a_call_without_number(hook: Any, answering: Any) -> None:
    assert hook(event("answered", number="", agent="first.nl")).status_code == 201
    assert Call.objects.get().number == ""


def test_a_wrong_signature_is_refused_and_changes_nothing(
    hook: Any, answering: Any
) -> None:
    body = event("answered", agent="first.nl")
    _problem(hook(body, secret="x" * 40), 401, "signature_invalid")
    _problem(hook(body, signature="sha256=" + "0" * 64), 401, "signature_invalid")
    _nothing_stored()


def test_unsigned_requests_are_refused(answering: Any) -> None:
    from django.test import Client

    response = Client().post(
        "/api/telephony/events",
        data=event("ringing"),
        content_type="application/json",
    )
    body = _problem(response, 401, "signature_missing")
    assert body["errors"] == []
    assert "HMAC-SHA256" in response["WWW-Authenticate"]
    _nothing_stored()


def test_a_request_outside_the_window_is_refused(hook: Any, answering: Any) -> None:
    now = int(clock.now().timestamp())
    body = event("answered", agent="first.nl")
    _problem(hook(body, timestamp=str(now - 301)), 401, "timestamp_outside_window")
    _problem(hook(body, timestamp=str(now + 301)), 401, "timestamp_outside_window")
    _nothing_stored()
    assert hook(body, timestamp=str(now - 290)).status_code == 201


def test_a_replayed_request_is_refused(hook: Any, answering: Any) -> None:
    body = event("answered", agent="first.nl")
    stamp = str(int(clock.now().timestamp()))
    assert hook(body, timestamp=stamp).status_code == 201
    first = Call.objects.get()
    # The same bytes again, then the same event id signed anew: both refused.
    _problem(hook(body, timestamp=stamp), 409, "replayed")
    _problem(hook(body, timestamp=str(int(stamp) - 1)), 409, "replayed")
    assert CallEvent.objects.count() == 1
    again = Call.objects.get()
    assert (again.answered_at, again.noted_at) == (first.answered_at, first.noted_at)


def test_the_same_signature_under_another_event_id_is_refused(
    hook: Any, answering: Any
) -> None:
    """A signature is stored as it came: bytes signed once are accepted once."""
    assert hook(event("ringing")).status_code == 201
    signature = CallEvent.objects.get().signature
    other = event("ended")
    _problem(hook(other, signature=signature), 401, "signature_invalid")
    assert CallEvent.objects.count() == 1


def test_an_unknown_agent_is_refused(
    hook: Any, answering: Any, make_agent: Any
) -> None:
    body = _problem(hook(event("answered", agent="nobody")), 422, "unknown_agent")
    assert [error["field"] for error in body["errors"]] == ["agent"]
    body = _problem(hook(event("answered", extension="999")), 422, "unknown_agent")
    assert [error["field"] for error in body["errors"]] == ["extension"]
    make_agent("first_line", username="left", is_active=False)
    _problem(hook(event("answered", agent="left")), 422, "unknown_agent")
    _problem(hook(event("answered")), 422, "unknown_agent")
    _nothing_stored()


def test_a_malformed_payload_is_refused_with_every_field(
    hook: Any, answering: Any
) -> None:
    _problem(hook(None, raw=b"{not json"), 400, "malformed")
    _problem(hook(None, raw=b"\xff\xfe"), 400, "malformed")
    _problem(hook(["a", "list"]), 422, "malformed")
    body = _problem(
        hook({"event": "hung up", "caller": "12", "at": "yesterday"}), 422, "invalid"
    )
    fields = {error["field"]: error["code"] for error in body["errors"]}
    assert fields == {
        "event_id": "required",
        "call_id": "required",
        "event": "invalid_choice",
        "caller": "invalid_phone",
        "at": "invalid_time",
    }
    _problem(
        hook(event("ringing", at="2026-12-05T09:30:00")), 422, "invalid"
    )  # no zone
    _problem(hook(event("ringing", call="c" * 101)), 422, "invalid")
    _nothing_stored()


def test_not_configured_refuses_everything(
    hook: Any, answering: Any, settings: Any
) -> None:
    settings.TELEPHONY_SECRETS = []
    _problem(hook(event("ringing")), 503, "telephony_not_configured")
    _nothing_stored()


def test_only_post(client: Any) -> None:
    assert client.get("/api/telephony/events").status_code == 405


def test_rotation_the_second_secret_still_verifies(
    hook: Any, answering: Any, settings: Any
) -> None:
    settings.TELEPHONY_SECRETS = ["n" * 40, SECRET]
    assert hook(event("ringing")).status_code == 201


def test_a_transfer_opens_the_call_for_the_second_agent(
    hook: Any, answering: Any, make_agent: Any
) -> None:
    other = make_agent("first_line", username="first.other", phone_extension="202")
    assert hook(event("answered", extension="201")).status_code == 201
    second = event("answered", extension="202")
    second["event_id"] = "call-1-transfer"
    assert hook(second).status_code == 201
    assert Call.objects.get().agent == other


def test_a_refused_event_leaves_the_call_as_it_was(hook: Any, answering: Any) -> None:
    assert hook(event("ringing")).status_code == 201
    before = Call.objects.values().get()
    _problem(hook(event("answered", agent="nobody")), 422, "unknown_agent")
    _problem(hook(event("ended", at="soon")), 422, "invalid")
    assert Call.objects.values().get() == before
    assert CallEvent.objects.count() == 1


def test_a_body_too_large_is_refused(hook: Any, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    body = event("ringing", note="x" * 2000)
    _problem(hook(body), 413, "too_large")
    _nothing_stored()
