"""A person's "Documents" tab: list, expiry flags, upload, verify, download."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

import pytest

from guichet.audit.models import AuditEvent
from guichet.documents import services
from guichet.documents.models import Document, DocumentVerification
from tests.checks import zones
from tests.documents.factories import ELF, PDF, DocumentFactory, upload
from tests.factories import PersonFactory, TeamFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def desk(make_agent: Callable[..., Any]) -> Any:
    return make_agent("front_office", level="C", teams=("consular",), username="desk")


@pytest.fixture
def peeters() -> Any:
    return PersonFactory(
        surname="Peeters", given_names="Jan", birth_date=dt.date(1985, 7, 30), sex="M"
    )


def _text(response: Any) -> str:
    html = response.content.decode()
    html = re.sub(r"<[^>]+>", " ", html).replace("\xa0", " ")
    return " ".join(html.split())


def _tab(person: Any) -> str:
    return f"/persons/{person.uuid}/documents/"


def _upload(client: Client, person: Any, file: Any, **fields: str) -> Any:
    data = {
        "document_type": "passport",
        "document_number": "AB1234567",
        "issued_on": "2021-05-02",
        "expires_on": "2031-05-01",
        "dossier_reference": "",
        "description": "",
        **fields,
        "file": file,
    }
    return client.post(f"/persons/{person.uuid}/documents/upload/", data)


def _verify(client: Client, document: Any, kind: str, value: str) -> Any:
    prefix = f"verify-{document.uuid.hex}"
    return client.post(
        f"/documents/{document.uuid}/verify/",
        {f"{prefix}-kind": kind, f"{prefix}-value": value},
    )


# The list


def test_an_empty_tab_says_so_and_offers_the_upload_form(
    client_for: Callable[[Any], Client], desk: Any, peeters: Any
) -> None:
    response = client_for(desk).get(_tab(peeters))
    assert response.status_code == 200
    assert response.context["documents"] == []
    assert "No document of this person is on file yet." in _text(response)
    html = response.content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    tabs = [entry["tab"].key for entry in response.context["tabs"]]
    assert "documents" in tabs


def test_lists_documents_with_dates_verifications_and_flags_expired_ones(
    client_for: Callable[[Any], Client], desk: Any, peeters: Any
) -> None:
    expiring = DocumentFactory(
        person=peeters, expires_on=dt.date(2026, 2, 28), document_number="EX0000001"
    )
    lasting = DocumentFactory(person=peeters, expires_on=dt.date(2031, 5, 1))
    services.document_verify(
        actor=desk,
        document_id=lasting.uuid,
        kind="mrz",
        values=zones.td3(),
        on=dt.date(2026, 1, 10),
    )
    response = client_for(desk).get(_tab(peeters), {"decision_date": "2026-03-01"})
    assert response.status_code == 200
    shown = {item.document: item for item in response.context["documents"]}
    assert shown[expiring].expires_before is True
    assert shown[lasting].expires_before is False
    assert response.context["flagged"] == 1
    text = _text(response)
    assert "1 document expires before 01/03/2026" in text
    assert "expires before 01/03/2026" in text
    verification = shown[lasting].verifications[0]
    assert verification.verification.verified_by == desk
    assert (
        "Verified Check Machine-readable zone (passport, identity card, residence permit) by"
        in text
    )
    assert "(reference date 10/01/2026)" in text
    fields = {field.name: field.value for field in verification.fields}
    assert fields["surname"] == "PEETERS"
    assert (
        AuditEvent.objects.filter(chain="access", action="document.list").count() == 1
    )


def test_the_decision_date_defaults_to_today(
    client_for: Callable[[Any], Client], desk: Any, peeters: Any
) -> None:
    old = DocumentFactory(
        person=peeters, issued_on=dt.date(2010, 1, 1), expires_on=dt.date(2020, 1, 1)
    )
    response = client_for(desk).get(_tab(peeters))
    assert response.context["documents"][0].document == old
    assert response.context["documents"][0].expires_before is True


def test_the_contact_center_sees_the_list_but_cannot_add_verify_or_download(
    client_for: Callable[[Any], Client], first_line: Any, peeters: Any
) -> None:
    document = DocumentFactory(person=peeters)
    client = client_for(first_line)
    response = client.get(_tab(peeters))
    assert response.status_code == 200
    assert response.context["upload_form"] is None
    item = response.context["documents"][0]
    assert (item.verify_form, item.may_download) == (None, False)
    html = response.content.decode()
    assert "/verify/" not in html
    assert "/download/" not in html
    assert _upload(client, peeters, upload()).status_code == 403
    assert _verify(client, document, "mrz", "\n".join(zones.td3())).status_code == 403
    assert client.get(f"/documents/{document.uuid}/download/").status_code == 403
    assert Document.objects.count() == 1
    assert DocumentVerification.objects.count() == 0


def test_an_agent_of_another_team_sees_nothing_of_a_confidential_person(
    client_for: Callable[[Any], Client], desk: Any
) -> None:
    hidden = PersonFactory(confidential_team=TeamFactory(code="social"))
    document = DocumentFactory(person=hidden)
    client = client_for(desk)
    assert client.get(_tab(hidden)).status_code == 404
    assert _upload(client, hidden, upload()).status_code == 404
    assert _verify(client, document, "mrz", "x").status_code == 404
    assert client.get(f"/documents/{document.uuid}/download/").status_code == 404
    assert Document.objects.count() == 1


def test_anonymous_visitors_are_sent_to_the_login_page(peeters: Any) -> None:
    response = Client().get(_tab(peeters))
    assert response.status_code == 302
    assert response["Location"].startswith("/?next=")


# Upload


def test_uploads_a_document_and_says_so(
    client_for: Callable[[Any], Client], desk: Any, peeters: Any
) -> None:
    client = client_for(desk)
    response = _upload(client, peeters, upload(PDF, name="passport.pdf"))
    assert response.status_code == 302
    assert response["Location"] == _tab(peeters)
    document = Document.objects.get()
    assert (document.person, document.content_type, document.uploaded_by) == (
        peeters,
        "application/pdf",
        desk,
    )
    assert document.dossier_reference == ""
    page = client.get(response["Location"])
    assert "The document was added: passport." in _text(page)
    assert AuditEvent.objects.filter(action="document.upload").count() == 1


def test_a_renamed_program_is_refused_next_to_the_file_field(
    client_for: Callable[[Any], Client], desk: Any, peeters: Any
) -> None:
    response = _upload(client_for(desk), peeters, upload(ELF, name="passport.pdf"))
    assert response.status_code == 422
    errors = response.context["upload_form"].errors
    assert list(errors) == ["file"]
    assert errors["file"] == [
        "This file is a Linux program, whatever its name says; only PDF, JPEG, PNG "
        "and TIFF files are accepted."
    ]
    assert 'class="field-error"' in response.content.decode()
    assert Document.objects.count() == 0


def test_an_oversize_file_is_refused_with_the_limit(
    client_for: Callable[[Any], Client], desk: Any, peeters: Any, settings: Any
) -> None:
    settings.DOCUMENT_MAX_BYTES = 10
    response = _upload(client_for(desk), peeters, upload(PDF))
    assert response.status_code == 422
    assert response.context["upload_form"].errors["file"] == [
        f"The file is {len(PDF)}\xa0bytes; at most 10\xa0bytes are accepted."
    ]
    assert Document.objects.count() == 0


def test_an_empty_file_is_refused(
    client_for: Callable[[Any], Client], desk: Any, peeters: Any
) -> None:
    response = _upload(client_for(desk), peeters, SimpleUploadedFile("scan.pdf", b""))
    assert response.status_code == 422
    assert response.context["upload_form"].errors["file"] == ["The file is empty."]


def test_wrong_dates_are_refused_next_to_their_field_in_the_agents_language(
    make_agent: Callable[..., Any], peeters: Any
) -> None:
    agent = make_agent(
        "front_office", teams=("consular",), username="fr", language="fr"
    )
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    client.force_login(agent)
    response = _upload(
        client, peeters, upload(), issued_on="2030-01-01", expires_on="2029-01-01"
    )
    assert response.status_code == 422
    errors = response.context["upload_form"].errors
    assert set(errors) == {"issued_on", "expires_on"}
    assert errors["issued_on"] == [
        "Un document ne peut pas être délivré dans le futur."
    ]
    assert Document.objects.count() == 0


def test_a_refused_upload_keeps_the_fields_and_asks_for_the_file_again(
    client_for: Callable[[Any], Client], desk: Any, peeters: Any
) -> None:
    # given an upload refused for its dates
    response = _upload(
        client_for(desk),
        peeters,
        upload(),
        document_number="XY7654321",
        issued_on="2030-01-01",
        dossier_reference="DOS-2026-0042",
    )
    assert response.status_code == 422
    # then every other field keeps what was typed
    html = response.content.decode()
    assert 'value="XY7654321"' in html
    assert 'value="DOS-2026-0042"' in html
    # and the agent is told plainly to choose the file again
    assert (
        "Choose the file again: a browser cannot keep a chosen file when the form is "
        "refused. The other fields are as you typed them." in _text(response)
    )


def test_a_missing_file_is_refused(
    client_for: Callable[[Any], Client], desk: Any, peeters: Any
) -> None:
    response = client_for(desk).post(
        f"/persons/{peeters.uuid}/documents/upload/", {"document_type": "passport"}
    )
    assert response.status_code == 422
    assert list(response.context["upload_form"].errors) == ["file"]


# Verify


def test_verifies_a_passport_zone_and_keeps_the_result(
    client_for: Callable[[Any], Client], desk: Any, peeters: Any
) -> None:
    document = services.document_upload(
        actor=desk,
        person_id=peeters.uuid,
        file=upload(),
        details=services.DocumentDetails(
            document_type="passport",
            document_number="AB1234567",
            expires_on=dt.date(2031, 5, 1),
        ),
    )
    client = client_for(desk)
    response = _verify(client, document, "mrz", "\r\n".join(zones.td3()))
    assert response.status_code == 302
    assert response["Location"] == f"{_tab(peeters)}#document-{document.uuid}"
    verification = DocumentVerification.objects.get()
    assert (verification.kind, verification.is_valid, verification.verified_by) == (
        "mrz",
        True,
        desk,
    )
    page = client.get(_tab(peeters))
    assert (
        "Verified: the document is valid, matches the person and the record, and has "
        "not expired." in _text(page)
    )


def test_a_failed_verification_is_kept_and_said(
    client_for: Callable[[Any], Client], desk: Any, peeters: Any
) -> None:
    document = DocumentFactory(person=peeters, document_type="bank_document")
    client = client_for(desk)
    response = _verify(client, document, "iban", "BE71 0961 2345 6768")
    assert response.status_code == 302
    verification = DocumentVerification.objects.get()
    assert verification.is_valid is False
    page = client.get(_tab(peeters))
    assert "Not valid: the document does not pass; see why below." in _text(page)
    shown = page.context["documents"][0].verifications[0]
    assert [problem.code for problem in shown.reasons] == [
        "checksum",
        "account_checksum",
    ]


SPECIMEN = (
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\r\n"
    "L898902C36UTO7408122F1204159ZE184226B<<<<<10"
)


def test_a_specimen_on_another_persons_passport_is_shown_in_red_with_each_reason(
    client_for: Callable[[Any], Client], make_agent: Callable[..., Any]
) -> None:
    # given a passport of JANSSENS Louis (issue #11's scenario)
    desk = make_agent("front_office", teams=("consular",), username="front.travel")
    louis = PersonFactory(
        surname="Janssens", given_names="Louis", birth_date=dt.date(1990, 3, 4), sex="M"
    )
    document = services.document_upload(
        actor=desk,
        person_id=louis.uuid,
        file=upload(),
        details=services.DocumentDetails(
            document_type="passport",
            document_number="EM1234567",
            expires_on=dt.date(2031, 5, 1),
        ),
    )
    client = client_for(desk)
    # when it is verified with the ICAO specimen's zone
    response = _verify(client, document, "mrz", SPECIMEN)
    assert response.status_code == 302
    page = client.get(_tab(louis))
    # then the result is "does not match", in red, with each reason
    text = _text(page)
    assert "Does not match: the document does not pass; see why below." in text
    assert "Verified:" not in text
    html = page.content.decode()
    assert '<span class="badge error">Does not match</span>' in html
    reasons = re.search(r'<ul class="check-errors"[^>]*>(.*?)</ul>', html, re.DOTALL)
    assert reasons is not None
    reason_text = " ".join(re.sub(r"<[^>]+>", " ", reasons.group(1)).split())
    for expected in (
        "The zone gives ERIKSSON as surname",
        "The zone gives ANNA MARIA as given names",
        "The zone gives 1974-08-12 as birth date",
        "The zone gives F as sex",
        "The zone gives L898902C3 as document number",
        "This is an ICAO specimen, not a real document: it never passes.",
        "This document expired on 2012-04-15",
    ):
        assert expected in reason_text
    # and the list's "Last check" says the same
    assert '<span class="badge error">does not match</span>' in html


def test_a_verification_reads_in_the_readers_language_not_the_checkers(
    client_for: Callable[[Any], Client],
    make_agent: Callable[..., Any],
    peeters: Any,
) -> None:
    # given a verification run by an agent working in English
    desk = make_agent("front_office", teams=("consular",), username="desk.en")
    document = DocumentFactory(person=peeters, document_number="AB1234567")
    services.document_verify(
        actor=desk,
        document_id=document.uuid,
        kind="mrz",
        values=zones.td3(birth=dt.date(1986, 7, 30)),
        on=dt.date(2026, 1, 10),
    )
    # when a colleague working in French reads it
    colleague = make_agent(
        "front_office", teams=("consular",), username="desk.fr", language="fr"
    )
    text = _text(client_for(colleague).get(_tab(peeters)))
    # then outcome and reason are in French
    assert "Ne correspond pas" in text
    assert (
        "La zone indique 1986-07-30 comme date de naissance ; la fiche de la personne "
        "indique 1985-07-30" in text
    )
    assert "The zone gives" not in text


def test_the_verify_box_is_not_prefilled_with_the_recorded_number(
    client_for: Callable[[Any], Client], desk: Any, peeters: Any
) -> None:
    document = DocumentFactory(person=peeters, document_number="AB1234567")
    page = client_for(desk).get(_tab(peeters))
    item = page.context["documents"][0]
    assert item.document == document
    assert item.verify_form["value"].value() in (None, "")
    html = page.content.decode()
    textarea = re.search(
        rf'<textarea[^>]*name="verify-{document.uuid.hex}-value"[^>]*>(.*?)</textarea>',
        html,
        re.DOTALL,
    )
    assert textarea is not None
    assert "AB1234567" not in textarea.group(1)


def test_a_check_that_does_not_fit_the_document_is_refused_next_to_its_field(
    client_for: Callable[[Any], Client], desk: Any, peeters: Any
) -> None:
    document = DocumentFactory(person=peeters, document_type="passport")
    response = _verify(client_for(desk), document, "iban", "BE71096123456769")
    assert response.status_code == 422
    item = next(
        item for item in response.context["documents"] if item.document == document
    )
    assert list(item.verify_form.errors) == ["kind"]
    assert DocumentVerification.objects.count() == 0


def test_an_empty_value_is_refused(
    client_for: Callable[[Any], Client], desk: Any, peeters: Any
) -> None:
    document = DocumentFactory(person=peeters)
    response = _verify(client_for(desk), document, "mrz", "   \n  ")
    assert response.status_code == 422
    item = response.context["documents"][0]
    assert list(item.verify_form.errors) == ["value"]
    assert DocumentVerification.objects.count() == 0


# Download


def test_downloads_the_file_as_an_attachment_only(
    client_for: Callable[[Any], Client], desk: Any, peeters: Any
) -> None:
    document = services.document_upload(
        actor=desk,
        person_id=peeters.uuid,
        file=upload(PDF, name="<script>.pdf"),
        details=services.DocumentDetails(document_type="other"),
    )
    response = client_for(desk).get(f"/documents/{document.uuid}/download/")
    assert response.status_code == 200
    assert response.content == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="document-{document.uuid}.pdf"'
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert (
        AuditEvent.objects.filter(chain="access", action="document.download").count()
        == 1
    )


def test_the_tab_costs_the_same_queries_for_one_document_or_many(
    client_for: Callable[[Any], Client], desk: Any, peeters: Any
) -> None:
    client = client_for(desk)
    first = DocumentFactory(person=peeters)
    services.document_verify(
        actor=desk, document_id=first.uuid, kind="mrz", values=["x"]
    )
    client.get(_tab(peeters))  # warm the session and caches
    with CaptureQueriesContext(connection) as one:
        client.get(_tab(peeters))
    for _ in range(3):
        document = DocumentFactory(person=peeters)
        services.document_verify(
            actor=desk, document_id=document.uuid, kind="mrz", values=["x"]
        )
    with CaptureQueriesContext(connection) as many:
        response = client.get(_tab(peeters))
    assert len(response.context["documents"]) == 4
    assert len(many) == len(one)
