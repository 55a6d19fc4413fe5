"""The export package of a transmitted dossier: a deterministic ZIP with its
manifest (valid against its JSON Schema), a PDF/A summary and every document;
downloaded only by agents who see the dossier, each download logged."""

from __future__ import annotations

import copy
import hashlib
import io
import json
import zipfile
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

import pikepdf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guichet.agents.models import Agent
from guichet.audit.models import AuditEvent
from guichet.casetypes import services as casetype_services
from guichet.casetypes.models import CaseTypeVersion
from guichet.casetypes.selectors import definition_cache_clear, version_definition
from guichet.core import clock
from guichet.core.errors import NotFound, ValidationFailed
from guichet.correspondence import pdfcheck
from guichet.documents.models import Document
from guichet.dossiers import export, hooks, selectors, services
from guichet.dossiers.models import (
    Dossier,
    DossierEvent,
    DossierParty,
    ExportPackage,
)
from tests.factories import (
    AgentFactory,
    OrganisationFactory,
    PersonFactory,
    TeamFactory,
)

from .conftest import TEAMS, hand_in, hand_in_all
from .test_lives import _conclude
from .test_lives import step as _step

pytestmark = pytest.mark.django_db


def _ready(dossier: Dossier, agent: Agent) -> Dossier:
    """A visa extension concluded and decided here, ready to be transmitted."""
    return _conclude(
        _step(dossier, agent, "conclude_complete"), agent, "conclusion", "transferred"
    )


@pytest.fixture
def visa(open_dossier: Callable[..., Dossier]) -> Dossier:
    return open_dossier(
        "visa-extension",
        facts={"ground": "force_majeure", "fee_exemption": "force_majeure"},
    )


@pytest.fixture
def transmitted(visa: Dossier, handler: Agent) -> Dossier:
    hand_in_all(visa)
    hand_in(visa, "passport_copy", checks={"mrz": False})  # a failed check, listed
    return _step(_ready(visa, handler), handler, "transmit")


@dataclass(frozen=True)
class Sample:
    """A transmitted visa extension's package, built once for the tests that only
    read it (rendering the summary is the slow part)."""

    reference: str
    status: str
    facts: dict[str, Any]
    transmitted_at: str
    handler: str
    person: dict[str, Any]
    documents: list[tuple[str, int]]
    files: dict[str, bytes]
    manifest: dict[str, Any]


@pytest.fixture(scope="module")
def sample(rolled_back: Callable[[], AbstractContextManager[None]]) -> Sample:
    with rolled_back():
        definition_cache_clear()
        made = [TeamFactory(code=code) for code in TEAMS]
        casetype_services.casetypes_import(
            agent=None, files=casetype_services.shipped_files()
        )
        handler = AgentFactory(roles=["dossier_handler"], level="C", teams=made)
        person = PersonFactory()
        dossier = services.dossier_open(
            actor=handler,
            case_type="visa-extension",
            applicant=person,
            facts={"ground": "force_majeure", "fee_exemption": "force_majeure"},
        )
        hand_in_all(dossier)
        hand_in(dossier, "passport_copy", checks={"mrz": False})  # a failed check
        dossier = _step(_ready(dossier, handler), handler, "transmit")
        files = _zip(_stored(_package(dossier)))
        return Sample(
            reference=dossier.reference,
            status=dossier.status,
            facts=dossier.facts,
            transmitted_at=export.iso_instant(dossier.transmitted_at),
            handler=handler.username,
            person={
                "role": "applicant",
                "kind": "person",
                "name": f"{person.given_names} {person.surname}",
                "national_number": person.national_number,
                "birth_date": export.iso_date(person.birth_date),
            },
            documents=[
                (document.content_sha256, document.size)
                for document in Document.objects.filter(dossier=dossier).order_by(
                    "created_at", "id"
                )
            ],
            files=files,
            manifest=json.loads(files["manifest.json"]),
        )


