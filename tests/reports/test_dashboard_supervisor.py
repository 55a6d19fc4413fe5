"""The supervisor's dashboard: each figure against a plain count of its rows."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from guichet.core.errors import Forbidden, ValidationFailed
from guichet.reports.dashboards import rows, supervisor
from guichet.reports.dashboards.common import Figure, Period, percentile
from guichet.servicerequests.models import Request
from tests.factories import PersonFactory
from tests.reports import dashboard_rows as make
from tests.reports.dashboard_rows import NOW

pytestmark = pytest.mark.usefixtures("pinned")

PERIOD = Period(first=NOW.date() - dt.timedelta(days=29), last=NOW.date())


@pytest.fixture
def world(teams: dict[str, Any], boss: Any, worker: Any) -> dict[str, Any]:
    """Work in cc-fr and visas, one item of each kind for a person confidential
    to the "secret" team (which the supervisor is not in)."""
    cc, visas = teams["cc-fr"], teams["visas"]
    hidden = PersonFactory(confidential_team=teams["secret"])
    for days in (1, 1.5, 5, 20, 40):
        make.request(cc, worker, days=days, owner=worker)
    make.request(visas, worker, days=4)
    make.request(cc, worker, days=1, person=hidden)
    make.request(cc, worker, days=2, status="closed")
    answered = make.request(
        cc,
        worker,
        days=3,
        status="answered",
        first_answer_due=NOW - dt.timedelta(days=2),
        first_answered_at=NOW - dt.timedelta(days=1),
        resolution_due=NOW - dt.timedelta(days=1),
        resolved_at=NOW - dt.timedelta(hours=30),
    )
    make.request(
        cc,
        worker,
        days=3,
        status="answered",
        first_answer_due=NOW - dt.timedelta(days=1),
        first_answered_at=NOW - dt.timedelta(days=2),
        person=hidden,
    )
    make.breach(answered, "first_answer", NOW - dt.timedelta(days=2))
    kind = make.case_type(visas, "visa")
    for days in (2, 10, 45):
        opened = make.dossier(kind, worker, days=days, owner=worker)
    make.task(opened, worker)
    make.decision(opened, worker)
    make.dossier(kind, worker, days=3, person=hidden)
    for days, closed in ((20, 4), (30, 10), (12, 2)):
        make.dossier(
            kind,
            worker,
            days=days,
            status="closed",
            closed_at=NOW - dt.timedelta(days=closed),
        )
    for hour in (8, 8, 13):
        make.contact(cc, worker, at=NOW.replace(hour=hour) - dt.timedelta(days=1))
    make.contact(
        cc,
        worker,
        at=NOW.replace(hour=9) - dt.timedelta(days=1),
        channel="counter",
        waiting_since=NOW.replace(hour=9) - dt.timedelta(days=1, minutes=12),
    )
    make.contact(cc, worker, at=NOW - dt.timedelta(days=1), person=hidden)
    make.contact(cc, worker, at=NOW - dt.timedelta(days=60))
    return {"hidden": hidden}


def _figure(agent: Any, key: str, team: str = "") -> Figure:
    board = supervisor.dashboard(agent=agent, team=team, period=PERIOD, only=key)
    return board.figures[0]


def _column(figure: Figure, header: str) -> list[Any]:
    index = [str(name) for name in figure.headers].index(header)
    return [row[index].value for row in figure.rows]


def test_backlog_counts_open_requests_by_age_without_the_hidden_person(
    boss: Any, world: dict[str, Any]
) -> None:
    figure = _figure(boss, "backlog_requests")
    assert [cell.value for cell in figure.rows[0]] == ["Cc Fr", 2, 1, 1, 1, 5]
    assert [cell.value for cell in figure.rows[1]] == ["Visas", 0, 1, 0, 0, 1]
    visible_open = Request.objects.filter(
        status__in=["new", "in_progress"], person__confidential_team__isnull=True
    ).count()
    assert figure.rows[0][-1].value + figure.rows[1][-1].value == visible_open


def test_backlog_of_dossiers_and_lead_times(boss: Any, world: dict[str, Any]) -> None:
    backlog = _figure(boss, "backlog_dossiers")
    assert [cell.value for cell in backlog.rows[1]] == ["Visas", 1, 0, 1, 1, 3]
    lead = _figure(boss, "lead_times")
    # Lead days 16, 20, 10: average 15.3, median 16, 90% within 20.
    assert [cell.value for cell in lead.rows[0]] == ["visa", 3, 15.3, 16, 20]


def test_service_level_and_breaches(boss: Any, world: dict[str, Any]) -> None:
    figure = _figure(boss, "service_level", team="cc-fr")
    assert [cell.value for cell in figure.rows[0][1:]] == [0, 1, 1, 0, 1, 0]


def test_contacts_by_channel_hour_and_the_counter(
    boss: Any, world: dict[str, Any]
) -> None:
    assert _column(_figure(boss, "channels"), "Contacts") == [3, 1]
    hours = dict(
        zip(
            *(_column(_figure(boss, "hours"), h) for h in ("Hour", "Contacts")),
            strict=True,
        )
    )
    assert sum(hours.values()) == 4
    counter = _figure(boss, "counter")
    assert _column(counter, "Visitors") == [1]
    assert _column(counter, "Average wait (min)") == [12.0]


def test_waiting_workload_and_status(boss: Any, world: dict[str, Any]) -> None:
    waiting = _figure(boss, "waiting")
    assert [cell.value for cell in waiting.rows[1][1:]] == [0, 1, 0]
    workload = _figure(boss, "workload")
    assert [cell.value for cell in workload.rows[0]] == ["worker", 5, 3, 1]
    status = _figure(boss, "open_by_status")
    assert _column(status, "Open") == [3]


def test_every_number_that_drills_to_rows_is_the_count_of_those_rows(
    boss: Any, world: dict[str, Any]
) -> None:
    board = supervisor.dashboard(agent=boss, team="", period=PERIOD)
    checked = 0
    for figure in board.figures:
        for row in figure.rows:
            for cell in row:
                if cell.drill is None or cell.drill.screen != "rows":
                    continue
                _source, found, _shown = rows.source_rows(
                    agent=boss,
                    figure=cell.drill.figure,
                    params=cell.drill.params,
                    today=make.today(),
                )
                assert found.count() == cell.value, (figure.key, cell.drill)
                assert world["hidden"].pk not in {
                    getattr(item, "person_id", None) for item in found
                }
                checked += 1
    assert checked > 40


def test_rows_page_logs_what_it_shows(boss: Any, world: dict[str, Any]) -> None:
    from guichet.audit.models import AuditEvent

    page = rows.rows_page(
        agent=boss,
        figure="open_requests",
        params={"team": "cc-fr", "age": "0-2"},
        today=make.today(),
    )
    assert page.total == len(page.lines) == 2
    logged = AuditEvent.objects.filter(action="report.rows").get()
    assert len(logged.summary["results"]) == 2


def test_refuses_a_period_too_long_or_reversed_and_a_foreign_team(
    boss: Any, world: dict[str, Any]
) -> None:
    with pytest.raises(ValidationFailed):
        supervisor.dashboard(
            agent=boss,
            team="",
            period=Period(first=dt.date(2024, 1, 1), last=dt.date(2025, 1, 1)),
        )
    with pytest.raises(ValidationFailed):
        supervisor.dashboard(agent=boss, team="secret", period=PERIOD)


def test_refuses_an_agent_who_is_not_a_supervisor(worker: Any) -> None:
    with pytest.raises(Forbidden):
        supervisor.dashboard(agent=worker, team="", period=PERIOD)


def test_percentile_is_the_nearest_rank() -> None:
    assert percentile({}, 0.5) is None
    assert percentile({1: 1, 2: 1, 3: 1, 4: 1}, 0.5) == 2
    assert percentile({1: 9, 10: 1}, 0.9) == 1
    assert percentile({1: 9, 10: 1}, 0.95) == 10


def test_every_rows_page_opens_and_says_the_figure(
    boss: Any, world: dict[str, Any]
) -> None:
    from django.test import Client

    from guichet.ui.views.reports_dashboards import drill_url

    client = Client()
    client.force_login(boss)
    board = supervisor.dashboard(agent=boss, team="", period=PERIOD)
    seen = set()
    for figure in board.figures:
        for row in figure.rows:
            for cell in row:
                url = drill_url(cell.drill)
                if not url.startswith("/reports/rows/") or url in seen:
                    continue
                seen.add(url)
                html = client.get(url).content.decode()
                word = "row" if cell.value == 1 else "rows"
                assert f">{cell.value} {word}</h2>" in html, url
    assert len(seen) > 40
