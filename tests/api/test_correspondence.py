"""/api/v1 correspondence: a letter from draft to archived PDF/A, and the incoming
mail register, through HTTP as a client uses them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

import pytest

from guichet.core import clock
from guichet.correspondence import pdfcheck
from guichet.correspondence.models import IncomingMail, Letter
from guichet.correspondence.services import templates_load
from tests.correspondence.factories import LetterheadFactory, person_with_address
from tests.factories import TeamFactory

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def clerk(make_agent: Any) -> Any:
    LetterheadFactory(team=TeamFactory(code="legalisations"))
    templates_load(actor=None)
    return make_agent(
        "support_agent", level="C", teams=("legalisations",), username="clerk"
    )


def test_a_letter_is_drafted_submitted_and_downloaded_as_pdfa(
    clerk: Any, api_for: Any
) -> None:
    api = api_for(clerk)
    person = person_with_address()
    created = api.post(
        "/letters", {"person_id": str(person.uuid), "letter_type": "acknowledgement"}
    )
    assert created.status_code == 201, created.content
    letter_id = created.json()["id"]
    assert created["ETag"] == '"1"'

    assert api.post(f"/letters/{letter_id}/submit").status_code == 428
    stale = api.post(f"/letters/{letter_id}/submit", HTTP_IF_MATCH='"7"')
    assert stale.status_code == 412
    submitted = api.post(f"/letters/{letter_id}/submit", HTTP_IF_MATCH='"1"')
    assert submitted.status_code == 200, submitted.content
    body = submitted.json()
    assert body["status"] == "issued"
    assert body["number"].startswith("LEG/")

    downloaded = api.get(f"/letters/{letter_id}/pdf")
    assert downloaded.status_code == 200
    assert downloaded["Content-Type"] == "application/pdf"
    assert pdfcheck.inspect(downloaded.content).is_pdfa_3b
    letter = Letter.objects.get(uuid=letter_id)
    assert downloaded["X-Content-SHA256"] == letter.pdf_sha256


def test_a_file_that_is_not_a_docx_is_a_422_naming_the_file(
    clerk: Any, api_for: Any
) -> None:
    api = api_for(clerk, language="fr")
    person = person_with_address()
    letter_id = api.post(
        "/letters", {"person_id": str(person.uuid), "letter_type": "acknowledgement"}
    ).json()["id"]
    response = api.client.post(
        f"/api/v1/letters/{letter_id}/docx",
        {"file": SimpleUploadedFile("lettre.docx", b"%PDF-1.7 not a docx")},
        HTTP_IF_MATCH='"1"',
    )
    assert response.status_code == 422
    problem = response.json()
    assert [(e["field"], e["code"]) for e in problem["errors"]] == [
        ("file", "invalid_file")
    ]
    assert "Word" in problem["errors"][0]["message"]
    assert Letter.objects.get(uuid=letter_id).version == 1


def test_mail_is_registered_listed_and_dispatched_to_a_dossier(
    clerk: Any, api_for: Any
) -> None:
    api = api_for(clerk)
    registered = api.client.post(
        "/api/v1/incoming-mail",
        {
            "received_on": clock.today().isoformat(),
            "subject": "Demande",
            "sender_name": "Jan Peeters",
            "scan": SimpleUploadedFile("scan.pdf", PNG),
        },
    )
    assert registered.status_code == 201, registered.content
    mail = registered.json()
    assert (mail["scan_content_type"], mail["status"]) == ("image/png", "registered")
    waiting = api.get("/incoming-mail?undispatched=true").json()
    assert [item["id"] for item in waiting] == [mail["id"]]

    dispatched = api.post(
        f"/incoming-mail/{mail['id']}/dispatch",
        {"team": "legalisations", "dossier": "D-2026-17"},
        HTTP_IF_MATCH='"1"',
    )

    assert dispatched.status_code == 200, dispatched.content
    assert (
        dispatched.json()["dispatched_to"],
        dispatched.json()["dispatched_dossier"],
    ) == (
        "legalisations",
        "D-2026-17",
    )
    assert api.get("/incoming-mail?undispatched=true").json() == []
    assert IncomingMail.objects.get().version == 2


def test_another_services_agent_may_read_an_issued_letter_but_not_send_it(
    clerk: Any, api_for: Any, make_agent: Any
) -> None:
    # given an issued letter of the legalisation service, waiting to be posted
    person = person_with_address()
    api = api_for(clerk)
    letter_id = api.post(
        "/letters", {"person_id": str(person.uuid), "letter_type": "acknowledgement"}
    ).json()["id"]
    api.post(f"/letters/{letter_id}/submit", HTTP_IF_MATCH='"1"')
    first = make_agent("first_line", level="C", teams=("cc-fr",), username="first")
    outsider = api_for(first)
    assert outsider.get(f"/letters/{letter_id}").status_code == 200
    # when an agent of the contact center e-mails it elsewhere or hands it over
    mailed = outsider.post(
        f"/letters/{letter_id}/email", {"address": "someone@example.org"}
    )
    handed = outsider.post(f"/letters/{letter_id}/hand-over")
    # then both are refused and the letter still waits in its service's print queue
    assert (mailed.status_code, handed.status_code) == (403, 403)
    assert mailed.json()["code"] == "forbidden"
    letter = Letter.objects.get(uuid=letter_id)
    assert (letter.status, letter.dispatches.count()) == ("issued", 0)
    assert [row["id"] for row in api.get("/letters-to-post").json()] == [letter_id]


def test_a_letter_sent_once_goes_again_only_with_a_reason(
    clerk: Any, api_for: Any
) -> None:
    api = api_for(clerk)
    person = person_with_address()
    letter_id = api.post(
        "/letters", {"person_id": str(person.uuid), "letter_type": "acknowledgement"}
    ).json()["id"]
    api.post(f"/letters/{letter_id}/submit", HTTP_IF_MATCH='"1"')
    # a first hand-over needs no body at all
    first = api.client.post(
        f"/api/v1/letters/{letter_id}/hand-over", content_type="application/json"
    )
    assert first.status_code == 201, first.content
    refused = api.post(f"/letters/{letter_id}/email", {})
    assert refused.status_code == 422
    assert [(e["field"], e["code"]) for e in refused.json()["errors"]] == [
        ("resend_reason", "already_dispatched")
    ]
    reprinted = api.post(
        "/print-batches",
        {"letter_ids": [letter_id], "resend_reason": "A copy for her lawyer."},
    )
    assert reprinted.status_code == 201, reprinted.content
    channels = [
        d["channel"] for d in api.get(f"/letters/{letter_id}").json()["dispatches"]
    ]
    assert sorted(channels) == ["counter", "post"]


def test_letter_types_declare_their_free_fields_and_values_are_checked(
    clerk: Any, api_for: Any
) -> None:
    api = api_for(clerk, language="nl")
    types = {row["code"]: row for row in api.get("/letter-types").json()}
    appointment = types["appointment"]["fields"]
    assert {name: field["type"] for name, field in appointment.items()} == {
        "date": "date",
        "time": "time",
    }
    assert appointment["date"]["label"]["de"] == "Datum des Termins"
    person = person_with_address()
    refused = api.post(
        "/letters",
        {
            "person_id": str(person.uuid),
            "letter_type": "appointment",
            "free_values": {"date": "31/02/2027", "time": "14:30"},
        },
    )
    assert refused.status_code == 422
    [error] = refused.json()["errors"]
    assert (error["field"], error["code"]) == ("free_values.date", "invalid_value")
    assert error["message"].startswith(
        "Datum van de afspraak: 31/02/2027 is geen datum."
    )
    assert not Letter.objects.exists()


def test_a_scan_named_in_another_script_downloads_as_an_attachment(
    clerk: Any, api_for: Any
) -> None:
    # given mail whose scan was named in Cyrillic and Greek letters
    api = api_for(clerk)
    registered = api.client.post(
        "/api/v1/incoming-mail",
        {
            "received_on": clock.today().isoformat(),
            "subject": "Заявление",
            "sender_name": "Иван Петров",
            "scan": SimpleUploadedFile("заявление-Ωμέγα.png", PNG),
        },
    )
    assert registered.status_code == 201, registered.content
    # when it is downloaded through the API
    scan = api.get(f"/incoming-mail/{registered.json()['id']}/scan")
    # then it is an attachment whose name survives (RFC 6266 filename*)
    assert scan.status_code == 200
    assert scan.content == PNG
    disposition = scan["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert (
        "filename*=utf-8''%D0%B7%D0%B0%D1%8F%D0%B2%D0%BB%D0%B5%D0%BD%D0%B8%D0%B5-"
        "%CE%A9%CE%BC%CE%AD%CE%B3%CE%B1.png" in disposition
    )
    disposition.encode("latin-1")  # a header value must be Latin-1


def test_every_api_download_is_an_attachment(clerk: Any, api_for: Any) -> None:
    # given an issued letter
    api = api_for(clerk)
    person = person_with_address()
    letter_id = api.post(
        "/letters", {"person_id": str(person.uuid), "letter_type": "acknowledgement"}
    ).json()["id"]
    api.post(f"/letters/{letter_id}/submit", HTTP_IF_MATCH='"1"')
    # when its PDF is downloaded
    pdf = api.get(f"/letters/{letter_id}/pdf")
    # then it is an attachment, never shown inline
    assert pdf.status_code == 200
    assert pdf["Content-Disposition"].startswith("attachment;")