def _package(dossier: Dossier) -> ExportPackage:
    return ExportPackage.objects.get(dossier=dossier)


def _zip(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        return {name: archive.read(name) for name in archive.namelist()}


def _stored(package: ExportPackage) -> bytes:
    data = export.package_content(package)
    assert hashlib.sha256(data).hexdigest() == package.sha256
    assert len(data) == package.size
    return data


def test_transmitting_builds_the_package_with_every_file(sample: Sample) -> None:
    files = sample.files
    manifest = sample.manifest

    assert list(files)[:2] == ["manifest.json", "summary.pdf"]
    assert set(files) == {
        "manifest.json",
        "summary.pdf",
        *(entry["file"] for entry in manifest["documents"]),
    }
    assert len(manifest["documents"]) == len(sample.documents) >= 2
    for entry, (sha256, size) in zip(
        manifest["documents"], sample.documents, strict=True
    ):
        assert entry["sha256"] == sha256
        assert hashlib.sha256(files[entry["file"]]).hexdigest() == entry["sha256"]
        assert len(files[entry["file"]]) == entry["size"] == size
        assert entry["media_type"] == "application/pdf"
        assert entry["file"].endswith(".pdf")
    summary = files["summary.pdf"]
    assert manifest["summary"]["sha256"] == hashlib.sha256(summary).hexdigest()
    assert manifest["summary"]["size"] == len(summary)
    assert export.manifest_errors(manifest) == []
    dossier = manifest["dossier"]
    assert dossier["reference"] == sample.reference
    assert dossier["case_type"]["code"] == "visa-extension"
    assert dossier["case_type"]["version"] == 1
    assert dossier["status"] == sample.status == "transmitted"
    assert dossier["facts"] == sample.facts
    assert dossier["transmitted_at"] == sample.transmitted_at
    assert manifest["parties"] == [sample.person]
    assert manifest["decision"]["result"] == "transferred"
    assert manifest["decision"]["state"] == "final"
    assert manifest["sender"]["agent"]["username"] == sample.handler
    assert manifest["sender"]["team"]["code"] == "visas"
    failed = [
        check
        for entry in manifest["documents"]
        for check in entry["checks"]
        if not check["valid"]
    ]
    assert [(c["kind"], c["outcome"]) for c in failed] == [("mrz", "not_valid")]


def test_the_build_is_audited_and_on_the_timeline(transmitted: Dossier) -> None:
    package = _package(transmitted)
    built = AuditEvent.objects.get(action="dossier.export_package")
    assert built.summary["sha256"] == package.sha256
    assert (built.object_type, built.object_id) == (
        "dossiers.dossier",
        str(transmitted.uuid),
    )
    event = DossierEvent.objects.get(dossier=transmitted, kind="transmitted")
    assert event.data["sha256"] == package.sha256


def test_the_summary_is_pdfa_and_names_the_dossier(sample: Sample) -> None:
    summary = sample.files["summary.pdf"]
    report = pdfcheck.inspect(summary)
    assert report.is_pdfa_3b, report.problems
    with pikepdf.open(io.BytesIO(summary)) as document:
        assert len(document.pages) >= 1
        assert str(document.docinfo["/Title"]).endswith(sample.reference)


@pytest.mark.parametrize(
    ("language", "heading"),
    [
        ("fr", "Envoyé par"),
        ("nl", "Verzonden door"),
        ("de", "Gesendet von"),
        ("en", "Sent by"),
    ],
)
def test_the_summary_speaks_the_language_asked(
    sample: Sample, teams: Any, language: str, heading: str
) -> None:
    body = copy.deepcopy(sample.manifest)
    del body["generated_at"], body["summary"]
    definition = version_definition(
        CaseTypeVersion.objects.get(case_type__code="visa-extension")
    )
    sheet = export.summary_sheet(body, definition, language)
    assert sheet.language == language
    assert sample.reference in sheet.title
    assert heading in [section.heading for section in sheet.sections]
    rows = [row for section in sheet.sections for row in section.rows]
    assert any(sample.manifest["documents"][0]["sha256"] in row for row in rows)


def test_building_again_gives_the_same_package_but_its_date(
    transmitted: Dossier, handler: Agent
) -> None:
    first = _package(transmitted)
    again = export.package_build(dossier=transmitted, actor=handler)
    once_more = export.package_build(dossier=transmitted, actor=handler)

    before = json.loads(_zip(_stored(first))["manifest.json"])
    after = json.loads(_zip(again.data)["manifest.json"])
    generated = after.pop("generated_at")
    assert before.pop("generated_at") <= generated
    assert before == after
    assert _zip(again.data)["summary.pdf"] == _zip(_stored(first))["summary.pdf"]
    # Only the manifest's date differs: the rest of the ZIP is the same bytes.
    later = _zip(once_more.data)
    assert json.loads(later["manifest.json"])["generated_at"] >= generated
    assert {k: v for k, v in later.items() if k != "manifest.json"} == {
        k: v for k, v in _zip(again.data).items() if k != "manifest.json"
    }
    same = export.zip_bytes(
        [(name, data) for name, data in _zip(once_more.data).items()]
    )
    assert same == once_more.data
    assert ExportPackage.objects.filter(dossier=transmitted).count() == 3


@settings(max_examples=20, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.from_regex(r"[a-z]{1,8}(/[a-z]{1,8})?\.(json|pdf|bin)", fullmatch=True),
            st.binary(max_size=200),
        ),
        unique_by=lambda entry: entry[0],
        max_size=5,
    )
)
def test_the_zip_is_deterministic_and_holds_its_entries(
    entries: list[tuple[str, bytes]],
) -> None:
    data = export.zip_bytes(entries)
    assert export.zip_bytes(entries) == data
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert [info.date_time for info in archive.infolist()] == [
            export.ZIP_DATE
        ] * len(entries)
        assert [(name, archive.read(name)) for name in archive.namelist()] == entries


