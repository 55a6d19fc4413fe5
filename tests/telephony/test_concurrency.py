"""The same event delivered twice at the same instant (a telephone system that
retries, two server processes): accepted once, by the database's unique keys.
PostgreSQL only: SQLite serialises every writer, so a race proves nothing there."""

from __future__ import annotations

from typing import Any

from django.db import connection

import pytest

from guichet.telephony import services
from guichet.telephony.errors import Replayed
from guichet.telephony.models import Call, CallEvent
from tests.races import race
from tests.telephony.conftest import event

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_the_same_event_raced_is_accepted_once(make_agent: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises every writer: a race proves nothing there")
    make_agent("first_line", username="first.nl", phone_extension="201")
    body = event("answered", extension="201")
    results = race(
        [
            lambda n=n: services.call_event_receive(
                payload=body, signature=f"sha256=race{n}"
            )
            for n in range(6)
        ]
    )
    accepted = [result for result in results if isinstance(result, CallEvent)]
    assert len(accepted) == 1, results
    assert all(
        isinstance(result, Replayed) for result in results if result not in accepted
    )
    assert CallEvent.objects.count() == 1
    assert Call.objects.count() == 1


def test_the_same_signature_raced_under_two_ids_is_accepted_once(
    make_agent: Any,
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises every writer: a race proves nothing there")
    make_agent("first_line", username="first.nl", phone_extension="201")
    bodies = [event("ringing", call=f"call-{n}") for n in range(4)]
    results = race(
        [
            lambda body=body: services.call_event_receive(
                payload=body, signature="sha256=same"
            )
            for body in bodies
        ]
    )
    assert sum(isinstance(result, CallEvent) for result in results) == 1, results
    # The refused ones left no call behind: their transaction rolled back.
    assert Call.objects.count() == 1


def test_different_events_of_one_call_raced_all_apply(make_agent: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises every writer: a race proves nothing there")
    agent = make_agent("first_line", username="first.nl", phone_extension="201")
    bodies = [event("ringing"), event("answered", extension="201"), event("ended")]
    results = race(
        [
            lambda body=body, n=n: services.call_event_receive(
                payload=body, signature=f"sha256=event{n}"
            )
            for n, body in enumerate(bodies)
        ]
    )
    assert all(isinstance(result, CallEvent) for result in results), results
    call = Call.objects.get()
    assert call.agent == agent
    assert None not in (call.rang_at, call.answered_at, call.ended_at)
