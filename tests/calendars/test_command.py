"""`guichet calendar due|list`: the interface deadline arithmetic is checked through.

Through `call_command` for the answers, through the `cli` fixture (the real
`guichet` entry point in this process) for exit codes, and once through a real
subprocess against a freshly migrated database.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from django.core.management import call_command

import pytest

from guichet.calendars import services
from guichet.calendars.models import BusinessCalendar
from guichet.core.commands import UsageError
from tests.calendars.factories import BusinessCalendarFactory, ClosingDayFactory
from tests.factories import TeamFactory

ROOT = Path(__file__).resolve().parents[2]
GUICHET = Path(sys.executable).parent / "guichet"


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("calendar", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("_case", "args", "expected"),
    [
        (
            "the brief's example",
            ["--start", "2026-12-04T16:00:00+01:00", "--hours", "3"],
            "2026-12-07T11:00:00+01:00",
        ),
        (
            "Christmas",
            ["--start", "2026-12-24T16:00+01:00", "--hours", "2"],
            "2026-12-28T10:00:00+01:00",
        ),
        (
            "decimal hours",
            ["--start", "2026-12-07T09:00+01:00", "--hours", "1.5"],
            "2026-12-07T10:30:00+01:00",
        ),
        (
            "a start in UTC",
            ["--start", "2026-12-24T15:00Z", "--hours", "2"],
            "2026-12-28T10:00:00+01:00",
        ),
        (
            "ends at closing",
            ["--start", "2026-12-07T09:00+01:00", "--hours", "8"],
            "2026-12-07T17:00:00+01:00",
        ),
        (
            "zero hours at night",
            ["--start", "2026-12-07T20:00+01:00", "--hours", "0"],
            "2026-12-08T09:00:00+01:00",
        ),
        (
            "over a DST change",
            ["--start", "2026-03-27T16:00+01:00", "--hours", "2"],
            "2026-03-30T10:00:00+02:00",
        ),
        (
            "overlapping pauses",
            [
                "--start",
                "2026-12-07T09:00+01:00",
                "--hours",
                "2",
                "--pause",
                "2026-12-07T10:00+01:00/2026-12-07T12:00+01:00",
                "--pause",
                "2026-12-07T11:00+01:00/2026-12-07T13:00+01:00",
            ],
            "2026-12-07T14:00:00+01:00",
        ),
    ],
)
def test_due_answers_one_json_document(
    default_calendar: BusinessCalendar, _case: str, args: list[str], expected: str
) -> None:
    assert json.loads(_run("due", *args, "--json")) == {"due": expected}


@pytest.mark.django_db
def test_due_json_is_exactly_one_line(default_calendar: BusinessCalendar) -> None:
    out = _run("due", "--start", "2026-12-04T16:00:00+01:00", "--hours", "3", "--json")
    assert out == '{"due": "2026-12-07T11:00:00+01:00"}\n'


def test_help_says_that_instants_need_an_offset(cli: Any) -> None:
    exit_code, out, _ = cli("calendar", "due", "--help")
    assert exit_code == 0
    assert "one without an offset is refused with exit code 2 (missing_offset)" in (
        " ".join(out.split())
    )


@pytest.mark.django_db
def test_due_prints_the_instant_alone_without_json(
    default_calendar: BusinessCalendar,
) -> None:
    out = _run("due", "--start", "2026-12-24T16:00+01:00", "--hours", "2")
    assert out == "2026-12-28T10:00:00+01:00\n"


@pytest.mark.django_db
def test_due_counts_in_the_calendar_asked_for(administrator: Any) -> None:
    calendar = BusinessCalendarFactory(code="visas")  # Wednesday 09:00-12:00 only
    ClosingDayFactory(calendar=calendar, date=dt.date(2026, 12, 8), reason="Staff day")
    out = _run(
        "due",
        "--calendar",
        "visas",
        "--start",
        "2026-12-07T15:00+01:00",
        "--hours",
        "2",
        "--json",
    )
    assert json.loads(out) == {"due": "2026-12-09T10:00:00+01:00"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("_case", "args", "code"),
    [
        (
            "no offset",
            ["--start", "2026-12-24T16:00", "--hours", "2"],
            "missing_offset",
        ),
        (
            "malformed date",
            ["--start", "24/12/2026", "--hours", "2"],
            "invalid_datetime",
        ),
        (
            "negative hours",
            ["--start", "2026-12-24T16:00+01:00", "--hours", "-1"],
            "negative_hours",
        ),
        (
            "not hours",
            ["--start", "2026-12-24T16:00+01:00", "--hours", "two"],
            "invalid_hours",
        ),
        (
            "too many hours",
            ["--start", "2026-12-24T16:00+01:00", "--hours", "1e9"],
            "hours_too_large",
        ),
        (
            "unknown calendar",
            ["--start", "2026-12-24T16:00+01:00", "--hours", "2", "--calendar", "nope"],
            "unknown_calendar",
        ),
        (
            "pause in reverse",
            [
                "--start",
                "2026-12-24T16:00+01:00",
                "--hours",
                "2",
                "--pause",
                "2026-12-24T17:00+01:00/2026-12-24T16:00+01:00",
            ],
            "pause_order",
        ),
        (
            "pause without its end",
            [
                "--start",
                "2026-12-24T16:00+01:00",
                "--hours",
                "2",
                "--pause",
                "2026-12-24T17:00+01:00",
            ],
            "invalid_pause",
        ),
        (
            "the end of time",
            ["--start", "9999-12-31T23:59+00:00", "--hours", "0"],
            "out_of_range",
        ),
        (
            "the start of time",
            ["--start", "0001-01-01T05:00+01:00", "--hours", "1"],
            "out_of_range",
        ),
    ],
)
def test_due_refuses_bad_input_with_exit_2_and_a_coded_error(
    cli: Any, default_calendar: BusinessCalendar, _case: str, args: list[str], code: str
) -> None:
    exit_code, out, err = cli("calendar", "due", *args, "--json")
    assert exit_code == 2
    assert set(json.loads(out)) == {"error"}
    assert json.loads(out)["error"]["code"] == code
    assert json.loads(out)["error"]["message"]
    assert "Traceback" not in err
    plain_code, plain_out, plain_err = cli("calendar", "due", *args)
    assert plain_code == 2
    assert plain_out == ""
    assert json.loads(out)["error"]["message"] in plain_err


@pytest.mark.django_db
def test_missing_arguments_are_a_json_usage_error_too(cli: Any) -> None:
    exit_code, out, _ = cli("calendar", "due", "--hours", "2", "--json")
    assert exit_code == 2
    assert json.loads(out)["error"]["code"] == "usage"
    assert "--start" in json.loads(out)["error"]["message"]
    exit_code, out, err = cli("calendar", "due", "--hours", "2")
    assert (exit_code, out) == (2, "")
    assert "--start" in err


@pytest.mark.django_db
def test_call_command_raises_usage_errors(default_calendar: BusinessCalendar) -> None:
    with pytest.raises(UsageError, match="no UTC offset"):
        _run("due", "--start", "2026-12-24T16:00", "--hours", "2")
    out = io.StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command(
            "calendar", "due", "--start", "x", "--hours", "2", "--json", stdout=out
        )
    assert exited.value.code == 2
    assert json.loads(out.getvalue())["error"]["code"] == "invalid_datetime"


@pytest.mark.django_db
def test_due_says_to_migrate_when_the_tables_are_missing(
    cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.db import connection

    monkeypatch.setattr(connection.introspection, "table_names", lambda: ["other"])
    exit_code, out, _ = cli(
        "calendar", "due", "--start", "2026-12-24T16:00+01:00", "--hours", "2", "--json"
    )
    assert exit_code == 2
    assert json.loads(out) == {
        "error": {
            "code": "database_not_ready",
            "message": "The database is not ready: run `guichet migrate` first.",
        }
    }


@pytest.mark.django_db
def test_due_refuses_a_database_it_cannot_read(
    cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.db import DatabaseError, connection

    def broken() -> list[str]:
        raise DatabaseError("connection refused\nmore detail")

    monkeypatch.setattr(connection.introspection, "table_names", broken)
    exit_code, out, _ = cli("calendar", "list", "--json")
    assert exit_code == 2
    error = json.loads(out)["error"]
    assert error["code"] == "database_unavailable"
    assert "connection refused" in error["message"]
    assert "more detail" not in error["message"]


@pytest.mark.django_db
def test_lists_the_calendars(
    administrator: Any, default_calendar: BusinessCalendar
) -> None:
    visas = BusinessCalendarFactory(code="visas", name="Visas")
    ClosingDayFactory(calendar=visas, date=dt.date(2026, 12, 24), reason="Eve")
    services.team_calendar_set(
        actor=administrator, team=TeamFactory(code="visas"), calendar=visas
    )
    listing = json.loads(_run("list", "--json"))
    assert [calendar["code"] for calendar in listing["calendars"]] == [
        "default",
        "visas",
    ]
    assert listing["calendars"][0] == {
        "code": "default",
        "name": "Monday to Friday, 09:00-17:00",
        "time_zone": "Europe/Brussels",
        "hours": {
            "monday": "09:00-17:00",
            "tuesday": "09:00-17:00",
            "wednesday": "09:00-17:00",
            "thursday": "09:00-17:00",
            "friday": "09:00-17:00",
            "saturday": "",
            "sunday": "",
        },
        "closes_on_public_holidays": True,
        "closing_days": [],
        "teams": [],
    }
    assert listing["calendars"][1]["closing_days"] == [
        {"date": "2026-12-24", "reason": "Eve"}
    ]
    assert listing["calendars"][1]["teams"] == ["visas"]
    text = _run("list")
    assert "default: Monday to Friday, 09:00-17:00 (Europe/Brussels, closed on" in text
    assert "  Saturday  closed" in text
    assert "  closed on 2026-12-24: Eve" in text
    assert "  teams: visas" in text


# A real process, as a script would run it


@pytest.fixture(scope="module")
def migrated_database(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The environment of a `guichet` whose SQLite database has the calendars."""
    folder = tmp_path_factory.mktemp("calendar-cli")
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL"}
    }
    env.update(
        DATABASE_URL=f"sqlite:///{folder / 'guichet.sqlite3'}",
        GUICHET_VAR_DIR=str(folder),
        GUICHET_LANGUAGE="en",
    )
    subprocess.run(  # noqa: S603 - our own guichet, with arguments written here
        [str(GUICHET), "migrate", "calendars", "--verbosity", "0"],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    return env


def _guichet(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own guichet, with the tests' arguments
        [str(GUICHET), *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def test_a_script_gets_the_deadline_and_coded_errors(
    migrated_database: dict[str, str], tmp_path: Path
) -> None:
    answer = _guichet(
        migrated_database,
        "calendar",
        "due",
        "--start",
        "2026-12-24T16:00:00+01:00",
        "--hours",
        "2",
        "--json",
    )
    assert (answer.returncode, json.loads(answer.stdout)) == (
        0,
        {"due": "2026-12-28T10:00:00+01:00"},
    )
    refused = _guichet(
        migrated_database,
        "calendar",
        "due",
        "--start",
        "2026-12-24T16:00",
        "--hours",
        "2",
        "--json",
    )
    assert refused.returncode == 2
    assert json.loads(refused.stdout)["error"]["code"] == "missing_offset"
    assert "Traceback" not in refused.stderr
    missing = dict(
        migrated_database, DATABASE_URL=f"sqlite:///{tmp_path / 'none.sqlite3'}"
    )
    unmigrated = _guichet(
        missing, "calendar", "due", "--start", "2026-12-24T16:00+01:00", "--hours", "2"
    )
    assert unmigrated.returncode == 2
    assert "run `guichet migrate` first" in unmigrated.stderr
    assert "Traceback" not in unmigrated.stderr
    assert not (tmp_path / "none.sqlite3").exists()