def test_a_dossier_without_documents_still_gives_a_valid_package(
    visa: Dossier, handler: Agent
) -> None:
    built = export.package_build(
        dossier=visa, actor=handler, status="transmitted", transition="test"
    )
    files = _zip(built.data)
    assert set(files) == {"manifest.json", "summary.pdf"}
    manifest = json.loads(files["manifest.json"])
    assert manifest["documents"] == []
    assert manifest["decision"] is None
    assert export.manifest_errors(manifest) == []
    assert pdfcheck.inspect(files["summary.pdf"]).is_pdfa_3b
    assert default_storage.exists(export.storage_name(built.package.sha256))


@pytest.mark.parametrize(
    ("_case", "break_it", "path"),
    [
        ("no version", lambda m: m.pop("schema_version"), "/"),
        ("other version", lambda m: m.update(schema_version="2.0"), "schema_version"),
        ("bad hash", lambda m: m["summary"].update(sha256="abc"), "summary/sha256"),
        (
            "unknown role",
            lambda m: m["parties"][0].update(role="cousin"),
            "parties/0",
        ),
        (
            "naive instant",
            lambda m: m.update(generated_at="2026-12-05T10:00:00"),
            "generated_at",
        ),
        (
            "extra field",
            lambda m: m["dossier"].update(password="x"),
            "dossier",
        ),
        (
            "file outside documents/",
            lambda m: m["documents"][0].update(file="../etc/passwd"),
            "documents/0/file",
        ),
        ("negative size", lambda m: m["documents"][0].update(size=-1), "documents/0"),
    ],
)
def test_a_broken_manifest_is_refused(
    sample: Sample, _case: str, break_it: Callable[[dict[str, Any]], Any], path: str
) -> None:
    manifest = sample.manifest
    assert export.manifest_errors(manifest) == []
    broken = copy.deepcopy(manifest)
    break_it(broken)

    errors = export.manifest_errors(broken)
    assert errors
    assert any(error.startswith(path) for error in errors), errors
    with pytest.raises(export.ManifestInvalid):
        export.manifest_validate(broken)


