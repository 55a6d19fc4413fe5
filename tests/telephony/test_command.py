"""`guichet telephony play|extension`, against a live server as against the demo."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from guichet.agents.models import Agent
from guichet.audit.models import AuditEvent
from guichet.telephony.models import Call
from tests.telephony.conftest import SECRET

Cli = Callable[..., tuple[int, str, str]]


# The live server is the session's and keeps its connections to the end, which
# PostgreSQL's test-database teardown refuses (as for the browser tests, run on
# SQLite only); what `play` does over HTTP does not depend on the database.
def over_http(test: Callable[..., None]) -> Callable[..., None]:
    marks = (
        pytest.mark.any_database,
        pytest.mark.skipif(
            os.environ.get("DATABASE_URL", "").startswith("postgres"),
            reason="a live server on PostgreSQL outlives the test database",
        ),
        pytest.mark.django_db(transaction=True),
    )
    for mark in marks:
        test = mark(test)
    return test


@over_http
def test_play_rings_answers_and_ends_a_call(
    cli: Cli, live_server: Any, make_agent: Any, tmp_path: Path
) -> None:
    agent = make_agent("first_line", username="first.nl", phone_extension="201")
    secret = tmp_path / "secret"
    secret.write_text(SECRET + "\n")
    code, out, err = cli(
        "telephony",
        "play",
        "--secret-file",
        str(secret),
        "--url",
        live_server.url,
        "--number",
        "0470 12 34 56",
        "--extension",
        "201",
        "--ring",
        "0",
        "--talk",
        "0",
        "--call-id",
        "played-1",
        "--json",
    )
    assert code == 0, (out, err)
    answers = json.loads(out)["events"]
    assert [(a["event"], a["status"]) for a in answers] == [
        ("ringing", 201),
        ("answered", 201),
        ("ended", 201),
    ]
    call = Call.objects.get(call_id="played-1")
    assert (call.agent, call.number) == (agent, "+32470123456")
    assert None not in (call.rang_at, call.answered_at, call.ended_at)


@over_http
def test_play_stops_at_a_refusal_and_exits_1(
    cli: Cli, live_server: Any, make_agent: Any
) -> None:
    code, out, _err = cli(
        "telephony",
        "play",
        "--url",
        live_server.url,
        "--number",
        "+32470123456",
        "--agent",
        "nobody",
        "--ring",
        "0",
        "--json",
    )
    assert code == 1
    answers = json.loads(out)["events"]
    assert [(a["event"], a["status"]) for a in answers] == [
        ("ringing", 201),
        ("answered", 422),
    ]
    assert answers[1]["answer"]["code"] == "unknown_agent"


@pytest.mark.django_db
def test_play_refuses_an_unreadable_secret_file(cli: Cli, tmp_path: Path) -> None:
    code, _out, err = cli(
        "telephony",
        "play",
        "--secret-file",
        str(tmp_path / "missing"),
        "--number",
        "+32470123456",
        "--agent",
        "first.nl",
    )
    assert code == 2
    assert "Cannot read the secret file" in err


@pytest.mark.django_db
def test_play_needs_a_secret(cli: Cli, settings: Any) -> None:
    settings.TELEPHONY_SECRETS = []
    code, _out, err = cli(
        "telephony", "play", "--number", "+32470123456", "--agent", "first.nl"
    )
    assert code == 2
    assert "GUICHET_TELEPHONY_SECRETS" in err


@pytest.mark.django_db
def test_extension_sets_and_removes_an_agents_extension(
    cli: Cli, make_agent: Any
) -> None:
    agent = make_agent("first_line", username="first.nl")
    code, out, _ = cli("telephony", "extension", "first.nl", "201", "--json")
    assert code == 0
    assert json.loads(out) == {"agent": "first.nl", "extension": "201"}
    assert Agent.objects.get(pk=agent.pk).phone_extension == "201"
    assert AuditEvent.objects.filter(action="telephony.extension_assign").count() == 1
    make_agent("first_line", username="other")
    code, _, err = cli("telephony", "extension", "other", "201")
    assert code == 2
    assert "already has this extension" in err
    code, _, err = cli("telephony", "extension", "other", "20a")
    assert code == 2
    code, _, err = cli("telephony", "extension", "ghost", "203")
    assert code == 2
    code, _, _ = cli("telephony", "extension", "first.nl", "")
    assert code == 0
    assert Agent.objects.get(pk=agent.pk).phone_extension == ""


@pytest.mark.django_db
def test_the_demo_gives_a_first_line_agent_an_extension(demo: Any) -> None:
    agent = Agent.objects.get(phone_extension="201")
    assert agent.username == "first.nl"
    assert "first_line" in agent.role_codes
