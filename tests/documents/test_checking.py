"""Which check fits which document, and whether a check passes for the record."""

from __future__ import annotations

import datetime as dt

import pytest

from guichet.checks.kinds import KINDS, run_check
from guichet.documents.checking import Record, checks_for, verdict
from guichet.documents.models import Outcome
from tests.checks import zones

ON = dt.date(2026, 1, 10)


def _record(**changes: object) -> Record:
    values: dict[str, object] = {
        "expires_on": dt.date(2031, 5, 1),
        "document_number": "AB1234567",
        "birth_date": dt.date(1985, 7, 30),
        "surname": "Peeters",
        "national_number": "85073003328",
        "given_names": "Jan",
        "sex": "M",
    }
    values.update(changes)
    return Record(**values)  # type: ignore[arg-type]


def _reasons(kind: str, values: list[str], record: Record) -> list[str]:
    concluded = verdict(run_check(kind, values, on=ON), record, on=ON)
    return [reason.code for reason in concluded.reasons]


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


def test_a_zone_that_matches_the_record_is_verified() -> None:
    concluded = verdict(run_check("mrz", zones.td3(), on=ON), _record(), on=ON)
    assert (concluded.outcome, concluded.reasons, concluded.passed) == (
        Outcome.VERIFIED,
        (),
        True,
    )


def test_the_icao_specimen_never_passes_for_another_person() -> None:
    # The zone of ICAO Doc 9303's specimen (ERIKSSON, born 1974, expired 2012).
    specimen = [
        "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
        "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
    ]
    record = _record(
        surname="Janssens", given_names="Louis", birth_date=dt.date(1990, 3, 4)
    )
    concluded = verdict(run_check("mrz", specimen, on=ON), record, on=ON)
    assert concluded.outcome == Outcome.DOES_NOT_MATCH
    assert [(reason.code, reason.field) for reason in concluded.reasons] == [
        ("surname_mismatch", "surname"),
        ("given_names_mismatch", "given_names"),
        ("birth_date_mismatch", "birth_date"),
        ("sex_mismatch", "sex"),
        ("document_number_mismatch", "document_number"),
        ("expiry_date_mismatch", "expiry_date"),
        ("specimen", "issuing_state"),
        ("expired", "expiry_date"),
    ]


def test_a_specimen_matching_the_record_still_does_not_pass() -> None:
    lines = zones.td3(state="UTO", nationality="UTO")
    assert verdict(run_check("mrz", lines, on=ON), _record(), on=ON).outcome == (
        Outcome.DOES_NOT_MATCH
    )


@pytest.mark.parametrize(
    ("_case", "changes", "code"),
    [
        ("surname", {"surname": "Janssens"}, "surname_mismatch"),
        ("given name", {"given_names": "Louis"}, "given_names_mismatch"),
        ("birth date", {"birth_date": dt.date(1985, 7, 31)}, "birth_date_mismatch"),
        ("sex", {"sex": "F"}, "sex_mismatch"),
        (
            "document number",
            {"document_number": "AB7654321"},
            "document_number_mismatch",
        ),
        ("expiry date", {"expires_on": dt.date(2031, 5, 2)}, "expiry_date_mismatch"),
        ("nationality", {"nationality": "NLD"}, "nationality_mismatch"),
    ],
)
def test_each_fact_that_differs_from_the_record_fails_the_verification(
    _case: str, changes: dict[str, object], code: str
) -> None:
    concluded = verdict(run_check("mrz", zones.td3(), on=ON), _record(**changes), on=ON)
    assert concluded.outcome == Outcome.DOES_NOT_MATCH
    assert [reason.code for reason in concluded.reasons] == [code]


def test_a_different_expiry_date_says_what_each_side_gives() -> None:
    concluded = verdict(
        run_check("mrz", zones.td3(), on=ON),
        _record(expires_on=dt.date(2031, 5, 2)),
        on=ON,
    )
    assert concluded.reasons[0].text == (
        "The zone gives 2031-05-01 as expiry date; the document's record says "
        "2031-05-02: this is another document."
    )


@pytest.mark.parametrize(
    ("_case", "expiry", "outcome"),
    [
        ("expired the day before", dt.date(2026, 1, 9), Outcome.EXPIRED),
        ("expires on the decision date", dt.date(2026, 1, 10), Outcome.VERIFIED),
    ],
)
def test_a_document_expired_on_the_decision_date_does_not_pass(
    _case: str, expiry: dt.date, outcome: Outcome
) -> None:
    lines = zones.td3(expiry=expiry)
    concluded = verdict(
        run_check("mrz", lines, on=ON), _record(expires_on=expiry), on=ON
    )
    assert concluded.outcome == outcome


def test_a_record_expired_on_the_decision_date_does_not_pass_a_number_check() -> None:
    concluded = verdict(
        run_check("niss", ["85.07.30-033.28"], on=ON),
        _record(expires_on=dt.date(2025, 12, 31)),
        on=ON,
    )
    assert (concluded.outcome, [r.code for r in concluded.reasons]) == (
        Outcome.EXPIRED,
        ["expired"],
    )


def test_a_zone_that_breaks_its_rules_is_not_valid_whatever_else() -> None:
    lines = zones.td3()
    lines[1] = lines[1][:13] + "9" + lines[1][14:]
    concluded = verdict(run_check("mrz", lines, on=ON), _record(), on=ON)
    assert concluded.outcome == Outcome.NOT_VALID
    assert "birth_date_check_digit" in [reason.code for reason in concluded.reasons]


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
    codes = _reasons("mrz", lines, _record(surname=recorded))
    assert ("surname_mismatch" in codes) is warned


@pytest.mark.parametrize(
    ("_case", "recorded", "in_zone", "differs"),
    [
        ("all given names", "Jan Pieter", "JAN PIETER", False),
        ("first only in the zone", "Jan Pieter", "JAN", False),
        ("umlaut", "Jürgen", "JUERGEN", False),
        ("another name", "Jan", "LOUIS", True),
    ],
)
def test_the_first_given_name_is_compared(
    _case: str, recorded: str, in_zone: str, differs: bool
) -> None:
    lines = zones.td3(given_names=in_zone.replace(" ", "<"))
    codes = _reasons("mrz", lines, _record(given_names=recorded))
    assert ("given_names_mismatch" in codes) is differs


def test_a_record_without_facts_is_never_contradicted() -> None:
    record = _record(
        expires_on=None,
        document_number="",
        birth_date=None,
        surname="",
        given_names="",
        sex="U",
    )
    assert _reasons("mrz", zones.td3(surname="OTHER"), record) == []


def test_the_persons_own_national_number_is_verified() -> None:
    assert _reasons("niss", ["85.07.30-033.28"], _record()) == []
    assert _reasons("niss", ["85.07.30-033.28"], _record(national_number=None)) == []


def test_another_national_number_does_not_match() -> None:
    concluded = verdict(run_check("niss", ["90.03.04-123.19"], on=ON), _record(), on=ON)
    assert (concluded.outcome, [r.code for r in concluded.reasons]) == (
        Outcome.DOES_NOT_MATCH,
        ["national_number_mismatch"],
    )


def test_an_invalid_national_number_is_not_compared() -> None:
    assert _reasons("niss", ["85073003329"], _record()) == ["checksum"]
