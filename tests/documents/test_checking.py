"""Which check fits which document, and the warnings when a zone differs from the record."""

from __future__ import annotations

import datetime as dt

import pytest

from guichet.checks.kinds import KINDS, run_check
from guichet.documents.checking import Record, checks_for, compared_with_record
from tests.checks import zones

ON = dt.date(2026, 1, 10)


def _record(**changes: object) -> Record:
    values: dict[str, object] = {
        "expires_on": dt.date(2031, 5, 1),
        "document_number": "AB1234567",
        "birth_date": dt.date(1985, 7, 30),
        "surname": "Peeters",
        "national_number": "85073003328",
    }
    values.update(changes)
    return Record(**values)  # type: ignore[arg-type]


def _warnings(kind: str, values: list[str], record: Record) -> list[str]:
    result = compared_with_record(run_check(kind, values, on=ON), record)
    return [warning.code for warning in result.warnings]


@pytest.mark.parametrize(
    ("document_type", "kinds"),
    [
        ("passport", ("mrz",)),
        ("identity_card", ("mrz", "niss")),
        ("bank_document", ("iban", "bic")),
        ("payment_document", ("ogm", "iban", "bic")),
        ("employer_certificate", ("bce", "niss")),
        ("other", KINDS),
        ("selfie", ()),
    ],
)
def test_each_type_of_document_has_its_checks(
    document_type: str, kinds: tuple[str, ...]
) -> None:
    assert checks_for(document_type) == kinds


def test_a_zone_that_matches_the_record_gets_no_warning() -> None:
    assert _warnings("mrz", zones.td3(), _record()) == []


def test_a_different_expiry_date_is_a_warning_on_that_field() -> None:
    result = compared_with_record(
        run_check("mrz", zones.td3(), on=ON), _record(expires_on=dt.date(2031, 5, 2))
    )
    assert result.valid is True
    assert [(warning.code, warning.field) for warning in result.warnings] == [
        ("expiry_date_mismatch", "expiry_date")
    ]
    assert result.warnings[0].text == (
        "The zone gives 2031-05-01 as expiry date; the document's record says "
        "2031-05-02."
    )


@pytest.mark.parametrize(
    ("_case", "recorded", "in_zone", "warned"),
    [
        ("umlaut transliterated", "Müller", "MUELLER", False),
        ("umlaut folded", "Müller", "MULLER", False),
        ("compound with a space", "Van den Berg", "VAN<DEN<BERG", False),
        ("apostrophe", "D'Hondt", "DHONDT", False),
        ("another name", "Peeters", "JANSSENS", True),
    ],
)
def test_surnames_are_compared_as_icao_writes_them(
    _case: str, recorded: str, in_zone: str, warned: bool
) -> None:
    lines = zones.td3(surname=in_zone.replace("<", " "))
    codes = _warnings("mrz", lines, _record(surname=recorded))
    assert ("surname_mismatch" in codes) is warned


def test_a_record_without_facts_is_never_contradicted() -> None:
    record = _record(expires_on=None, document_number="", birth_date=None, surname="")
    assert _warnings("mrz", zones.td3(surname="OTHER"), record) == []


def test_the_persons_own_national_number_gets_no_warning() -> None:
    assert _warnings("niss", ["85.07.30-033.28"], _record()) == []
    assert _warnings("niss", ["85.07.30-033.28"], _record(national_number=None)) == []


def test_an_invalid_national_number_is_not_compared() -> None:
    assert _warnings("niss", ["85073003329"], _record()) == []