def test_a_missing_stored_document_refuses_the_transmission(
    visa: Dossier, handler: Agent
) -> None:
    hand_in_all(visa)
    document = Document.objects.filter(dossier=visa).first()
    assert document is not None
    Document.objects.filter(pk=document.pk).update(content_sha256="0" * 64)
    dossier = _ready(visa, handler)

    with pytest.raises(ValidationFailed) as refused:
        _step(dossier, handler, "transmit")

    assert refused.value.errors[0].code == "document_content_missing"
    dossier.refresh_from_db()
    assert (dossier.status, dossier.transmitted_at) == ("decided", None)
    assert not ExportPackage.objects.filter(dossier=dossier).exists()


# ---------------------------------------------------------------- downloads


def test_download_gives_the_stored_package_and_is_logged(
    transmitted: Dossier, handler: Agent
) -> None:
    got = selectors.export_package_for_agent(agent=handler, key=transmitted.reference)
    assert got.data == _stored(_package(transmitted))
    assert got.filename.startswith(f"{transmitted.reference}-export-")
    assert got.filename.endswith(".zip")
    logged = AuditEvent.objects.get(action="dossier.export_download")
    assert logged.chain == "access"
    assert logged.summary["sha256"] == _package(transmitted).sha256


def test_a_hidden_dossier_is_missing(
    transmitted: Dossier, agent_in: Callable[..., Agent]
) -> None:
    elsewhere = agent_in("dossier_handler", "C", "legalisations")
    with pytest.raises(NotFound):
        selectors.export_package_for_agent(agent=elsewhere, key=transmitted.reference)
    with pytest.raises(NotFound):
        selectors.export_package_for_agent(agent=elsewhere, key="DOS-2026-9999999")
    assert not AuditEvent.objects.filter(action="dossier.export_download").exists()


def test_api_download_is_a_zip_attachment(
    api_for: Callable[..., Any],
    transmitted: Dossier,
    handler: Agent,
    agent_in: Callable[..., Agent],
) -> None:
    url = f"/dossiers/{transmitted.reference}/export-package"
    got = api_for(handler).get(url)
    assert got.status_code == 200
    assert got["Content-Type"] == "application/zip"
    assert got["Content-Disposition"].startswith("attachment; filename=")
    assert transmitted.reference in got["Content-Disposition"]
    assert got.content == _stored(_package(transmitted))

    elsewhere = api_for(agent_in("dossier_handler", "C", "legalisations"))
    hidden = elsewhere.get(url)
    missing = elsewhere.get("/dossiers/DOS-2026-9999999/export-package")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json()["title"] == missing.json()["title"]
    assert AuditEvent.objects.filter(action="dossier.export_download").count() == 1


def test_api_says_404_before_transmission(
    api_for: Callable[..., Any], visa: Dossier, handler: Agent
) -> None:
    got = api_for(handler).get(f"/dossiers/{visa.reference}/export-package")
    assert got.status_code == 404


def test_workbench_links_the_package_once_transmitted(
    client: Client, visa: Dossier, handler: Agent, agent_in: Callable[..., Agent]
) -> None:
    client.force_login(handler)
    page = reverse("ui:dossier_detail", args=[visa.reference])
    link = reverse("ui:dossier_export_package", args=[visa.reference])
    assert link not in client.get(page).content.decode()

    hand_in_all(visa)
    _step(_ready(visa, handler), handler, "transmit")
    assert link in client.get(page).content.decode()
    got = client.get(link)
    assert got.status_code == 200
    assert got["Content-Disposition"].startswith("attachment")
    assert got.content == _stored(_package(visa))

    client.force_login(agent_in("dossier_handler", "C", "legalisations"))
    assert client.get(link).status_code == 404


