"""The `guichet` command line: exit codes and JSON output."""

from __future__ import annotations

import json
from typing import Any

import pytest

from guichet.agents.models import Agent

pytestmark = pytest.mark.django_db


def test_unknown_command_is_a_usage_error(cli: Any) -> None:
    code, _, err = cli("no-such-command")
    assert code == 2
    assert "Unknown command" in err


def test_bad_arguments_are_a_usage_error(cli: Any) -> None:
    assert cli("audit", "fly")[0] == 2


def test_createagent_creates_and_reports_in_json(
    cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("a long enough password\n"))
    code, out, _ = cli(
        "createagent",
        "jdoe",
        "--role",
        "first_line",
        "--level",
        "C",
        "--password-stdin",
        "--json",
    )
    assert code == 0
    assert json.loads(out)["roles"] == ["first_line"]
    agent = Agent.objects.get(username="jdoe")
    assert agent.check_password("a long enough password")


def test_createagent_refuses_unknown_teams_with_exit_2(cli: Any) -> None:
    code, _, err = cli(
        "createagent",
        "jdoe",
        "--role",
        "first_line",
        "--team",
        "nowhere",
        "--no-password",
    )
    assert code == 2
    assert "nowhere" in err
    assert not Agent.objects.filter(username="jdoe").exists()


def test_token_create_then_use(cli: Any, make_agent: Any) -> None:
    from django.test import Client

    agent = make_agent("first_line", username="robot")
    code, out, _ = cli("token", "create", "robot", "--name", "nightly export", "--json")
    assert code == 0
    token = json.loads(out)["token"]
    assert (
        Client(HTTP_AUTHORIZATION=f"Bearer {token}")
        .get("/api/v1/me")
        .json()["username"]
        == agent.username
    )
    prefix = json.loads(out)["prefix"]
    assert cli("token", "revoke", prefix)[0] == 0
    assert (
        Client(HTTP_AUTHORIZATION=f"Bearer {token}").get("/api/v1/me").status_code
        == 401
    )


def test_errors_print_only_their_message(cli: Any) -> None:
    # NegativeAnswer and UsageError are Python class names, not words for a user.
    code, _, err = cli("token", "list", "nobody")
    assert code == 2
    assert "Error:" not in err
    assert "UsageError" not in err
    assert "nobody" in err


def test_errors_speak_the_configured_language(
    cli: Any, settings: Any, make_agent: Any
) -> None:
    make_agent("first_line", username="robot")
    settings.LANGUAGE_CODE = "fr"
    code, _, err = cli("token", "create", "robot", "--name", "x", "--days", "0")
    assert code == 2
    assert "jours" in err


@pytest.mark.parametrize(
    ("_case", "days"),
    [("zero", "0"), ("negative", "-5"), ("overflow", "99999999"), ("too_long", "3651")],
)
def test_token_create_refuses_days_out_of_range(
    cli: Any, make_agent: Any, _case: str, days: str
) -> None:
    agent = make_agent("first_line", username="robot")
    code, _, err = cli("token", "create", "robot", "--name", "x", "--days", days)
    assert code == 2
    assert "1" in err
    assert "3650" in err
    assert "Traceback" not in err
    assert not agent.api_tokens.exists()


@pytest.mark.parametrize("days", ["1", "3650"])
def test_token_create_accepts_the_bounds(cli: Any, make_agent: Any, days: str) -> None:
    agent = make_agent("first_line", username="robot")
    code, _, _ = cli("token", "create", "robot", "--name", "x", "--days", days)
    assert code == 0
    assert agent.api_tokens.count() == 1


def test_token_create_service_refuses_days_out_of_range(make_agent: Any) -> None:
    from guichet.agents.services import token_create
    from guichet.core.errors import ValidationFailed

    agent = make_agent("first_line", username="robot")
    with pytest.raises(ValidationFailed) as refused:
        token_create(actor=None, agent=agent, name="x", days=0)
    assert refused.value.errors[0].field == "days"
    assert not agent.api_tokens.exists()
