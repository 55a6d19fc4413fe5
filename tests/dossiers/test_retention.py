"""The end of retention: closed dossiers archived or destroyed (`retention.py`)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import threading
from collections.abc import Callable
from typing import Any

from django.core.files.storage import default_storage
from django.db import connection, connections, transaction
from django.test import Client
from django.urls import reverse

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guichet.agents.models import Agent
from guichet.audit.models import AuditEvent
from guichet.audit.verification import audit_verify
from guichet.casetypes import services as casetype_services
from guichet.core import clock
from guichet.core.errors import ValidationFailed
from guichet.core.schedule import PERIODIC
from guichet.documents import storage
from guichet.documents.models import Document, DocumentVerification
from guichet.dossiers import export, retention, selectors, services, tasks
from guichet.dossiers.models import (
    DocumentRequest,
    Dossier,
    DossierEvent,
    DossierNote,
    DossierParty,
    DossierTask,
    EventKind,
    ExportPackage,
    PartyRole,
)
from tests.documents.factories import DocumentFactory, SpecimenFactory
from tests.factories import PersonFactory
from tests.servicerequests.conftest import shipped_reference_data

from .conftest import hand_in

pytestmark = pytest.mark.django_db

CLOSED_ON = dt.date(2026, 3, 2)
# What this test's case type says (the shipped ones leave it to the service):
# a withdrawn visa extension is kept 5 years from closure, then destroyed or
# archived as `then` says.
KEPT_UNTIL = dt.date(2031, 3, 2)
AFTER = KEPT_UNTIL + dt.timedelta(days=1)


def _import(then: str) -> None:
    source = (casetype_services.SHIPPED / "visa-extension.yaml").read_text()
    withdrawn = source.index("- code: withdrawn")
    head, tail = source[:withdrawn], source[withdrawn:]
    tail = tail.replace("amount: setting", "amount: 5", 1).replace(
        "then: setting", f"then: {then}", 1
    )
    casetype_services.casetype_import(
        agent=None, source=head + tail, filename="visa-extension.yaml"
    )


@pytest.fixture
def closed(
    open_dossier: Callable[..., Dossier],
    handler: Agent,
    monkeypatch: pytest.MonkeyPatch,
) -> Callable[..., Dossier]:
    """A withdrawn visa extension closed on CLOSED_ON, kept until KEPT_UNTIL,
    then `then`; with a note, a task, a document request and a party besides the
    applicant."""
    monkeypatch.setattr(clock, "today", lambda: CLOSED_ON)
    imported: set[str] = set()

    def make(then: str = "destroy", **kwargs: Any) -> Dossier:
        if then not in imported:
            _import(then)
            imported.add(then)
        dossier = open_dossier("visa-extension", facts={"ground": "humanitarian"})
        services.note_add(actor=handler, dossier=dossier, text_="Lives with her aunt.")
        services.task_create(actor=handler, dossier=dossier, title="Call Ms Peeters")
        party = DossierParty.objects.create(
            dossier=dossier, role=PartyRole.REPRESENTATIVE, person=PersonFactory()
        )
        services.document_request_create(
            actor=handler,
            dossier=dossier,
            description="Payslips",
            due_on=CLOSED_ON + dt.timedelta(days=15),
            party=party,
        )
        dossier.refresh_from_db()
        return services.dossier_close(
            actor=handler,
            dossier=dossier,
            expected_version=dossier.version,
            result="withdrawn",
            text_="The applicant withdrew.",
        )

    return make


def _stored(content: bytes) -> str:
    return storage.store([content], max_bytes=10_000).sha256


def _codes(refused: pytest.ExceptionInfo[ValidationFailed]) -> list[str]:
    return [error.code for error in refused.value.errors]


def test_closing_keeps_the_dossier_until_its_day_included(
    closed: Callable[..., Dossier],
) -> None:
    dossier = closed("archive")
    assert (dossier.retention_until, dossier.retention_then) == (KEPT_UNTIL, "archive")

    assert retention.dossiers_retention_run(today=KEPT_UNTIL).total == 0

    dossier.refresh_from_db()
    assert dossier.archived_at is None


def test_archives_a_dossier_whose_retention_has_ended(
    closed: Callable[..., Dossier], handler: Agent
) -> None:
    dossier = closed("archive")
    before = AuditEvent.objects.filter(chain="changes").count()

    report = retention.dossiers_retention_run(today=AFTER)

    assert (report.archived, report.destroyed) == ([dossier.reference], [])
    assert AuditEvent.objects.filter(chain="changes").count() == before + 1
    written = AuditEvent.objects.get(action="dossier.archive")
    assert (written.actor_id, written.object_id) == (None, str(dossier.uuid))
    dossier.refresh_from_db()
    assert dossier.archived_at is not None
    assert dossier.destroyed_at is None
    # Whole and visible: nothing of it is removed.
    assert dossier.person is not None
    assert DossierNote.objects.filter(dossier=dossier).count() == 1
    assert DossierParty.objects.filter(dossier=dossier).count() == 2
    seen = selectors.dossier_get_for_agent(agent=handler, key=dossier.reference)
    assert seen.obj.pk == dossier.pk
    last = DossierEvent.objects.filter(dossier=dossier).order_by("id").last()
    assert last is not None
    assert (last.kind, last.agent_id) == (EventKind.ARCHIVED, None)


def test_refuses_every_write_on_an_archived_dossier(
    closed: Callable[..., Dossier], handler: Agent
) -> None:
    dossier = closed("archive")
    retention.dossiers_retention_run(today=AFTER)
    dossier.refresh_from_db()
    task = DossierTask.objects.get(dossier=dossier)
    asked = DocumentRequest.objects.get(dossier=dossier)
    state = (
        dossier.version,
        DossierNote.objects.count(),
        DossierEvent.objects.count(),
        AuditEvent.objects.filter(chain="changes").count(),
    )
    writes: list[Callable[[], Any]] = [
        lambda: services.note_add(actor=handler, dossier=dossier, text_="More."),
        lambda: services.task_create(actor=handler, dossier=dossier, title="Again"),
        lambda: services.task_done(actor=handler, task=task),
        lambda: services.document_request_answer(actor=handler, document_request=asked),
        lambda: services.dossier_facts_update(
            actor=handler,
            dossier=dossier,
            expected_version=dossier.version,
            facts={"ground": "force_majeure"},
        ),
    ]
    for write in writes:
        with pytest.raises(ValidationFailed) as refused:
            write()
        assert _codes(refused) == ["dossier_archived"]
        assert "archived" in refused.value.errors[0].text
    dossier.refresh_from_db()
    assert (
        dossier.version,
        DossierNote.objects.count(),
        DossierEvent.objects.count(),
        AuditEvent.objects.filter(chain="changes").count(),
    ) == state
    assert services.transitions_offered(actor=handler, dossier=dossier) == []
    # Nor is a document request of an archived dossier reminded, nor its task
    # listed in the agent's work.
    assert services.document_requests_remind(today=AFTER) == 0
    task.assignee = handler
    task.save(update_fields=["assignee"])
    assert selectors.my_dossier_tasks(agent=handler) == []


def test_destroys_the_content_and_leaves_the_tombstone(
    closed: Callable[..., Dossier],
    handler: Agent,
    django_capture_on_commit_callbacks: Any,
) -> None:
    dossier = closed("destroy")
    applicant = dossier.person
    assert applicant is not None
    own = _stored(b"%PDF-1.7 the applicant's payslip")
    shared = _stored(b"%PDF-1.7 a form others handed in too")
    mine = hand_in(dossier, "passport_copy", checks={"mrz": True})
    Document.objects.filter(pk=mine.pk).update(content_sha256=own)
    DocumentFactory(person=applicant, dossier=dossier, content_sha256=shared)
    seal = _stored(b"%PDF-1.7 a seal, also a specimen's image")
    DocumentFactory(person=applicant, dossier=dossier, content_sha256=seal)
    SpecimenFactory(content_sha256=seal)
    elsewhere = DocumentFactory(person=applicant, content_sha256=shared)
    unrelated = DocumentFactory(person=applicant)
    audit_before = AuditEvent.objects.filter(chain="changes").count()

    with django_capture_on_commit_callbacks(execute=True):
        report = retention.dossiers_retention_run(today=AFTER)

    assert (report.archived, report.destroyed) == ([], [dossier.reference])
    tomb = Dossier.objects.get(pk=dossier.pk)
    # The tombstone: what the register of destruction keeps.
    assert tomb.reference == dossier.reference
    assert (tomb.case_type_id, tomb.case_type_version_id) == (
        dossier.case_type_id,
        dossier.case_type_version_id,
    )
    assert (tomb.received_on, tomb.created_at, tomb.closed_at) == (
        dossier.received_on,
        dossier.created_at,
        dossier.closed_at,
    )
    assert (tomb.result_code, tomb.retention_until, tomb.retention_then) == (
        "withdrawn",
        KEPT_UNTIL,
        "destroy",
    )
    assert tomb.destroyed_at is not None
    # The personal content: gone.
    assert (tomb.person, tomb.organisation, tomb.facts) == (None, None, {})
    for model in (
        DossierParty,
        DossierNote,
        DossierTask,
        DocumentRequest,
        DossierEvent,
        Document,
    ):
        assert not model.objects.filter(dossier=dossier).exists(), model
    assert not DocumentVerification.objects.filter(document_id=mine.pk).exists()
    assert not default_storage.exists(storage.name_of(own))
    # Bytes another document still holds stay; documents of no dossier stay.
    assert default_storage.exists(storage.name_of(shared))
    assert default_storage.exists(storage.name_of(seal))
    assert set(Document.objects.values_list("pk", flat=True)) == {
        elsewhere.pk,
        unrelated.pk,
    }
    # Every audit row is kept, one more says what was destroyed; the chain holds.
    assert AuditEvent.objects.filter(chain="changes").count() == audit_before + 1
    record = AuditEvent.objects.get(action="dossier.destroy")
    assert record.actor_id is None
    assert record.summary["reference"] == dossier.reference
    assert record.summary["result"] == "withdrawn"
    assert record.summary["retention"] == {
        "until": "2031-03-02",
        "then": "destroy",
        "period": "5 years",
        "counts_from": "closure",
    }
    assert record.summary["removed"]["documents"] == 4  # three rows, one check
    assert record.summary["removed"]["parties"] == 2
    assert audit_verify().is_intact
    # No longer the person's: their Dossiers tab does not list it.
    assert selectors.dossiers_of_person(agent=handler, person=applicant) == []


def test_refuses_every_write_on_a_destroyed_dossier(
    closed: Callable[..., Dossier], handler: Agent
) -> None:
    dossier = closed("destroy")
    retention.dossiers_retention_run(today=AFTER)
    dossier.refresh_from_db()
    with pytest.raises(ValidationFailed) as refused:
        services.note_add(actor=handler, dossier=dossier, text_="Still there?")
    assert _codes(refused) == ["dossier_destroyed"]
    assert not DossierNote.objects.filter(dossier=dossier).exists()


def test_never_touches_an_open_dossier(
    open_dossier: Callable[..., Dossier], closed: Callable[..., Dossier]
) -> None:
    still_open = open_dossier("visa-extension", facts={"ground": "humanitarian"})
    # Even with a retention date written on it by mistake.
    Dossier.objects.filter(pk=still_open.pk).update(
        retention_until=CLOSED_ON, retention_then="destroy"
    )

    report = retention.dossiers_retention_run(today=dt.date(2099, 1, 1))

    assert report.total == 0
    still_open.refresh_from_db()
    assert (still_open.archived_at, still_open.destroyed_at) == (None, None)
    assert still_open.person is not None


def test_a_second_run_does_nothing_twice(closed: Callable[..., Dossier]) -> None:
    archived, destroyed = closed("archive"), closed("destroy")
    first = retention.dossiers_retention_run(today=AFTER)
    audit_after_first = AuditEvent.objects.filter(chain="changes").count()
    stamps = list(
        Dossier.objects.order_by("pk").values_list("archived_at", "destroyed_at")
    )

    second = retention.dossiers_retention_run(today=AFTER + dt.timedelta(days=30))

    assert (first.archived, first.destroyed) == (
        [archived.reference],
        [destroyed.reference],
    )
    assert second.total == 0
    assert AuditEvent.objects.filter(chain="changes").count() == audit_after_first
    assert (
        list(Dossier.objects.order_by("pk").values_list("archived_at", "destroyed_at"))
        == stamps
    )
    assert AuditEvent.objects.filter(action="dossier.archive").count() == 1
    assert AuditEvent.objects.filter(action="dossier.destroy").count() == 1


def test_a_crash_leaves_the_done_ones_done_and_the_rest_for_the_next_run(
    closed: Callable[..., Dossier], monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second, third = (closed("destroy") for _ in range(3))
    real = retention._destroy
    calls: list[int] = []

    def crash_on_the_second(dossier: Dossier) -> None:
        calls.append(dossier.pk)
        real(dossier)
        if len(calls) == 2:
            raise RuntimeError("the machine stopped")

    monkeypatch.setattr(retention, "_destroy", crash_on_the_second)
    with pytest.raises(RuntimeError):
        retention.dossiers_retention_run(today=AFTER)

    destroyed = set(
        Dossier.objects.filter(destroyed_at__isnull=False).values_list("pk", flat=True)
    )
    assert destroyed == {first.pk}
    # The second's transaction rolled back whole: its content is all there.
    assert DossierNote.objects.filter(dossier=second).count() == 1
    assert DossierParty.objects.filter(dossier=second).count() == 2

    monkeypatch.setattr(retention, "_destroy", real)
    report = retention.dossiers_retention_run(today=AFTER)

    assert report.destroyed == [second.reference, third.reference]
    assert AuditEvent.objects.filter(action="dossier.destroy").count() == 3
    assert audit_verify().is_intact


def test_nothing_kept_until_today_or_later_is_ever_touched(
    closed: Callable[..., Dossier],
) -> None:
    dossiers = [closed(then) for then in ("archive", "destroy")]

    @settings(
        max_examples=25,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )
    @given(
        # Days between the day kept until and the run's day: around the edge.
        gaps=st.lists(
            st.integers(-3, 3) | st.integers(-900, 900), min_size=2, max_size=2
        ),
        today=st.dates(dt.date(2026, 1, 1), dt.date(2036, 1, 1)),
    )
    def check(gaps: list[int], today: dt.date) -> None:
        with transaction.atomic():
            for dossier, gap in zip(dossiers, gaps, strict=True):
                Dossier.objects.filter(pk=dossier.pk).update(
                    retention_until=today + dt.timedelta(days=gap)
                )
            retention.dossiers_retention_run(today=today)
            for row in Dossier.objects.filter(pk__in=[d.pk for d in dossiers]):
                assert row.retention_until is not None
                ended = row.archived_at or row.destroyed_at
                assert (ended is not None) == (row.retention_until < today)
                if row.retention_until >= today:
                    assert row.person is not None
                    assert DossierNote.objects.filter(dossier=row).exists()
            transaction.set_rollback(True)

    check()


def test_a_dry_run_lists_and_changes_nothing(closed: Callable[..., Dossier]) -> None:
    archived, destroyed = closed("archive"), closed("destroy")
    audit_before = AuditEvent.objects.filter(chain="changes").count()

    report = retention.dossiers_retention_run(today=AFTER, dry_run=True)

    assert (report.archived, report.destroyed) == (
        [archived.reference],
        [destroyed.reference],
    )
    assert not Dossier.objects.filter(archived_at__isnull=False).exists()
    assert not Dossier.objects.filter(destroyed_at__isnull=False).exists()
    assert AuditEvent.objects.filter(chain="changes").count() == audit_before


def test_reads_the_due_dossiers_batch_by_batch(closed: Callable[..., Dossier]) -> None:
    made = [closed("archive") for _ in range(5)]

    report = retention.dossiers_retention_run(today=AFTER, batch=2)

    assert report.archived == [d.reference for d in made]


# ---------------------------------------------------------------- task and command


def test_the_daily_task_runs_the_end_of_retention(
    closed: Callable[..., Dossier], monkeypatch: pytest.MonkeyPatch
) -> None:
    closed("archive")
    monkeypatch.setattr(clock, "today", lambda: AFTER)
    declared = [p for p in PERIODIC.values() if p.task is tasks.dossiers_retention_run]
    assert [p.every for p in declared] == [dt.timedelta(days=1)]

    assert tasks.dossiers_retention_run.call() == 1
    assert tasks.dossiers_retention_run.call() == 0


def test_the_command_dry_run_then_run(
    cli: Any, closed: Callable[..., Dossier], monkeypatch: pytest.MonkeyPatch
) -> None:
    archived, destroyed = closed("archive"), closed("destroy")
    monkeypatch.setattr(clock, "today", lambda: AFTER)

    code, out, err = cli("dossiers", "retention", "--dry-run")
    assert (code, err) == (0, "")
    assert f"{archived.reference}: would be archived" in out
    assert f"{destroyed.reference}: would be destroyed" in out
    assert not Dossier.objects.filter(archived_at__isnull=False).exists()

    code, out, err = cli("dossiers", "retention", "--today", "2031-03-02", "--json")
    assert (code, err) == (0, "")
    assert json.loads(out) == {
        "today": "2031-03-02",
        "dry_run": False,
        "archived": [],
        "destroyed": [],
    }

    code, out, err = cli("dossiers", "retention", "--json")
    assert (code, err) == (0, "")
    assert json.loads(out) == {
        "today": AFTER.isoformat(),
        "dry_run": False,
        "archived": [archived.reference],
        "destroyed": [destroyed.reference],
    }
    code, out, _ = cli("dossiers", "retention")
    assert code == 0
    assert "0 archived, 0 destroyed" in out


@pytest.mark.parametrize(
    ("_case", "arguments", "message"),
    [
        ("not a date", ["--today", "2031-13-01"], "YYYY-MM-DD"),
        ("after today", ["--today", "2031-03-04"], "after today"),
        ("empty batch", ["--batch", "0"], "at least one"),
    ],
)
def test_the_command_refuses_bad_arguments(
    cli: Any,
    closed: Callable[..., Dossier],
    monkeypatch: pytest.MonkeyPatch,
    _case: str,
    arguments: list[str],
    message: str,
) -> None:
    closed("destroy")
    monkeypatch.setattr(clock, "today", lambda: AFTER)

    code, out, err = cli("dossiers", "retention", *arguments)

    assert (code, out) == (2, "")
    assert message in err
    assert not Dossier.objects.filter(destroyed_at__isnull=False).exists()


# ---------------------------------------------------------------- screens and API


def _client(agent: Agent) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(agent)
    return client


def test_the_workbench_says_archived_and_offers_no_action(
    closed: Callable[..., Dossier], handler: Agent
) -> None:
    dossier = closed("archive")
    retention.dossiers_retention_run(today=AFTER)
    client = _client(handler)

    html = client.get(reverse("ui:dossier_detail", args=[dossier.reference]))

    assert html.status_code == 200
    page = html.content.decode()
    assert "Archived on" in page
    assert "Lives with her aunt." in page  # still readable
    assert reverse("ui:dossier_note", args=[dossier.reference]) not in page
    refused = client.post(
        reverse("ui:dossier_note", args=[dossier.reference]), {"text": "More."}
    )
    assert refused.status_code == 422
    assert "can be read, no longer changed" in refused.content.decode()
    assert DossierNote.objects.filter(dossier=dossier).count() == 1


def test_a_destroyed_dossier_shows_only_its_tombstone(
    closed: Callable[..., Dossier], handler: Agent, api_for: Callable[..., Any]
) -> None:
    dossier = closed("destroy")
    applicant = dossier.person
    assert applicant is not None
    retention.dossiers_retention_run(today=AFTER)
    client = _client(handler)

    page = client.get(reverse("ui:dossier_detail", args=[dossier.reference]))

    assert page.status_code == 200
    html = page.content.decode()
    assert "Destroyed at the end of its retention period" in html
    assert applicant.surname.upper() not in html
    assert "Lives with her aunt." not in html
    tab = client.get(reverse("ui:person_dossiers", args=[applicant.uuid]))
    assert dossier.reference not in tab.content.decode()
    queue = client.get(reverse("ui:dossier_queue") + "?status=closed")
    assert dossier.reference not in queue.content.decode()
    body = api_for(handler).get(f"/dossiers/{dossier.reference}").json()
    assert body["dossier"]["destroyed_at"] is not None
    assert body["dossier"]["facts"] == {}
    assert body["transitions"] == []


# ---------------------------------------------------------------- two runs at once


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_run_skips_a_dossier_another_run_holds(
    closed: Callable[..., Dossier],
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time: there is no interleaving")
    # The shipped calendar and topics, flushed by an earlier transactional test.
    shipped_reference_data()
    held, free = closed("destroy"), closed("destroy")
    locked, release = threading.Event(), threading.Event()

    def other_run() -> None:
        try:
            with transaction.atomic():
                Dossier.objects.select_for_update().get(pk=held.pk)
                locked.set()
                release.wait(10)
        finally:
            connections.close_all()

    thread = threading.Thread(target=other_run)
    thread.start()
    assert locked.wait(10)
    with connection.cursor() as cursor:
        cursor.execute("SET lock_timeout = '2s'")  # fail rather than wait

    report = retention.dossiers_retention_run(today=AFTER)

    release.set()
    thread.join(10)
    assert report.destroyed == [free.reference]
    assert Dossier.objects.get(pk=held.pk).destroyed_at is None
    assert retention.dossiers_retention_run(today=AFTER).destroyed == [held.reference]


def test_the_api_refuses_a_write_on_an_archived_dossier(
    closed: Callable[..., Dossier], handler: Agent, api_for: Callable[..., Any]
) -> None:
    dossier = closed("archive")
    retention.dossiers_retention_run(today=AFTER)
    api = api_for(handler)

    refused = api.post(f"/dossiers/{dossier.reference}/notes", {"text": "More."})

    assert refused.status_code == 422
    assert [e["code"] for e in refused.json()["errors"]] == ["dossier_archived"]
    assert DossierNote.objects.filter(dossier=dossier).count() == 1
    body = api.get(f"/dossiers/{dossier.reference}").json()
    assert body["dossier"]["archived_at"] is not None
    assert body["transitions"] == []


def test_destroying_removes_the_export_packages_and_their_files(
    closed: Callable[..., Dossier],
    handler: Agent,
    django_capture_on_commit_callbacks: Any,
) -> None:
    dossier = closed("destroy")
    data = b"PK a package sent to the Immigration Office"
    sha256 = hashlib.sha256(data).hexdigest()
    export._store(data, sha256)
    ExportPackage.objects.create(
        dossier=dossier,
        transition="transmit",
        sha256=sha256,
        size=len(data),
        documents=0,
        generated_at=clock.now(),
        created_by=handler,
    )
    assert default_storage.exists(export.storage_name(sha256))

    with django_capture_on_commit_callbacks(execute=True):
        retention.dossiers_retention_run(today=AFTER)

    assert not ExportPackage.objects.filter(dossier=dossier).exists()
    assert not default_storage.exists(export.storage_name(sha256))
    record = AuditEvent.objects.filter(action="dossier.destroy").get()
    assert record.summary["removed"]["export_packages"] == 1