def test_the_documented_example_is_valid() -> None:
    text = (Path(__file__).parents[2] / "docs" / "export-package.md").read_text()
    example = json.loads(text.split("```json\n", 1)[1].split("```", 1)[0])
    assert export.manifest_errors(example) == []
    example["parties"][0]["national_number"] = "85.07.30-033.28"
    assert export.manifest_errors(example)


def test_destroying_the_packages_removes_rows_and_files_on_commit(
    transmitted: Dossier, django_capture_on_commit_callbacks: Any
) -> None:
    name = export.storage_name(_package(transmitted).sha256)
    assert default_storage.exists(name)

    with django_capture_on_commit_callbacks(execute=True):
        assert export.packages_destroy(dossier=transmitted) == 1

    assert not ExportPackage.objects.filter(dossier=transmitted).exists()
    assert not default_storage.exists(name)


def test_the_schema_is_draft_2020_12() -> None:
    assert export.schema()["$schema"] == (
        "https://json-schema.org/draft/2020-12/schema"
    )


def test_the_same_state_at_the_same_instant_gives_the_same_bytes(
    transmitted: Dossier, handler: Agent, monkeypatch: pytest.MonkeyPatch
) -> None:
    instant = transmitted.transmitted_at
    monkeypatch.setattr(clock, "now", lambda: instant)

    first = export.package_build(dossier=transmitted, actor=handler)
    second = export.package_build(dossier=transmitted, actor=handler)

    assert first.data == second.data
    assert first.package.sha256 == second.package.sha256
    assert export.package_content(second.package) == first.data


def _document(**changes: Any) -> hooks.ExportDocument:
    values: dict[str, Any] = {
        "description": "",
        "kind": "other",
        "kind_label": _("other document"),
        "required_document": "",
        "language": "es",
        "media_type": "image/png",
        "extension": "png",
        "size": 3,
        "sha256": hashlib.sha256(b"png").hexdigest(),
        "issued_on": None,
        "expires_on": None,
        "checks": (),
        "read": lambda: b"png",
    }
    values.update(changes)
    return hooks.ExportDocument(**values)


def test_titles_organisations_and_facts_in_the_manifest_and_summary(
    visa: Dossier, handler: Agent
) -> None:
    employer = OrganisationFactory()
    DossierParty.objects.create(dossier=visa, role="employer", organisation=employer)
    documents = [
        _document(description="Scan of the contract"),
        _document(required_document="reasons_letter"),
        _document(),
    ]
    body = export.manifest_body(
        dossier=visa,
        definition=services.definition_of(visa),
        actor=handler,
        status="nowhere",
        transmitted_at=clock.now(),
        documents=documents,
        language="de",
    )
    body["dossier"]["facts"] = {"a_yes": True, "a_no": False, "unknown": None}

    assert [d["title"] for d in body["documents"]] == [
        "Scan of the contract",
        "Schreiben mit den Gründen",
        "anderes Dokument",
    ]
    assert [d["file"] for d in body["documents"]] == [
        "documents/001-other.png",
        "documents/002-reasons_letter.png",
        "documents/003-other.png",
    ]
    assert body["parties"][1] == {
        "role": "employer",
        "kind": "organisation",
        "name": employer.name,
        "enterprise_number": employer.enterprise_number or None,
    }
    sheet = export.summary_sheet(body, services.definition_of(visa), "de")
    rows = [row for section in sheet.sections for row in section.rows]
    assert ("a_yes", "ja") in rows
    assert ("a_no", "nein") in rows
    assert ("unknown", "—") in rows
    assert ("Status", "nowhere") in rows


def test_without_a_renderer_nothing_is_built(
    visa: Dossier, handler: Agent, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(hooks, "summary_renderers", [])
    with pytest.raises(RuntimeError):
        export.package_build(dossier=visa, actor=handler)
    assert not ExportPackage.objects.exists()
