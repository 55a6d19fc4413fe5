"""The "Specimens" section: search, thumbnails through an authorised view, add an
official and a specimen, withdraw, compare a document with a specimen; who may."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

import pytest

from guichet.documents import storage
from guichet.documents.models import SigningOfficial, Specimen, SpecimenComparison
from tests.documents.factories import (
    ELF,
    PNG,
    DocumentFactory,
    SigningOfficialFactory,
    SpecimenFactory,
)
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def desk(make_agent: Callable[..., Any]) -> Any:
    return make_agent("front_office", level="C", teams=("consular",), username="desk")


def _text(response: Any) -> str:
    html = re.sub(r"<[^>]+>", " ", response.content.decode()).replace("\xa0", " ")
    return " ".join(html.split())


def _stored_specimen(**fields: Any) -> Specimen:
    stored = storage.store([PNG], max_bytes=len(PNG))
    return SpecimenFactory(content_sha256=stored.sha256, size=stored.size, **fields)


def test_lists_searches_and_marks_expired_ones(
    desk: Any, client_for: Callable[[Any], Client]
) -> None:
    current = _stored_specimen(
        official=SigningOfficialFactory(name="Jean Mukendi"), valid_until=None
    )
    SpecimenFactory(
        official=SigningOfficialFactory(name="Amina Diallo"),
        valid_until=dt.date(2020, 12, 31),
        valid_from=dt.date(2019, 1, 1),
        content_type="application/pdf",
    )
    client = client_for(desk)

    page = client.get("/specimens/")
    searched = client.get("/specimens/?q=mukendi")

    assert page.status_code == 200
    text = _text(page)
    assert "Jean Mukendi" in text
    assert "Amina Diallo" in text
    assert "expired" in text
    html = page.content.decode()
    assert f'src="/specimens/{current.uuid}/image/"' in html
    assert "Amina Diallo" not in _text(searched)
    assert "Jean Mukendi" in _text(searched)


def test_the_image_is_served_inline_only_through_the_policy(
    desk: Any, make_agent: Callable[..., Any], client_for: Callable[[Any], Client]
) -> None:
    specimen = _stored_specimen()

    shown = client_for(desk).get(f"/specimens/{specimen.uuid}/image/")
    hidden = client_for(make_agent("first_line", level="A2")).get(
        f"/specimens/{specimen.uuid}/image/"
    )
    anonymous = Client().get(f"/specimens/{specimen.uuid}/image/")

    assert shown.status_code == 200
    assert shown.content == PNG
    assert shown["Content-Disposition"].startswith("inline;")
    assert shown["Cache-Control"] == "private, no-store"
    assert shown["X-Content-Type-Options"] == "nosniff"
    assert shown["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert hidden.status_code == 404
    assert anonymous.status_code == 302


def test_adds_an_official_then_a_specimen(
    desk: Any, client_for: Callable[[Any], Client]
) -> None:
    authority = OrganisationFactory(name="Tribunal de paix de Dakar")
    client = client_for(desk)

    added = client.post(
        "/specimens/officials/new/",
        {
            "authority_id": str(authority.uuid),
            "country": "sn",
            "name": "Moussa Fall",
            "function": "Greffier",
        },
    )
    official = SigningOfficial.objects.get()
    assert added.status_code == 302
    assert added["Location"] == f"/specimens/new/?official={official.uuid}"
    form = client.get(added["Location"])
    assert f'<option value="{official.uuid}" selected>' in form.content.decode()

    refused = client.post(
        "/specimens/new/",
        {
            "official_id": str(official.uuid),
            "kind": "seal",
            "valid_from": "2025-01-01",
            "valid_until": "2024-01-01",
            "file": SimpleUploadedFile("seal.png", ELF),
        },
    )
    assert refused.status_code == 422
    assert "a Linux program" in _text(refused)
    assert "must come after its start" in _text(refused)
    assert not Specimen.objects.exists()

    created = client.post(
        "/specimens/new/",
        {
            "official_id": str(official.uuid),
            "kind": "seal",
            "valid_from": "2025-01-01",
            "file": SimpleUploadedFile("seal.png", PNG),
        },
    )
    specimen = Specimen.objects.get()
    assert created.status_code == 302
    assert created["Location"] == f"/specimens/{specimen.uuid}/"
    detail = client.get(created["Location"])
    assert "Seal or stamp of Moussa Fall" in _text(detail)
    assert "Withdraw this specimen" in _text(detail)


def test_withdraws_after_confirmation_and_refuses_a_stale_form(
    desk: Any, client_for: Callable[[Any], Client]
) -> None:
    specimen = SpecimenFactory()
    client = client_for(desk)

    confirm = client.get(f"/specimens/{specimen.uuid}/withdraw/")
    missing_reason = client.post(
        f"/specimens/{specimen.uuid}/withdraw/", {"version": 1, "reason": ""}
    )
    done = client.post(
        f"/specimens/{specimen.uuid}/withdraw/", {"version": 1, "reason": "Revoked."}
    )
    stale = client.post(
        f"/specimens/{specimen.uuid}/withdraw/", {"version": 1, "reason": "Again."}
    )

    assert confirm.status_code == 200
    assert missing_reason.status_code == 422
    assert done.status_code == 302
    assert stale.status_code == 302
    assert Specimen.objects.get().withdrawal_reason == "Revoked."
    detail = client.get(f"/specimens/{specimen.uuid}/")
    assert "withdrawn" in _text(detail)
    assert "Withdraw this specimen" not in _text(detail)


def test_compares_a_document_side_by_side_and_records_the_outcome(
    desk: Any, client_for: Callable[[Any], Client]
) -> None:
    specimen = _stored_specimen(
        official=SigningOfficialFactory(name="Jean Mukendi"), valid_until=None
    )
    stored = storage.store([PNG], max_bytes=len(PNG))
    document = DocumentFactory(
        issued_on=dt.date(2025, 3, 1),
        content_sha256=stored.sha256,
        size=stored.size,
        content_type="image/png",
    )
    client = client_for(desk)

    tab = client.get(f"/persons/{document.person.uuid}/documents/")
    page = client.get(f"/documents/{document.uuid}/compare/?specimen={specimen.uuid}")
    recorded = client.post(
        f"/documents/{document.uuid}/compare/record/",
        {
            "specimen": str(specimen.uuid),
            "outcome": "does_not_match",
            "note": "Paraph.",
        },
    )
    scan = client.get(f"/documents/{document.uuid}/scan/")

    assert f'href="/documents/{document.uuid}/compare/"' in tab.content.decode()
    html = page.content.decode()
    assert f'src="/documents/{document.uuid}/scan/"' in html
    assert f'src="/specimens/{specimen.uuid}/image/"' in html
    assert "The signature matches" in _text(page)
    assert recorded.status_code == 302
    comparison = SpecimenComparison.objects.get()
    assert (comparison.specimen, comparison.outcome, comparison.note) == (
        specimen,
        "does_not_match",
        "Paraph.",
    )
    after = client.get(recorded["Location"])
    assert "Does not match the specimen" in _text(after)
    assert scan.status_code == 200
    assert scan["Content-Disposition"].startswith("inline;")


def test_a_specimen_not_in_force_is_refused_on_the_form(
    desk: Any, client_for: Callable[[Any], Client]
) -> None:
    specimen = SpecimenFactory(valid_from=dt.date(2024, 1, 1))
    document = DocumentFactory(issued_on=dt.date(2023, 5, 1), expires_on=None)

    refused = client_for(desk).post(
        f"/documents/{document.uuid}/compare/record/",
        {"specimen": str(specimen.uuid), "outcome": "matches"},
    )

    assert refused.status_code == 422
    assert "was not in force on 2023-05-01" in _text(refused)
    assert not SpecimenComparison.objects.exists()


@pytest.mark.parametrize(
    ("_case", "role", "level"),
    [
        ("contact center", "first_line", "A2"),
        ("support", "support_agent", "A2"),
        ("dossier handler", "dossier_handler", "A2"),
    ],
)
def test_a_role_without_the_register_is_refused_everywhere(
    make_agent: Callable[..., Any],
    client_for: Callable[[Any], Client],
    _case: str,
    role: str,
    level: str,
) -> None:
    specimen = SpecimenFactory()
    document = DocumentFactory(issued_on=dt.date(2025, 3, 1))
    client = client_for(make_agent(role, level=level))

    assert client.get("/specimens/").status_code == 403
    assert client.get("/specimens/new/").status_code == 403
    assert client.get(f"/specimens/{specimen.uuid}/").status_code == 404
    assert client.get(f"/specimens/{specimen.uuid}/withdraw/").status_code == 404
    assert (
        client.post(
            f"/specimens/{specimen.uuid}/withdraw/", {"version": 1, "reason": "x"}
        ).status_code
        == 404
    )
    assert client.get(f"/documents/{document.uuid}/compare/").status_code == 404
    assert (
        client.post(
            f"/documents/{document.uuid}/compare/record/",
            {"specimen": str(specimen.uuid), "outcome": "matches"},
        ).status_code
        == 404
    )
    tab = client.get(f"/persons/{document.person.uuid}/documents/")
    assert "/compare/" not in tab.content.decode()
    assert Specimen.objects.get().version == 1
    assert not SpecimenComparison.objects.exists()


def test_a_front_office_agent_below_level_c_consults_but_does_not_manage(
    make_agent: Callable[..., Any], client_for: Callable[[Any], Client]
) -> None:
    specimen = SpecimenFactory()
    client = client_for(make_agent("front_office", level="D"))

    page = client.get("/specimens/")

    assert page.status_code == 200
    assert "Add a specimen" not in _text(page)
    assert client.get("/specimens/new/").status_code == 403
    assert client.get(f"/specimens/{specimen.uuid}/withdraw/").status_code == 403


def test_the_register_asks_the_database_a_fixed_number_of_times(
    desk: Any, client_for: Callable[[Any], Client]
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(desk)

    def count() -> int:
        client.get("/specimens/")
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/specimens/").status_code == 200
        return len(captured)

    SpecimenFactory()
    one = count()
    for _ in range(5):
        SpecimenFactory()
    assert count() == one


def test_a_refused_official_keeps_what_was_typed(
    desk: Any, client_for: Callable[[Any], Client]
) -> None:
    authority = OrganisationFactory(name="Tribunal de paix de Dakar")

    refused = client_for(desk).post(
        "/specimens/officials/new/",
        {
            "authority_id": str(authority.uuid),
            "country": "1X",
            "name": "Moussa Fall",
            "function": "Greffier",
        },
    )

    assert refused.status_code == 422
    assert "two-letter ISO code" in _text(refused)
    assert 'value="Moussa Fall"' in refused.content.decode()
    assert not SigningOfficial.objects.exists()


def test_a_match_is_recorded_and_an_unknown_specimen_shows_none(
    desk: Any, client_for: Callable[[Any], Client]
) -> None:
    specimen = SpecimenFactory(valid_until=None)
    withdrawn = SpecimenFactory(
        valid_until=None,
        withdrawn_at=dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC),
        withdrawn_by=desk,
        withdrawal_reason="Revoked.",
    )
    document = DocumentFactory(issued_on=dt.date(2025, 3, 1))
    client = client_for(desk)

    unknown = client.get(
        f"/documents/{document.uuid}/compare/?specimen=00000000-0000-0000-0000-000000000000"
    )
    not_offered = client.get(
        f"/documents/{document.uuid}/compare/?specimen={withdrawn.uuid}"
    )
    recorded = client.post(
        f"/documents/{document.uuid}/compare/record/",
        {"specimen": str(specimen.uuid), "outcome": "matches"},
    )

    assert "Choose a specimen above." in _text(unknown)
    assert "withdrawn" in _text(not_offered)
    assert "it cannot be compared with this document" in _text(not_offered)
    assert "The signature matches" not in _text(not_offered)
    assert recorded.status_code == 302
    assert "Recorded: the signature matches the specimen." in _text(
        client.get(recorded["Location"])
    )
    assert str(specimen) == f"signature ({specimen.uuid})"
    assert str(specimen.official) == f"{specimen.official.name} (Chef de division)"
    assert str(SpecimenComparison.objects.get()) == (
        f"matches ({SpecimenComparison.objects.get().uuid})"
    )
