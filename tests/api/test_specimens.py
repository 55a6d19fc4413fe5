"""The register of specimens over HTTP: officials, specimens, withdrawal with
If-Match, the image as an attachment, comparisons on a document, and who may."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

import pytest

from guichet.documents.models import SigningOfficial, Specimen, SpecimenComparison
from tests.documents.factories import ELF, PNG, DocumentFactory, SpecimenFactory
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def desk(make_agent: Any) -> Any:
    return make_agent("front_office", teams=("consular",), username="desk")


def _register(api: Any, official_id: str, content: bytes = PNG, **fields: str) -> Any:
    data = {
        "official_id": official_id,
        "kind": "signature",
        "valid_from": "2025-01-01",
        "valid_until": "2028-12-31",
        "file": SimpleUploadedFile("sig.png", content, content_type="image/png"),
        **fields,
    }
    return api.client.post("/api/v1/specimens", data)


def test_registers_searches_compares_and_withdraws(desk: Any, api_for: Any) -> None:
    api = api_for(desk)
    authority = OrganisationFactory(name="Ministère des Affaires étrangères du Sénégal")
    created_official = api.post(
        "/signing-officials",
        {
            "authority_id": str(authority.uuid),
            "country": "SN",
            "name": "Aïssatou Ndiaye",
            "function": "Directrice des affaires consulaires",
        },
    )
    assert created_official.status_code == 201
    official = created_official.json()
    assert (official["country"], official["authority_name"]) == ("SN", authority.name)

    created = _register(api, official["id"])
    assert created.status_code == 201
    specimen = created.json()
    assert created["ETag"] == '"1"'
    assert created["Location"] == f"/api/v1/specimens/{specimen['id']}"
    assert (specimen["kind"], specimen["content_type"], specimen["state"]) == (
        "signature",
        "image/png",
        "valid",
    )
    assert specimen["sha256"] == hashlib.sha256(PNG).hexdigest()

    read = api.get(f"/specimens/{specimen['id']}")
    assert (read.status_code, read["ETag"], read.json()["official"]["name"]) == (
        200,
        '"1"',
        "Aïssatou Ndiaye",
    )
    officials = api.get(f"/signing-officials?authority_id={authority.uuid}")
    assert [item["id"] for item in officials.json()] == [official["id"]]
    assert api.get(f"/signing-officials?authority_id={specimen['id']}").json() == []

    found = api.get("/specimens?q=ndiaye&country=sn&valid_on=2025-06-01")
    assert found.status_code == 200
    assert [item["id"] for item in found.json()["items"]] == [specimen["id"]]
    assert api.get("/specimens?valid_on=2029-01-01").json()["items"] == []

    image = api.get(f"/specimens/{specimen['id']}/image")
    assert image.status_code == 200
    assert image.content == PNG
    assert image["Content-Type"] == "image/png"
    assert image["Content-Disposition"] == (
        "attachment; filename*=utf-8''A%C3%AFssatou%20Ndiaye%20-%20signature.png"
    )
    assert image["Cache-Control"] == "private, no-store"
    assert image["X-Content-Type-Options"] == "nosniff"

    document = DocumentFactory(issued_on=dt.date(2025, 3, 1))
    compared = api.post(
        f"/documents/{document.uuid}/specimen-comparisons",
        {"specimen_id": specimen["id"], "outcome": "matches", "note": "Same hand."},
    )
    assert compared.status_code == 201
    assert (compared.json()["outcome"], compared.json()["reference_date"]) == (
        "matches",
        "2025-03-01",
    )
    listed = api.get(f"/documents/{document.uuid}/specimen-comparisons")
    assert [item["specimen_id"] for item in listed.json()] == [specimen["id"]]

    without_version = api.post(
        f"/specimens/{specimen['id']}/withdrawal", {"reason": "Left office."}
    )
    assert without_version.status_code == 428
    withdrawn = api.post(
        f"/specimens/{specimen['id']}/withdrawal",
        {"reason": "Left office."},
        HTTP_IF_MATCH='"1"',
    )
    assert withdrawn.status_code == 200
    assert (withdrawn.json()["state"], withdrawn["ETag"]) == ("withdrawn", '"2"')
    stale = api.post(
        f"/specimens/{specimen['id']}/withdrawal",
        {"reason": "Again."},
        HTTP_IF_MATCH='"1"',
    )
    assert stale.status_code == 412
    assert Specimen.objects.get().withdrawal_reason == "Left office."
    assert api.get("/specimens").json()["items"] == []
    assert len(api.get("/specimens?include_withdrawn=true").json()["items"]) == 1


def test_a_refused_image_is_a_problem_in_the_callers_language(
    desk: Any, api_for: Any
) -> None:
    specimen = SpecimenFactory()
    api = api_for(desk, language="nl")

    refused = _register(api, str(specimen.official.uuid), content=ELF)

    assert refused.status_code == 422
    body = refused.json()
    assert refused["Content-Type"].startswith("application/problem+json")
    assert [(e["field"], e["code"]) for e in body["errors"]] == [
        ("file", "file_type_refused")
    ]
    assert "Linux" in body["errors"][0]["message"]
    assert "whatever its name says" not in body["errors"][0]["message"]
    assert Specimen.objects.count() == 1


def test_a_comparison_with_a_specimen_not_in_force_is_refused(
    desk: Any, api_for: Any
) -> None:
    specimen = SpecimenFactory(valid_from=dt.date(2024, 1, 1))
    document = DocumentFactory(issued_on=dt.date(2023, 5, 1), expires_on=None)

    refused = api_for(desk).post(
        f"/documents/{document.uuid}/specimen-comparisons",
        {"specimen_id": str(specimen.uuid), "outcome": "matches"},
    )

    assert refused.status_code == 422
    assert [e["code"] for e in refused.json()["errors"]] == ["specimen_not_valid_on"]
    assert not SpecimenComparison.objects.exists()


@pytest.mark.parametrize(
    ("_case", "role", "level"),
    [
        ("contact center", "first_line", "A2"),
        ("dossier handler", "dossier_handler", "A2"),
    ],
)
def test_a_role_without_the_register_finds_nothing_and_changes_nothing(
    make_agent: Any, api_for: Any, _case: str, role: str, level: str
) -> None:
    specimen = SpecimenFactory()
    document = DocumentFactory(issued_on=dt.date(2025, 3, 1))
    api = api_for(make_agent(role, level=level))

    assert api.get("/specimens").json()["items"] == []
    assert api.get("/signing-officials").json() == []
    assert api.get(f"/specimens/{specimen.uuid}").status_code == 404
    assert api.get(f"/specimens/{specimen.uuid}/image").status_code == 404
    assert (
        api.post(
            f"/specimens/{specimen.uuid}/withdrawal",
            {"reason": "x"},
            HTTP_IF_MATCH='"1"',
        ).status_code
        == 404
    )
    assert (
        api.post(
            f"/documents/{document.uuid}/specimen-comparisons",
            {"specimen_id": str(specimen.uuid), "outcome": "matches"},
        ).status_code
        == 404
    )
    assert _register(api, str(specimen.official.uuid)).status_code == 403
    assert (
        api.post(
            "/signing-officials",
            {
                "authority_id": str(OrganisationFactory().uuid),
                "country": "SN",
                "name": "X",
                "function": "Y",
            },
        ).status_code
        == 403
    )
    assert Specimen.objects.get().version == 1
    assert SigningOfficial.objects.count() == 1
    assert not SpecimenComparison.objects.exists()


def test_anonymous_is_refused(client: Any) -> None:
    specimen = SpecimenFactory()

    assert client.get("/api/v1/specimens").status_code == 401
    assert client.get(f"/api/v1/specimens/{specimen.uuid}/image").status_code == 401
