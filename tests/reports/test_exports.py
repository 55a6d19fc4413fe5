"""Exports: the filters and rows in the file, background jobs from queued to done
(or failed with their reason), only their agent downloads them, expired ones go."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
from pathlib import Path
from typing import Any

from django.db.models import QuerySet

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guichet.core import tabular
from guichet.core.errors import Conflict, NotFound
from guichet.reports import exports, lists
from guichet.reports.models import ExportJob, ExportState
from guichet.servicerequests.models import Request
from tests.factories import AgentFactory, PersonFactory, TeamFactory

from . import listrows

DAY = dt.date(2026, 3, 2)
PERIOD = {"start": "2026-03-01", "end": "2026-03-31"}


@pytest.fixture
def agent(db: Any, settings: Any, tmp_path: Path) -> Any:
    settings.EXPORT_DIR = tmp_path
    team = TeamFactory(code="exports-a")
    agent = AgentFactory(roles=["supervisor"], teams=[team], username="exports.a")
    hidden = PersonFactory(confidential_team=TeamFactory(code="exports-b"))
    listrows.complaint(team=team, agent=agent, person=None, on=DAY, subject="Slow")
    listrows.complaint(team=team, agent=agent, person=hidden, on=DAY, subject="Hide")
    return agent


def _csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


def _table(agent: Any, key: str, data: dict[str, str], language: str = "en") -> Any:
    source = exports.SOURCES[key]
    return exports.table(
        agent=agent, source=source, params=source.parse(agent, data), language=language
    )


def test_csv_holds_the_filters_and_the_rows(agent: Any) -> None:
    rows = _csv(tabular.to_csv(_table(agent, "complaints", {**PERIOD, "state": ""})))
    assert rows[0] == ["List", "Complaints handled and pending"]
    assert ["From", "2026-03-01"] in rows
    assert ["Handled or pending", "handled and pending"] in rows
    header = rows.index([]) + 1
    assert rows[header][:2] == ["Reference", "Received"]
    assert [row[4] for row in rows[header + 1 :]] == ["Slow"]


def test_xlsx_holds_the_title_filters_and_rows_in_the_language(agent: Any) -> None:
    data = tabular.to_xlsx(_table(agent, "complaints", PERIOD, language="fr"))
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0] == "Plaintes traitées et en cours"
    assert values[4][:2] == ("Du", "2026-03-01")
    assert values[-1][4] == "Slow"
    assert len(values) == 1 + 5 + 1 + 1 + 1  # title, filters, blank, header, row


def test_every_export_is_logged_as_read(agent: Any) -> None:
    from guichet.audit.models import AuditEvent

    list(_table(agent, "complaints", PERIOD).rows)
    logged = AuditEvent.objects.get(action="report.list_complaints")
    assert len(logged.summary["results"]) == 1  # the hidden complaint is not read


@settings(max_examples=20, deadline=None)
@given(
    text=st.text(
        st.characters(exclude_categories=("Cs",), exclude_characters="\x00"),
        max_size=40,
    )
)
def test_any_subject_survives_the_csv(agent: Any, text: str) -> None:
    Request.objects.filter(subject__startswith="Slow").update(subject="Slow" + text)
    rows = _csv(tabular.to_csv(_table(agent, "complaints", PERIOD)))
    assert rows[-1][4] == "Slow" + text


def test_a_background_export_runs_to_done(
    agent: Any, django_capture_on_commit_callbacks: Any
) -> None:
    source = exports.SOURCES["complaints"]
    with django_capture_on_commit_callbacks(execute=True):
        job = exports.export_job_start(
            agent=agent,
            source=source,
            params=source.parse(agent, PERIOD),
            language="en",
            fmt="xlsx",
        )
    job.refresh_from_db()
    assert (job.state, job.rows_total, job.rows_done, job.percent) == (
        ExportState.DONE,
        1,
        1,
        100,
    )
    found, data = exports.export_job_file(agent=agent, job_id=job.uuid)
    assert found == job
    assert len(job.sha256) == 64
    assert openpyxl.load_workbook(io.BytesIO(data)).active.max_row == 9
    other = AgentFactory(roles=["supervisor"], username="exports.other")
    with pytest.raises(NotFound):
        exports.export_job_file(agent=other, job_id=job.uuid)
    # A file changed on disk since it was written is never handed out.
    Path(job.file_path).write_bytes(data + b"\0")
    with pytest.raises(Conflict) as changed:
        exports.export_job_file(agent=agent, job_id=job.uuid)
    assert changed.value.code == "export_file_changed"
    with pytest.raises(NotFound):
        exports.export_job_get_for_agent(agent=other, job_id=job.uuid)


def test_a_failing_source_marks_the_job_failed_and_it_can_start_again(
    agent: Any, monkeypatch: Any, django_capture_on_commit_callbacks: Any
) -> None:
    source = exports.SOURCES["complaints"]

    def broken(agent: Any, params: Any) -> QuerySet[Any]:
        raise RuntimeError("the database went away")

    monkeypatch.setitem(
        exports.SOURCES, "complaints", dataclasses.replace(source, query=broken)
    )
    job = ExportJob.objects.create(
        agent=agent,
        source="complaints",
        params=source.parse(agent, PERIOD),
        language="en",
        format="xlsx",
        expires_at=dt.datetime(2099, 1, 1, tzinfo=dt.UTC),
    )
    failed = exports.export_job_run(job_id=str(job.uuid))
    assert failed.state == ExportState.FAILED
    assert failed.error == "the database went away"
    with pytest.raises(NotFound):
        exports.export_job_file(agent=agent, job_id=job.uuid)
    monkeypatch.setitem(exports.SOURCES, "complaints", source)
    with django_capture_on_commit_callbacks(execute=True):
        again = exports.export_job_retry(agent=agent, job_id=job.uuid)
    again.refresh_from_db()
    assert again.pk != job.pk
    assert again.state == ExportState.DONE


def test_expired_exports_are_deleted_with_their_file(
    agent: Any, tmp_path: Path
) -> None:
    path = tmp_path / "old.xlsx"
    path.write_bytes(b"x")
    old = ExportJob.objects.create(
        agent=agent,
        source="complaints",
        language="en",
        format="xlsx",
        state=ExportState.DONE,
        file_path=str(path),
        expires_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC),
    )
    kept = ExportJob.objects.create(
        agent=agent,
        source="complaints",
        language="en",
        format="xlsx",
        expires_at=dt.datetime(2099, 1, 1, tzinfo=dt.UTC),
    )
    assert exports.export_files_prune() == 1
    assert not path.exists()
    assert list(ExportJob.objects.all()) == [kept]
    assert not ExportJob.objects.filter(pk=old.pk).exists()


def test_the_queues_export_with_their_screens_filters(agent: Any) -> None:
    listed = list(_table(agent, "request-queue", {"kind": "complaint"}).rows)
    assert [row[2] for row in listed] == ["Slow"]
    assert list(_table(agent, "request-queue", {"kind": "question"}).rows) == []


def test_a_source_is_refused_without_its_grant(agent: Any) -> None:
    assert exports.SOURCES["pensions"] is lists.PENSIONS
    admin = AgentFactory(roles=["admin"], username="exports.admin")
    with pytest.raises(NotFound):
        exports.source_get(agent=admin, key="complaints")
    with pytest.raises(NotFound):
        exports.source_get(agent=agent, key="nothing")
