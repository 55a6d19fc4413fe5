"""The "Lists" section through HTTP: filters, count, pages, exports, background
exports with their progress and download, and who may open what."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

import openpyxl
import pytest

from guichet.reports.models import ExportJob, ExportState
from tests.factories import AgentFactory, PersonFactory, TeamFactory
from tests.reports import listrows

DAY = dt.date(2026, 3, 2)
QUERY = "start=2026-03-01&end=2026-03-31"


@pytest.fixture
def supervisor(db: Any, settings: Any, tmp_path: Path) -> Any:
    settings.EXPORT_DIR = tmp_path
    team = TeamFactory(code="screen-a")
    agent = AgentFactory(roles=["supervisor"], teams=[team], username="screen.sup")
    hidden = PersonFactory(confidential_team=TeamFactory(code="screen-b"))
    listrows.complaint(team=team, agent=agent, person=None, on=DAY, subject="Slow")
    listrows.complaint(team=team, agent=agent, person=hidden, on=DAY, subject="Hide")
    return agent


def test_the_section_lists_the_lists(
    supervisor: Any, client_for: Callable[[Any], Any]
) -> None:
    page = client_for(supervisor).get("/reports/lists/")
    assert page.status_code == 200
    assert b"Complaints handled and pending" in page.content
    assert b"Pre-pension and beneficiaries" in page.content  # supervisors pay too
    handler = AgentFactory(roles=["dossier_handler"], username="screen.handler")
    page = client_for(handler).get("/reports/lists/")
    assert b"Complaints handled and pending" in page.content
    assert b"Pre-pension and beneficiaries" not in page.content


def test_a_list_shows_its_count_rows_and_export_buttons(
    supervisor: Any, client_for: Callable[[Any], Any]
) -> None:
    page = client_for(supervisor).get(f"/reports/lists/complaints/?{QUERY}")
    assert page.status_code == 200
    html = page.content.decode()
    assert "1 row" in html
    assert "Slow" in html
    assert "Hide" not in html
    query = QUERY.replace("&", "&amp;")
    assert f"/reports/exports/complaints/csv/?team=&amp;state=&amp;{query}" in html


@pytest.mark.parametrize(
    ("_case", "query"),
    [
        ("not a date", "start=2026-02-30&end=2026-03-31"),
        ("too long", "start=2020-01-01&end=2026-03-31"),
        ("unknown state", f"{QUERY}&state=lost"),
    ],
)
def test_bad_filters_are_422(
    supervisor: Any, client_for: Callable[[Any], Any], _case: str, query: str
) -> None:
    client = client_for(supervisor)
    assert client.get(f"/reports/lists/complaints/?{query}").status_code == 422
    assert client.get(f"/reports/exports/complaints/csv/?{query}").status_code == 422
    posted = client.post(f"/reports/exports/complaints/xlsx/?{query}", _form(query))
    assert posted.status_code == 422
    assert not ExportJob.objects.exists()


def _form(query: str) -> dict[str, str]:
    return dict(pair.split("=") for pair in query.split("&"))


def test_csv_streams_and_xlsx_downloads(
    supervisor: Any, client_for: Callable[[Any], Any]
) -> None:
    client = client_for(supervisor)
    streamed = client.get(f"/reports/exports/complaints/csv/?{QUERY}")
    assert streamed.status_code == 200
    assert streamed.streaming
    rows = list(
        csv.reader(
            io.StringIO(b"".join(streamed.streaming_content).decode("utf-8-sig")),
            delimiter=";",
        )
    )
    assert ["From", "2026-03-01"] in rows
    assert rows[-1][4] == "Slow"
    workbook = client.get(f"/reports/exports/complaints/xlsx/?{QUERY}")
    sheet = openpyxl.load_workbook(io.BytesIO(workbook.content)).active
    assert sheet.cell(row=1, column=1).value == "Complaints handled and pending"


def test_a_long_xlsx_runs_in_the_background(
    supervisor: Any,
    client_for: Callable[[Any], Any],
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.EXPORT_BACKGROUND_ROWS = 0
    client = client_for(supervisor)
    offer = client.get(f"/reports/exports/complaints/xlsx/?{QUERY}")
    assert offer.status_code == 200
    assert b"written in the background" in offer.content
    assert not ExportJob.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post("/reports/exports/complaints/xlsx/", _form(QUERY))
    job = ExportJob.objects.get()
    assert started.status_code == 302
    assert started["Location"] == f"/reports/exports/jobs/{job.uuid}/"
    assert job.state == ExportState.DONE
    progress = client.get(f"/reports/exports/jobs/{job.uuid}/progress/")
    assert progress.status_code == 200
    assert f"/reports/exports/jobs/{job.uuid}/file/" in progress.content.decode()
    assert client.get(f"/reports/exports/jobs/{job.uuid}/").status_code == 200
    download = client.get(f"/reports/exports/jobs/{job.uuid}/file/")
    assert download.status_code == 200
    assert openpyxl.load_workbook(io.BytesIO(download.content)).active.max_row == 9
    other = client_for(AgentFactory(roles=["supervisor"], username="screen.other"))
    for path in ("", "progress/", "file/"):
        assert other.get(f"/reports/exports/jobs/{job.uuid}/{path}").status_code == 404


def test_the_request_queue_offers_its_export(
    supervisor: Any, client_for: Callable[[Any], Any]
) -> None:
    client = client_for(supervisor)
    page = client.get("/requests/?kind=complaint")
    assert b"/reports/exports/request-queue/csv/?" in page.content
    exported = client.get("/reports/exports/request-queue/csv/?kind=complaint")
    assert exported.status_code == 200
    assert b"Slow" in b"".join(exported.streaming_content)


def test_who_may_open_the_lists(
    supervisor: Any, client_for: Callable[[Any], Any], make_agent: Any
) -> None:
    admin = client_for(make_agent("admin", level="A2", username="screen.admin"))
    assert admin.get("/reports/lists/").status_code == 403
    assert admin.get(f"/reports/exports/complaints/csv/?{QUERY}").status_code == 404
    handler = client_for(AgentFactory(roles=["dossier_handler"], username="s.h"))
    assert handler.get("/reports/lists/pensions/").status_code == 404
    assert handler.get("/reports/lists/nothing/").status_code == 404
    assert handler.get("/reports/lists/dossiers/").status_code == 200


def test_a_page_costs_the_same_queries_for_one_row_or_many(
    supervisor: Any, client_for: Callable[[Any], Any]
) -> None:
    client = client_for(supervisor)
    client.get(f"/reports/lists/complaints/?{QUERY}")  # warm the caches
    with CaptureQueriesContext(connection) as one:
        client.get(f"/reports/lists/complaints/?{QUERY}")
    team = supervisor.teams.get()
    for _ in range(5):
        listrows.complaint(team=team, agent=supervisor, person=None, on=DAY)
    with CaptureQueriesContext(connection) as six:
        page = client.get(f"/reports/lists/complaints/?{QUERY}")
    assert b"6 rows" in page.content
    assert len(six.captured_queries) == len(one.captured_queries)
