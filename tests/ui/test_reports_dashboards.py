"""The dashboards' screens: who opens them, the figures, exports, errors."""

from __future__ import annotations

import io
from typing import Any

from django.test import Client

import pytest
from openpyxl import load_workbook

from tests.factories import AgentFactory
from tests.reports import dashboard_rows as make
from tests.reports.conftest import boss, pinned, teams, worker

__all__ = ["boss", "pinned", "teams", "worker"]  # the fixtures used below

pytestmark = pytest.mark.usefixtures("pinned")


def _client(agent: Any) -> Client:
    client = Client()
    client.force_login(agent)
    return client


@pytest.fixture
def busy(teams: dict[str, Any], boss: Any, worker: Any) -> None:
    for days in (1, 5, 40):
        make.request(teams["cc-fr"], worker, days=days)
    for hour in (8, 9, 9):
        make.contact(
            teams["cc-fr"],
            worker,
            at=make.NOW.replace(hour=hour) - make.dt.timedelta(days=1),
        )


def test_a_supervisor_sees_figures_charts_and_links(boss: Any, busy: None) -> None:
    response = _client(boss).get("/reports/dashboard/", follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="img"' in html
    assert "style=" not in html.split("<main", 1)[-1]
    assert "/requests/?team=cc-fr" in html
    assert "/reports/rows/open_requests/?" in html


def test_the_rows_page_holds_as_many_rows_as_the_figure(boss: Any, busy: None) -> None:
    response = _client(boss).get(
        "/reports/rows/open_requests/", {"team": "cc-fr", "age": "31+"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('href="/requests/REQ-') == 1
    assert "<dt>Age (days)</dt><dd>31+</dd>" in html
    assert 'href="/reports/dashboard/teams/?team=cc-fr"' in html


def test_exports_a_table_as_xlsx_and_csv_with_its_filters(
    boss: Any, busy: None
) -> None:
    client = _client(boss)
    got = client.get(
        "/reports/dashboard/teams/",
        {"team": "cc-fr", "format": "xlsx", "table": "backlog_requests"},
    )
    assert got.status_code == 200
    sheet = load_workbook(io.BytesIO(got.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0] == "Open requests by age"
    assert ("Teams", "Cc Fr") in [tuple(row[:2]) for row in values]
    assert values[-1][:6] == ("Cc Fr", 1, 1, 0, 1, 3)
    text = client.get(
        "/reports/dashboard/teams/", {"format": "csv", "table": "hours"}
    ).content.decode("utf-8-sig")
    assert "10:00;2" in text  # 09:00 UTC is 10:00 in Brussels


def test_refuses_a_period_over_a_year_with_422(boss: Any, busy: None) -> None:
    response = _client(boss).get(
        "/reports/dashboard/teams/", {"first": "2024-01-01", "last": "2026-01-01"}
    )
    assert response.status_code == 422
    assert "one year at most" in response.content.decode()


@pytest.mark.parametrize(
    ("_case", "roles", "path", "status"),
    [
        ("first line, supervisor's", ["first_line"], "/reports/dashboard/teams/", 403),
        ("first line, payments'", ["first_line"], "/reports/dashboard/payments/", 403),
        ("first line, rows", ["first_line"], "/reports/rows/open_requests/", 403),
        (
            "payment agent, supervisor's",
            ["payment_agent"],
            "/reports/dashboard/teams/",
            403,
        ),
        (
            "payment agent, payments'",
            ["payment_agent"],
            "/reports/dashboard/payments/",
            200,
        ),
        ("supervisor, unknown figure", ["supervisor"], "/reports/rows/nothing/", 404),
    ],
)
def test_who_may_open_what(
    teams: dict[str, Any], _case: str, roles: list[str], path: str, status: int
) -> None:
    agent = AgentFactory(roles=roles, teams=[teams["cc-fr"]])
    assert _client(agent).get(path).status_code == status


def test_anonymous_goes_to_the_login_page(db: Any) -> None:
    response = Client().get("/reports/dashboard/teams/")
    assert response.status_code == 302


def test_a_malformed_drill_finds_nothing(boss: Any, busy: None) -> None:
    client = _client(boss)
    for path, params in (
        ("/reports/rows/appointments/", {"offer": "x", "week": "2026-03-16"}),
        ("/reports/rows/run_exceptions/", {"run": "x", "month": "2026-02"}),
        ("/reports/rows/debts/", {"creditor": "x", "month": "2026-02"}),
        ("/reports/rows/open_requests/", {"age": "x", "hour": "y"}),
    ):
        response = client.get(path, params)
        assert response.status_code == 200, path
        assert "No row." in response.content.decode()
    bad = client.get("/reports/rows/contacts/", {"first": "2026-13-01"})
    assert bad.status_code == 422
