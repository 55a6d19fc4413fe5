"""Uploading, correcting and verifying documents: rules, refusals, audit, policy."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

from django.utils import translation

import pytest

from guichet.audit.models import AuditEvent
from guichet.core.errors import Forbidden, NotFound, StaleVersion, ValidationFailed
from guichet.core.models import AppendOnlyError
from guichet.documents import services
from guichet.documents.models import (
    Document,
    DocumentVerification,
)
from tests.checks import zones
from tests.documents.factories import ELF, EXE, JPEG, PDF, PNG, TIFF, upload
from tests.factories import PersonFactory, TeamFactory

pytestmark = pytest.mark.django_db

PASSPORT = services.DocumentDetails(
    document_type="passport",
    document_number="AB1234567",
    issued_on=dt.date(2021, 5, 2),
    expires_on=dt.date(2031, 5, 1),
)


@pytest.fixture
def person() -> Any:
    return PersonFactory(
        surname="Peeters", given_names="Jan", birth_date=dt.date(1985, 7, 30), sex="M"
    )


def _stored_files(media: Path) -> list[Path]:
    return (
        [path for path in media.rglob("*") if path.is_file()] if media.exists() else []
    )


def _upload(actor: Any, person: Any, file: Any = None, **details: Any) -> Document:
    values = {**PASSPORT.__dict__, **details}
    return services.document_upload(
        actor=actor,
        person_id=person.uuid,
        file=file or upload(),
        details=services.DocumentDetails(**values),
    )


def _field_codes(
    excinfo: pytest.ExceptionInfo[ValidationFailed],
) -> list[tuple[str, str]]:
    return [(error.field, error.code) for error in excinfo.value.errors]


# Upload


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        (PDF, "application/pdf"),
        (JPEG, "image/jpeg"),
        (PNG, "image/png"),
        (TIFF, "image/tiff"),
    ],
)
def test_keeps_an_accepted_file_under_its_hash_with_its_type_sniffed(
    front_office: Any, person: Any, media: Path, content: bytes, content_type: str
) -> None:
    document = _upload(front_office, person, upload(content, name="whatever.exe"))
    sha = hashlib.sha256(content).hexdigest()
    assert (document.content_sha256, document.content_type, document.size) == (
        sha,
        content_type,
        len(content),
    )
    assert document.original_name == "whatever.exe"
    assert document.person == person
    assert document.uploaded_by == front_office
    assert document.version == 1
    assert str(document) == f"passport ({document.uuid})"
    assert (document.document_number, document.dossier_reference) == ("AB1234567", "")
    assert _stored_files(media) == [media / "documents" / sha[:2] / sha[2:4] / sha]


@pytest.mark.parametrize(
    ("_case", "content", "what"),
    [
        ("linux program", ELF, "a Linux program"),
        ("windows program", EXE, "a Windows program"),
    ],
)
def test_refuses_a_renamed_program_whatever_its_name(
    front_office: Any, person: Any, media: Path, _case: str, content: bytes, what: str
) -> None:
    with pytest.raises(ValidationFailed) as excinfo:
        _upload(front_office, person, upload(content, name="passport.pdf"))
    assert _field_codes(excinfo) == [("file", "file_type_refused")]
    message = excinfo.value.errors[0].text
    assert what in message
    assert "whatever its name says" in message
    assert "PDF, JPEG, PNG and TIFF" in message
    assert Document.objects.count() == 0
    assert _stored_files(media) == []
    assert not AuditEvent.objects.filter(action="document.upload").exists()


def test_the_refusal_is_in_the_agents_language(front_office: Any, person: Any) -> None:
    with translation.override("fr"), pytest.raises(ValidationFailed) as excinfo:
        _upload(front_office, person, upload(ELF, name="passport.pdf"))
    with translation.override("fr"):
        message = excinfo.value.errors[0].text
    assert message == (
        "Ce fichier est un programme Linux, quel que soit son nom ; seuls les "
        "fichiers PDF, JPEG, PNG et TIFF sont acceptés."
    )


def test_refuses_an_oversize_file_at_the_configured_limit(
    front_office: Any, person: Any, settings: Any, media: Path
) -> None:
    settings.DOCUMENT_MAX_BYTES = len(PDF) - 1
    with pytest.raises(ValidationFailed) as excinfo:
        _upload(front_office, person, upload(PDF))
    assert _field_codes(excinfo) == [("file", "file_too_large")]
    assert excinfo.value.errors[0].text == (
        f"The file is {len(PDF)}\xa0bytes; at most {len(PDF) - 1}\xa0bytes are accepted."
    )
    assert Document.objects.count() == 0
    assert _stored_files(media) == []


def test_a_file_exactly_at_the_limit_is_accepted(
    front_office: Any, person: Any, settings: Any
) -> None:
    settings.DOCUMENT_MAX_BYTES = len(PDF)
    assert _upload(front_office, person, upload(PDF)).size == len(PDF)


def test_refuses_an_empty_file(front_office: Any, person: Any) -> None:
    with pytest.raises(ValidationFailed) as excinfo:
        _upload(front_office, person, upload(b""))
    assert _field_codes(excinfo) == [("file", "file_empty")]
    assert excinfo.value.errors[0].text == "The file is empty."
    assert Document.objects.count() == 0


def test_the_same_content_is_stored_once_for_two_documents(
    front_office: Any, person: Any, media: Path
) -> None:
    first = _upload(front_office, person, upload(PDF, name="a.pdf"))
    second = _upload(front_office, PersonFactory(), upload(PDF, name="b.pdf"))
    assert first.content_sha256 == second.content_sha256
    assert Document.objects.count() == 2
    assert len(_stored_files(media)) == 1


def test_reports_every_problem_of_the_record_and_the_file_at_once(
    front_office: Any, person: Any
) -> None:
    with pytest.raises(ValidationFailed) as excinfo:
        _upload(
            front_office,
            person,
            upload(EXE),
            document_type="selfie",
            issued_on=dt.date(2030, 1, 1),
            expires_on=dt.date(2029, 1, 1),
            document_number="X" * 41,
        )
    assert _field_codes(excinfo) == [
        ("document_type", "invalid_choice"),
        ("document_number", "too_long"),
        ("issued_on", "issued_in_future"),
        ("expires_on", "dates_order"),
        ("file", "file_type_refused"),
    ]
    assert Document.objects.count() == 0


def test_a_stored_name_keeps_no_path_or_control_characters(
    front_office: Any, person: Any
) -> None:
    document = _upload(front_office, person, upload(PDF, name="..\\..\\evil\x00\n.pdf"))
    assert document.original_name == "evil.pdf"


def test_an_upload_is_audited(front_office: Any, person: Any) -> None:
    document = _upload(front_office, person)
    event = AuditEvent.objects.get(chain="changes", action="document.upload")
    assert (event.actor_id, event.object_id) == (front_office.pk, str(document.uuid))
    assert event.summary["person"] == str(person.uuid)
    assert event.summary["content"] == {
        "sha256": document.content_sha256,
        "size": len(PDF),
        "type": "application/pdf",
    }
    assert event.summary["after"]["document_number"] == "AB1234567"


# Who may upload


def test_the_contact_center_may_not_add_documents(
    contact_center: Any, person: Any, media: Path
) -> None:
    with pytest.raises(Forbidden):
        _upload(contact_center, person)
    assert Document.objects.count() == 0
    assert _stored_files(media) == []


def test_an_agent_of_another_team_cannot_add_to_a_confidential_person(
    make_agent: Any, media: Path
) -> None:
    hidden = PersonFactory(confidential_team=TeamFactory(code="social"))
    outsider = make_agent("front_office", teams=("consular",), username="outsider")
    with pytest.raises(NotFound):
        _upload(outsider, hidden)
    insider = make_agent("front_office", teams=("social",), username="insider")
    assert _upload(insider, hidden).person == hidden
    assert Document.objects.count() == 1


def test_an_administrator_may_not_add_documents(make_agent: Any, person: Any) -> None:
    admin = make_agent("admin", teams=("it",), username="root")
    with pytest.raises(NotFound):
        _upload(admin, person)
    assert Document.objects.count() == 0


# Correcting the record


def test_corrects_the_record_with_the_current_version(
    front_office: Any, person: Any
) -> None:
    document = _upload(front_office, person)
    updated = services.document_update(
        actor=front_office,
        document_id=document.uuid,
        expected_version=1,
        data={"expires_on": dt.date(2031, 5, 2)},
        reason="Misread the date.",
    )
    assert (updated.version, updated.expires_on) == (2, dt.date(2031, 5, 2))
    event = AuditEvent.objects.get(action="document.update")
    assert event.summary["changes"]["expires_on"] == ["2031-05-01", "2031-05-02"]
    assert event.reason == "Misread the date."


def test_a_stale_correction_changes_nothing(front_office: Any, person: Any) -> None:
    document = _upload(front_office, person)
    services.document_update(
        actor=front_office,
        document_id=document.uuid,
        expected_version=1,
        data={"document_number": "AB7654321"},
    )
    with pytest.raises(StaleVersion) as excinfo:
        services.document_update(
            actor=front_office,
            document_id=document.uuid,
            expected_version=1,
            data={"document_number": "ZZ0000000"},
        )
    assert excinfo.value.extra == {"current_version": 2}
    document.refresh_from_db()
    assert (document.version, document.document_number) == (2, "AB7654321")
    assert AuditEvent.objects.filter(action="document.update").count() == 1


def test_a_correction_cannot_touch_the_content_or_break_the_dates(
    front_office: Any, person: Any
) -> None:
    document = _upload(front_office, person)
    with pytest.raises(ValidationFailed) as excinfo:
        services.document_update(
            actor=front_office,
            document_id=document.uuid,
            expected_version=1,
            data={"content_sha256": "0" * 64},
        )
    assert _field_codes(excinfo) == [("content_sha256", "unknown_field")]
    with pytest.raises(ValidationFailed) as excinfo:
        services.document_update(
            actor=front_office,
            document_id=document.uuid,
            expected_version=1,
            data={"expires_on": dt.date(2020, 1, 1)},
        )
    assert _field_codes(excinfo) == [("expires_on", "dates_order")]
    document.refresh_from_db()
    assert (document.version, document.expires_on) == (1, dt.date(2031, 5, 1))


def test_the_contact_center_may_not_correct_a_document(
    front_office: Any, contact_center: Any, person: Any
) -> None:
    document = _upload(front_office, person)
    with pytest.raises(Forbidden):
        services.document_update(
            actor=contact_center,
            document_id=document.uuid,
            expected_version=1,
            data={"document_number": "X"},
        )
    document.refresh_from_db()
    assert document.version == 1


# Verifying


ON = dt.date(2026, 1, 10)


def test_a_verification_runs_the_zone_check_and_keeps_who_when_and_the_result(
    front_office: Any, person: Any
) -> None:
    document = _upload(front_office, person)
    verification = services.document_verify(
        actor=front_office,
        document_id=document.uuid,
        kind="mrz",
        values=zones.td3(),
        on=ON,
    )
    assert (verification.is_valid, verification.outcome) == (True, "verified")
    assert (verification.kind, verification.checked_on) == ("mrz", ON)
    assert str(verification) == f"mrz verified ({verification.uuid})"
    assert verification.verified_by == front_office
    assert verification.verified_at is not None
    assert verification.value == "\n".join(zones.td3())
    assert verification.result["fields"]["surname"] == "PEETERS"
    assert verification.result["fields"]["expired"] is False
    assert verification.result["warnings"] == []
    event = AuditEvent.objects.get(action="document.verify")
    assert event.object_id == str(document.uuid)
    assert event.summary["verification"] == str(verification.uuid)
    assert (event.summary["kind"], event.summary["outcome"]) == ("mrz", "verified")


def test_a_verification_of_an_altered_zone_is_kept_as_refused(
    front_office: Any, person: Any
) -> None:
    document = _upload(front_office, person)
    lines = zones.td3()
    lines[1] = lines[1][:13] + "9" + lines[1][14:]  # birth date 85... -> 95...
    verification = services.document_verify(
        actor=front_office, document_id=document.uuid, kind="mrz", values=lines, on=ON
    )
    assert (verification.is_valid, verification.outcome) == (False, "not_valid")
    codes = [error["code"] for error in verification.result["errors"]]
    assert "birth_date_check_digit" in codes
    assert AuditEvent.objects.get(action="document.verify").summary["outcome"] == (
        "not_valid"
    )


def test_a_zone_that_differs_from_the_record_does_not_match(
    front_office: Any, person: Any
) -> None:
    document = _upload(front_office, person, document_number="AB7654321")
    verification = services.document_verify(
        actor=front_office,
        document_id=document.uuid,
        kind="mrz",
        values=zones.td3(surname="JANSSENS", birth=dt.date(1986, 7, 30)),
        on=ON,
    )
    assert (verification.is_valid, verification.outcome) == (False, "does_not_match")
    assert [reason["code"] for reason in verification.result["reasons"]] == [
        "surname_mismatch",
        "birth_date_mismatch",
        "document_number_mismatch",
    ]


def test_the_icao_specimen_is_never_verified_for_a_person(
    front_office: Any,
) -> None:
    # given a passport of JANSSENS Louis on record (issue #11's scenario)
    louis = PersonFactory(
        surname="Janssens", given_names="Louis", birth_date=dt.date(1990, 3, 4), sex="M"
    )
    document = _upload(front_office, louis, document_number="EM1234567")
    # when it is verified with the ICAO specimen's zone (ERIKSSON, expired 2012)
    verification = services.document_verify(
        actor=front_office,
        document_id=document.uuid,
        kind="mrz",
        values=[
            "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
            "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
        ],
        on=ON,
    )
    # then it does not pass, for every reason, kept as codes
    assert (verification.is_valid, verification.outcome) == (False, "does_not_match")
    assert [reason["code"] for reason in verification.result["reasons"]] == [
        "surname_mismatch",
        "given_names_mismatch",
        "birth_date_mismatch",
        "sex_mismatch",
        "document_number_mismatch",
        "expiry_date_mismatch",
        "specimen",
        "expired",
    ]
    event = AuditEvent.objects.get(action="document.verify")
    assert event.summary["outcome"] == "does_not_match"
    assert "specimen" in event.summary["reasons"]


def test_a_document_expired_on_the_reference_date_is_expired(
    front_office: Any, person: Any
) -> None:
    document = _upload(front_office, person, expires_on=dt.date(2025, 12, 31))
    verification = services.document_verify(
        actor=front_office,
        document_id=document.uuid,
        kind="mrz",
        values=zones.td3(expiry=dt.date(2025, 12, 31)),
        on=ON,
    )
    assert (verification.is_valid, verification.outcome) == (False, "expired")
    assert [reason["code"] for reason in verification.result["reasons"]] == ["expired"]


def test_reasons_are_kept_language_neutral_and_read_in_any_language(
    front_office: Any, person: Any
) -> None:
    # given a verification run by an agent working in French
    document = _upload(front_office, person)
    with translation.override("fr"):
        verification = services.document_verify(
            actor=front_office,
            document_id=document.uuid,
            kind="mrz",
            values=zones.td3(birth=dt.date(1986, 7, 30)),
            on=ON,
        )
    reason = verification.result["reasons"][0]
    # then the reason is kept as a code with its parameters and untranslated text
    assert (reason["code"], reason["params"]) == (
        "birth_date_mismatch",
        {"read": "1986-07-30", "recorded": "1985-07-30"},
    )
    assert reason["message_id"].startswith("The zone gives %(read)s as birth date")
    # and renders in the reader's language
    from guichet.checks.result import rendered

    with translation.override("nl"):
        dutch = rendered(reason)["message"]
    with translation.override("en"):
        english = rendered(reason)["message"]
    assert english.startswith("The zone gives 1986-07-30 as birth date")
    assert dutch != english
    assert "1986-07-30" in dutch


def test_verifications_are_append_only(front_office: Any, person: Any) -> None:
    document = _upload(front_office, person)
    first = services.document_verify(
        actor=front_office,
        document_id=document.uuid,
        kind="mrz",
        values=zones.td3(),
        on=ON,
    )
    services.document_verify(
        actor=front_office,
        document_id=document.uuid,
        kind="mrz",
        values=["nope"],
        on=ON,
    )
    assert DocumentVerification.objects.filter(document=document).count() == 2
    first.is_valid = False
    with pytest.raises(AppendOnlyError):
        first.save()
    with pytest.raises(AppendOnlyError):
        first.delete()
    with pytest.raises(AppendOnlyError):
        DocumentVerification.objects.filter(pk=first.pk).update(is_valid=False)
    with pytest.raises(AppendOnlyError):
        DocumentVerification.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        DocumentVerification.objects.bulk_update([first], ["is_valid"])
    first.refresh_from_db()
    assert first.is_valid is True


@pytest.mark.parametrize(
    ("_case", "kind", "values", "field", "code"),
    [
        ("unknown check", "dna", ["x"], "kind", "invalid_choice"),
        (
            "iban on a passport",
            "iban",
            ["BE71096123456769"],
            "kind",
            "check_not_for_type",
        ),
        ("nothing typed", "mrz", ["  ", ""], "value", "value_required"),
    ],
)
def test_refuses_a_verification_that_does_not_fit(
    front_office: Any,
    person: Any,
    _case: str,
    kind: str,
    values: list[str],
    field: str,
    code: str,
) -> None:
    document = _upload(front_office, person)
    with pytest.raises(ValidationFailed) as excinfo:
        services.document_verify(
            actor=front_office,
            document_id=document.uuid,
            kind=kind,
            values=values,
            on=ON,
        )
    assert _field_codes(excinfo) == [(field, code)]
    assert DocumentVerification.objects.count() == 0
    assert not AuditEvent.objects.filter(action="document.verify").exists()


def test_a_bank_document_is_checked_by_its_iban(front_office: Any, person: Any) -> None:
    document = _upload(
        front_office, person, document_type="bank_document", expires_on=None
    )
    verification = services.document_verify(
        actor=front_office,
        document_id=document.uuid,
        kind="iban",
        values=["BE71 0961 2345 6769"],
    )
    assert (verification.is_valid, verification.value) == (True, "BE71096123456769")


def test_a_national_number_of_another_person_does_not_match(
    front_office: Any, person: Any
) -> None:
    document = _upload(front_office, person, document_type="identity_card")
    other = PersonFactory(birth_date=dt.date(1985, 7, 30), sex="M")
    verification = services.document_verify(
        actor=front_office,
        document_id=document.uuid,
        kind="niss",
        values=[other.national_number],
        on=ON,
    )
    assert (verification.is_valid, verification.outcome) == (False, "does_not_match")
    assert [reason["code"] for reason in verification.result["reasons"]] == [
        "national_number_mismatch"
    ]


def test_the_contact_center_may_not_verify(
    front_office: Any, contact_center: Any, person: Any
) -> None:
    document = _upload(front_office, person)
    with pytest.raises(Forbidden):
        services.document_verify(
            actor=contact_center,
            document_id=document.uuid,
            kind="mrz",
            values=zones.td3(),
        )
    assert DocumentVerification.objects.count() == 0


def test_an_agent_of_another_team_cannot_verify_a_confidential_persons_document(
    make_agent: Any,
) -> None:
    hidden = PersonFactory(confidential_team=TeamFactory(code="social"))
    insider = make_agent("front_office", teams=("social",), username="insider")
    outsider = make_agent("front_office", teams=("consular",), username="outsider")
    document = _upload(insider, hidden)
    with pytest.raises(NotFound):
        services.document_verify(
            actor=outsider, document_id=document.uuid, kind="mrz", values=zones.td3()
        )
    assert DocumentVerification.objects.count() == 0
