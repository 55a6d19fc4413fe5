"""A person's documents over HTTP: upload, list, verify, download, and who may."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

from django.test import Client

import pytest

from guichet.audit.models import AuditEvent
from guichet.documents.models import Document, DocumentVerification
from tests.checks import zones
from tests.documents.factories import ELF, PDF, DocumentFactory, upload
from tests.factories import PersonFactory, TeamFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def desk(make_agent: Any) -> Any:
    return make_agent("front_office", teams=("consular",), username="desk")


@pytest.fixture
def peeters() -> Any:
    return PersonFactory(
        surname="Peeters", given_names="Jan", birth_date=dt.date(1985, 7, 30), sex="M"
    )


def _upload(api: Any, person: Any, content: bytes = PDF, **fields: str) -> Any:
    data = {
        "document_type": "passport",
        "document_number": "AB1234567",
        "expires_on": "2031-05-01",
        "file": upload(content, name="passport.pdf"),
        **fields,
    }
    return api.client.post(f"/api/v1/persons/{person.uuid}/documents", data)


def test_uploads_lists_verifies_and_downloads_a_document(
    desk: Any, api_for: Any, peeters: Any
) -> None:
    api = api_for(desk)
    created = _upload(api, peeters)
    assert created.status_code == 201
    body = created.json()
    assert created["Location"] == f"/api/v1/documents/{body['id']}"
    assert created["ETag"] == '"1"'
    assert (body["document_type"], body["content_type"], body["size"]) == (
        "passport",
        "application/pdf",
        len(PDF),
    )
    assert body["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert body["person_id"] == str(peeters.uuid)
    assert body["verifications"] == []

    verified = api.post(
        f"/documents/{body['id']}/verifications",
        {"kind": "mrz", "value": zones.td3(), "on": "2026-01-10"},
    )
    assert verified.status_code == 201
    verification = verified.json()
    assert (verification["kind"], verification["valid"]) == ("mrz", True)
    assert verification["verified_by"] == "desk"
    assert verification["result"]["fields"]["surname"] == "PEETERS"

    listed = api.get(f"/persons/{peeters.uuid}/documents?decision_date=2031-05-02")
    assert listed.status_code == 200
    [item] = listed.json()
    assert item["expires_before"] is True
    assert [entry["id"] for entry in item["verifications"]] == [verification["id"]]

    downloaded = api.get(f"/documents/{body['id']}/content")
    assert downloaded.status_code == 200
    assert downloaded.content == PDF
    assert downloaded["Content-Disposition"].startswith("attachment;")
    assert downloaded["X-Content-Type-Options"] == "nosniff"


def test_a_verification_against_another_persons_data_does_not_match(
    desk: Any, api_for: Any, peeters: Any
) -> None:
    # given a passport of PEETERS Jan, verified in English with another zone
    api = api_for(desk)
    document_id = _upload(api, peeters).json()["id"]
    verified = api.post(
        f"/documents/{document_id}/verifications",
        {
            "kind": "mrz",
            "value": zones.td3(surname="JANSSENS", given_names="LOUIS"),
            "on": "2026-01-10",
        },
    )
    assert verified.status_code == 201
    body = verified.json()
    assert (body["valid"], body["outcome"]) == (False, "does_not_match")
    assert [reason["code"] for reason in body["reasons"]] == [
        "surname_mismatch",
        "given_names_mismatch",
    ]
    # when a Dutch-speaking caller reads it, the reasons are in Dutch
    dutch = api_for(desk, language="nl").get(f"/documents/{document_id}").json()
    [verification] = dutch["verifications"]
    assert verification["reasons"][0]["message"].startswith(
        "De zone vermeldt JANSSENS als familienaam"
    )


def test_a_renamed_program_is_a_422_naming_the_file(
    desk: Any, api_for: Any, peeters: Any
) -> None:
    response = _upload(api_for(desk, language="nl"), peeters, ELF)
    assert response.status_code == 422
    problem = response.json()
    assert [(error["field"], error["code"]) for error in problem["errors"]] == [
        ("file", "file_type_refused")
    ]
    assert problem["errors"][0]["message"].startswith(
        "Dit bestand is een Linux-programma"
    )
    assert Document.objects.count() == 0


def test_an_oversize_file_is_a_422(
    desk: Any, api_for: Any, peeters: Any, settings: Any
) -> None:
    settings.DOCUMENT_MAX_BYTES = 8
    response = _upload(api_for(desk), peeters)
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "file_too_large"
    assert Document.objects.count() == 0


def test_a_missing_file_or_type_is_a_422(desk: Any, api_for: Any, peeters: Any) -> None:
    response = api_for(desk).client.post(
        f"/api/v1/persons/{peeters.uuid}/documents", {"document_number": "X"}
    )
    assert response.status_code == 422
    # Multipart fields are named as the form names them, without ninja's
    # location prefix (form., file.).
    assert {error["field"] for error in response.json()["errors"]} == {
        "file",
        "document_type",
    }
    assert Document.objects.count() == 0


def test_a_check_that_does_not_fit_is_a_422(desk: Any, api_for: Any) -> None:
    document = DocumentFactory(document_type="passport")
    response = api_for(desk).post(
        f"/documents/{document.uuid}/verifications",
        {"kind": "iban", "value": ["BE71096123456769"]},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "check_not_for_type"
    assert DocumentVerification.objects.count() == 0


def test_the_contact_center_reads_but_may_not_add_verify_or_download(
    first_line: Any, api_for: Any, peeters: Any
) -> None:
    document = DocumentFactory(person=peeters)
    api = api_for(first_line)
    assert api.get(f"/persons/{peeters.uuid}/documents").status_code == 200
    assert api.get(f"/documents/{document.uuid}").status_code == 200
    assert _upload(api, peeters).status_code == 403
    verified = api.post(
        f"/documents/{document.uuid}/verifications",
        {"kind": "mrz", "value": zones.td3()},
    )
    assert verified.status_code == 403
    assert api.get(f"/documents/{document.uuid}/content").status_code == 403
    assert Document.objects.count() == 1
    assert DocumentVerification.objects.count() == 0
    assert not AuditEvent.objects.filter(action="document.download").exists()


def test_another_team_gets_404_for_a_confidential_persons_documents(
    desk: Any, api_for: Any
) -> None:
    hidden = PersonFactory(confidential_team=TeamFactory(code="social"))
    document = DocumentFactory(person=hidden)
    api = api_for(desk)
    assert api.get(f"/persons/{hidden.uuid}/documents").status_code == 404
    assert api.get(f"/documents/{document.uuid}").status_code == 404
    assert _upload(api, hidden).status_code == 404
    assert api.get(f"/documents/{document.uuid}/content").status_code == 404


def test_anonymous_callers_get_a_401(peeters: Any) -> None:
    response = Client().get(f"/api/v1/persons/{peeters.uuid}/documents")
    assert response.status_code == 401
