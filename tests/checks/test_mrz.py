"""Machine-readable zones: the ICAO specimens, altered copies, layouts and dates.

The specimens are those of ICAO Doc 9303 (docs/sources.md §3.3). Each
altered copy changes one character of one field; the expected error codes are
written out by hand from the layout (which check digits protect that position).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import translation

import pytest
from hypothesis import given
from hypothesis import strategies as st

from guichet.checks.mrz import character_value, check_digit, check_mrz
from tests.checks import zones

ON = dt.date(2026, 1, 1)

TD3 = [
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
]
TD3_OLD = [
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L898902C<3UTO6908061F9406236ZE184226B<<<<<14",
]
TD2 = [
    "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<",
    "D231458907UTO7408122F1204159<<<<<<<6",
]
TD1 = [
    "I<UTOD231458907<<<<<<<<<<<<<<<",
    "7408122F1204159UTO<<<<<<<<<<<6",
    "ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
]
SPECIMENS = {"TD1": TD1, "TD2": TD2, "TD3": TD3}


def altered(lines: list[str], line: int, position: int, char: str) -> list[str]:
    """A copy with the character at `line`, `position` (both 1-based) replaced."""
    copy = list(lines)
    text = copy[line - 1]
    assert text[position - 1] != char, "an alteration must change the character"
    copy[line - 1] = text[: position - 1] + char + text[position:]
    return copy


def codes(lines: list[str], on: dt.date = ON) -> list[str]:
    return [error.code for error in check_mrz(lines, on=on).errors]


@pytest.mark.parametrize(
    ("_case", "value", "expected"),
    [
        ("document number", "L898902C3", "6"),
        ("birth date", "740812", "2"),
        ("expiry date", "120415", "9"),
        ("personal number", "ZE184226B<<<<<", "1"),
        ("td1 document number", "D23145890", "7"),
        ("fillers only", "<<<<<<", "0"),
        (
            "td3 composite",
            "L898902C36" + "7408122" + "1204159ZE184226B<<<<<1",
            "0",
        ),
    ],
)
def test_check_digit_is_the_7_3_1_sum_modulo_10(
    _case: str, value: str, expected: str
) -> None:
    assert check_digit(value) == expected


def test_character_values_follow_doc_9303() -> None:
    assert [character_value(char) for char in "09AZ<"] == [0, 9, 10, 35, 0]
    with pytest.raises(ValueError, match="not a machine-readable-zone character"):
        character_value("a")


def test_reads_the_td3_specimen() -> None:
    result = check_mrz(TD3, on=ON)
    assert result.valid
    assert result.errors == ()
    assert result.normalized == "\n".join(TD3)
    assert result.fields == {
        "format": "TD3",
        "document_type": "P",
        "issuing_state": "UTO",
        "surname": "ERIKSSON",
        "given_names": "ANNA MARIA",
        "document_number": "L898902C3",
        "nationality": "UTO",
        "birth_date": "1974-08-12",
        "sex": "F",
        "expiry_date": "2012-04-15",
        "expired": True,
        "optional_data": "ZE184226B",
    }
    assert [warning.code for warning in result.warnings] == ["specimen", "expired"]


def test_reads_the_older_td3_specimen_with_an_eight_character_number() -> None:
    result = check_mrz(TD3_OLD, on=ON)
    assert result.valid
    assert result.fields["document_number"] == "L898902C"
    assert result.fields["birth_date"] == "1969-08-06"
    assert result.fields["expiry_date"] == "1994-06-23"


def test_reads_the_td2_specimen() -> None:
    result = check_mrz(TD2, on=ON)
    assert result.valid
    assert result.fields == {
        "format": "TD2",
        "document_type": "I",
        "issuing_state": "UTO",
        "surname": "ERIKSSON",
        "given_names": "ANNA MARIA",
        "document_number": "D23145890",
        "nationality": "UTO",
        "birth_date": "1974-08-12",
        "sex": "F",
        "expiry_date": "2012-04-15",
        "expired": True,
        "optional_data": "",
    }


def test_reads_the_td1_specimen() -> None:
    result = check_mrz(TD1, on=ON)
    assert result.valid
    assert result.fields == {
        "format": "TD1",
        "document_type": "I",
        "issuing_state": "UTO",
        "surname": "ERIKSSON",
        "given_names": "ANNA MARIA",
        "document_number": "D23145890",
        "nationality": "UTO",
        "birth_date": "1974-08-12",
        "sex": "F",
        "expiry_date": "2012-04-15",
        "expired": True,
        "optional_data": "",
        "optional_data_2": "",
    }


COMPOSITE = "composite_check_digit"


@pytest.mark.parametrize(
    ("_case", "specimen", "line", "position", "char", "expected"),
    [
        # TD3, line 2: number 1-9, check 10, birth 14-19, check 20, expiry 22-27,
        # check 28, personal number 29-42, check 43, composite 44.
        ("td3 number", "TD3", 2, 2, "9", ["document_number_check_digit", COMPOSITE]),
        (
            "td3 number letter",
            "TD3",
            2,
            1,
            "M",
            ["document_number_check_digit", COMPOSITE],
        ),
        (
            "td3 number check",
            "TD3",
            2,
            10,
            "7",
            ["document_number_check_digit", COMPOSITE],
        ),
        ("td3 birth", "TD3", 2, 17, "9", ["birth_date_check_digit", COMPOSITE]),
        ("td3 birth check", "TD3", 2, 20, "3", ["birth_date_check_digit", COMPOSITE]),
        ("td3 expiry", "TD3", 2, 27, "6", ["expiry_date_check_digit", COMPOSITE]),
        ("td3 expiry check", "TD3", 2, 28, "8", ["expiry_date_check_digit", COMPOSITE]),
        (
            "td3 personal number",
            "TD3",
            2,
            30,
            "F",
            ["optional_data_check_digit", COMPOSITE],
        ),
        (
            "td3 personal filler",
            "TD3",
            2,
            40,
            "7",
            ["optional_data_check_digit", COMPOSITE],
        ),
        (
            "td3 personal check",
            "TD3",
            2,
            43,
            "2",
            ["optional_data_check_digit", COMPOSITE],
        ),
        ("td3 composite", "TD3", 2, 44, "1", [COMPOSITE]),
        (
            "td3 check not a digit",
            "TD3",
            2,
            20,
            "A",
            ["birth_date_check_digit", COMPOSITE],
        ),
        ("td3 sex", "TD3", 2, 21, "Q", ["sex_invalid"]),
        (
            "td3 month 38",
            "TD3",
            2,
            16,
            "3",
            ["birth_date_invalid", "birth_date_check_digit", COMPOSITE],
        ),
        (
            "td3 expiry day 35",
            "TD3",
            2,
            26,
            "3",
            ["expiry_date_invalid", "expiry_date_check_digit", COMPOSITE],
        ),
        ("td3 document code", "TD3", 1, 1, "I", ["document_type_invalid"]),
        ("td3 issuing state", "TD3", 1, 4, "1", ["issuing_state_invalid"]),
        ("td3 nationality", "TD3", 2, 12, "7", ["nationality_invalid"]),
        ("td3 name", "TD3", 1, 8, "1", ["name_invalid"]),
        ("td3 name is not protected", "TD3", 1, 7, "A", []),
        # TD2, line 2: as TD3 up to 28, optional data 29-35, composite 36.
        ("td2 number", "TD2", 2, 2, "3", ["document_number_check_digit", COMPOSITE]),
        (
            "td2 number check",
            "TD2",
            2,
            10,
            "8",
            ["document_number_check_digit", COMPOSITE],
        ),
        ("td2 birth", "TD2", 2, 19, "3", ["birth_date_check_digit", COMPOSITE]),
        ("td2 birth check", "TD2", 2, 20, "4", ["birth_date_check_digit", COMPOSITE]),
        ("td2 expiry", "TD2", 2, 22, "0", ["expiry_date_check_digit", COMPOSITE]),
        ("td2 expiry check", "TD2", 2, 28, "1", ["expiry_date_check_digit", COMPOSITE]),
        ("td2 optional data", "TD2", 2, 30, "X", [COMPOSITE]),
        ("td2 composite", "TD2", 2, 36, "5", [COMPOSITE]),
        # TD1: number line 1 6-14, check 15, optional 16-30; line 2 birth 1-6,
        # check 7, expiry 9-14, check 15, optional 19-29, composite 30.
        ("td1 number", "TD1", 1, 7, "3", ["document_number_check_digit", COMPOSITE]),
        (
            "td1 number check",
            "TD1",
            1,
            15,
            "8",
            ["document_number_check_digit", COMPOSITE],
        ),
        ("td1 optional data", "TD1", 1, 20, "B", [COMPOSITE]),
        ("td1 birth", "TD1", 2, 2, "5", ["birth_date_check_digit", COMPOSITE]),
        ("td1 birth check", "TD1", 2, 7, "0", ["birth_date_check_digit", COMPOSITE]),
        ("td1 expiry", "TD1", 2, 14, "6", ["expiry_date_check_digit", COMPOSITE]),
        ("td1 expiry check", "TD1", 2, 15, "1", ["expiry_date_check_digit", COMPOSITE]),
        ("td1 optional data 2", "TD1", 2, 20, "9", [COMPOSITE]),
        ("td1 composite", "TD1", 2, 30, "7", [COMPOSITE]),
        ("td1 sex", "TD1", 2, 8, "1", ["sex_invalid"]),
        ("td1 document code", "TD1", 1, 1, "P", ["document_type_invalid"]),
        ("td1 name", "TD1", 3, 1, "1", ["name_invalid"]),
    ],
)
def test_one_changed_character_is_named_by_field_and_rule(
    _case: str,
    specimen: str,
    line: int,
    position: int,
    char: str,
    expected: list[str],
) -> None:
    changed = altered(SPECIMENS[specimen], line, position, char)
    result = check_mrz(changed, on=ON)
    assert [error.code for error in result.errors] == expected
    assert result.valid is (not expected)
    for error in result.errors:
        assert error.field in error.code or error.code.startswith(error.field)
        assert error.text


def test_a_removed_surname_start_is_still_read() -> None:
    # "<RIKSSON": leading fillers are dropped, the rest is still the surname.
    result = check_mrz(altered(TD3, 1, 6, "<"), on=ON)
    assert result.fields["surname"] == "RIKSSON"


def test_an_empty_name_is_refused() -> None:
    lines = [TD3[0][:5] + "<" * 39, TD3[1]]
    assert codes(lines) == ["name_missing"]


def test_an_empty_document_number_is_refused() -> None:
    lines = zones.td3(number="")
    assert codes(lines) == ["document_number_missing"]


def test_every_error_message_names_the_field_and_the_position() -> None:
    result = check_mrz(altered(TD3, 2, 20, "3"), on=ON)
    assert [error.as_dict() for error in result.errors] == [
        {
            "code": "birth_date_check_digit",
            "field": "birth_date",
            "message": "Birth date: the check digit (line 2, position 20) does not "
            "match the characters it protects; one of them was misread or mistyped.",
        },
        {
            "code": "composite_check_digit",
            "field": "composite",
            "message": "Composite check over the zone: the check digit (line 2, "
            "position 44) does not match the characters it protects; one of them was "
            "misread or mistyped.",
        },
    ]


@pytest.mark.parametrize(
    ("language", "start"),
    [
        ("fr", "Date de naissance"),
        ("nl", "Geboortedatum"),
        ("de", "Geburtsdatum"),
        ("en", "Birth date"),
    ],
)
def test_messages_follow_the_active_language(language: str, start: str) -> None:
    result = check_mrz(altered(TD3, 2, 20, "3"), on=ON)
    with translation.override(language):
        assert result.errors[0].text.startswith(start)


@pytest.mark.parametrize(
    ("_case", "lines", "expected", "field"),
    [
        ("one line", [TD3[0]], ["line_count"], None),
        ("four lines", [*TD1, TD1[0]], ["line_count"], None),
        ("no line", [], ["line_count"], None),
        ("td3 line 2 too short", [TD3[0], TD3[1][:43]], ["line_length"], "line_2"),
        ("td3 line 1 too long", [TD3[0] + "<", TD3[1]], ["line_length"], "line_1"),
        (
            "td1 line 3 too short",
            [TD1[0], TD1[1], TD1[2][:29]],
            ["line_length"],
            "line_3",
        ),
        ("td2 line 2 too long", [TD2[0], TD2[1] + "<"], ["line_length"], "line_2"),
        (
            "two lines of 40",
            [TD3[0][:40], TD3[1][:40]],
            ["line_length", "line_length"],
            "line_1",
        ),
        ("lower case", [TD3[0], TD3[1].lower()], ["character"], "line_2"),
        ("a dash", [TD3[0], "L898902C3-" + TD3[1][10:]], ["character"], "line_2"),
        (
            "a space",
            [TD1[0], TD1[1][:10] + " " + TD1[1][11:], TD1[2]],
            ["character"],
            "line_2",
        ),
    ],
)
def test_refuses_wrong_line_counts_lengths_and_characters(
    _case: str, lines: list[str], expected: list[str], field: str | None
) -> None:
    result = check_mrz(lines, on=ON)
    assert not result.valid
    assert [error.code for error in result.errors] == expected
    assert result.errors[0].field == (field or "")
    assert result.fields == {}


def test_a_wrong_character_message_says_where() -> None:
    result = check_mrz([TD3[0], "L898902C3-" + TD3[1][10:]], on=ON)
    assert result.errors[0].text == (
        "Line 2, position 10: '-' is not allowed; a machine-readable zone has only "
        "capital letters A-Z, digits and the filler <."
    )


def test_lines_may_come_in_one_value_with_line_breaks() -> None:
    result = check_mrz(["\n".join(TD3) + "\n"], on=ON)
    assert result.valid
    assert result.normalized == "\n".join(TD3)
    assert check_mrz([f"  {TD1[0]}  ", TD1[1], TD1[2]], on=ON).valid


def test_reads_a_belgian_eid_with_a_long_document_number() -> None:
    lines = zones.td1(number="592123456789", optional_2="85073003328")
    assert lines[0][14] == "<"
    result = check_mrz(lines, on=ON)
    assert result.valid, result.errors
    assert result.fields["document_number"] == "592123456789"
    assert result.fields["optional_data"] == ""
    assert result.fields["optional_data_2"] == "85073003328"
    assert result.fields["document_type"] == "ID"
    assert result.fields["issuing_state"] == "BEL"
    assert result.warnings == ()


def test_a_long_document_number_check_digit_covers_the_whole_number() -> None:
    lines = zones.td1(number="592123456789")
    overflow_digit = altered(lines, 1, 17, "9")  # "789" becomes "799"
    assert codes(overflow_digit) == ["document_number_check_digit", COMPOSITE]
    check_position = 15 + len("789") + 1
    wrong_check = altered(
        lines, 1, check_position, str((int(lines[0][check_position - 1]) + 1) % 10)
    )
    assert codes(wrong_check) == ["document_number_check_digit", COMPOSITE]


def test_a_long_document_number_keeps_the_optional_data_after_it() -> None:
    lines = zones.td1(number="592123456789", optional="AB12")
    result = check_mrz(lines, on=ON)
    assert result.valid
    assert result.fields["optional_data"] == "AB12"


def test_a_filler_instead_of_a_check_digit_without_overflow_is_refused() -> None:
    lines = altered(TD1, 1, 15, "<")
    result = check_mrz(lines, on=ON)
    assert [error.code for error in result.errors] == [
        "document_number_check_digit",
        COMPOSITE,
    ]
    assert "must be a digit" in result.errors[0].text


@pytest.mark.parametrize(
    ("_case", "birth", "on", "expected"),
    [
        ("last century", "740812", ON, "1974-08-12"),
        ("this century", "150301", ON, "2015-03-01"),
        ("on the reference date", "260101", ON, "2026-01-01"),
        ("one day later goes back a century", "260102", ON, "1926-01-02"),
        ("born 2000 seen from 1999", "000101", dt.date(1999, 6, 1), "1900-01-01"),
        ("29 February 2000", "000229", ON, "2000-02-29"),
    ],
)
def test_birth_years_are_never_in_the_future(
    _case: str, birth: str, on: dt.date, expected: str
) -> None:
    date = dt.date.fromisoformat(expected)
    lines = zones.td3(birth=date)
    assert lines[1][13:19] == birth
    result = check_mrz(lines, on=on)
    assert result.valid
    assert result.fields["birth_date"] == expected


def test_a_29_february_that_can_only_be_in_the_future_is_refused() -> None:
    lines = zones.td3(birth=dt.date(2000, 2, 29))
    result = check_mrz(lines, on=dt.date(2000, 1, 1))
    assert [error.code for error in result.errors] == ["birth_date_invalid"]
    assert result.fields["birth_date"] is None


@pytest.mark.parametrize(
    ("_case", "expiry", "expected", "expired"),
    [
        ("next year", dt.date(2027, 3, 1), "2027-03-01", False),
        ("30 years ahead", dt.date(2056, 1, 1), "2056-01-01", False),
        ("31 years ahead reads as the past", dt.date(2057, 1, 1), "1957-01-01", True),
        ("on the reference date", ON, "2026-01-01", False),
        ("the day before", dt.date(2025, 12, 31), "2025-12-31", True),
    ],
)
def test_expiry_years_are_resolved_and_compared_with_the_reference_date(
    _case: str, expiry: dt.date, expected: str, expired: bool
) -> None:
    result = check_mrz(zones.td3(expiry=expiry), on=ON)
    assert result.valid
    assert result.fields["expiry_date"] == expected
    assert result.fields["expired"] is expired
    assert ("expired" in [warning.code for warning in result.warnings]) is expired


def test_expired_follows_the_reference_date() -> None:
    assert check_mrz(TD3, on=dt.date(2012, 4, 15)).fields["expired"] is False
    assert check_mrz(TD3, on=dt.date(2012, 4, 16)).fields["expired"] is True


def test_expiry_resolution_works_in_the_next_century() -> None:
    result = check_mrz(zones.td3(expiry=dt.date(2100, 5, 1)), on=dt.date(2095, 1, 1))
    assert result.fields["expiry_date"] == "2100-05-01"


def test_unknown_dates_written_as_fillers_are_read_as_unknown() -> None:
    result = check_mrz(zones.td1(number="AB1234567", birth=None, expiry=None), on=ON)
    assert result.valid, result.errors
    assert result.fields["birth_date"] is None
    assert result.fields["expiry_date"] is None
    assert result.fields["expired"] is False


def test_a_filler_check_digit_is_accepted_for_an_empty_personal_number() -> None:
    lines = zones.td3(personal="")
    with_filler = altered(lines, 2, 43, "<")
    # The composite check covers position 43, so it is recomputed.
    line2 = with_filler[1][:43]
    with_filler[1] = line2 + zones.digit(line2[0:10] + line2[13:20] + line2[21:43])
    assert check_mrz(with_filler, on=ON).valid


@pytest.mark.parametrize(
    ("sex", "expected"), [("M", "M"), ("F", "F"), ("<", "X"), ("X", "X")]
)
def test_reads_sex(sex: str, expected: str) -> None:
    assert check_mrz(zones.td3(sex=sex), on=ON).fields["sex"] == expected


def test_reads_compound_names() -> None:
    lines = zones.td3(surname="VAN DER BERG", given_names="JAN PIETER")
    result = check_mrz(lines, on=ON)
    assert (result.fields["surname"], result.fields["given_names"]) == (
        "VAN DER BERG",
        "JAN PIETER",
    )


def test_a_surname_without_given_names() -> None:
    lines = [zones.pad("P<BELPEETERS", 44), zones.td3()[1]]
    result = check_mrz(lines, on=ON)
    assert (result.fields["surname"], result.fields["given_names"]) == ("PEETERS", "")


def test_two_letter_document_codes_such_as_the_belgian_diplomatic_pd() -> None:
    result = check_mrz(zones.td3(code="PD"), on=ON)
    assert result.valid
    assert result.fields["document_type"] == "PD"


def test_german_d_and_unknown_state_codes() -> None:
    german = check_mrz(zones.td3(state="D", nationality="D"), on=ON)
    assert german.valid
    assert (german.fields["issuing_state"], german.warnings) == ("D", ())
    unknown = check_mrz(zones.td3(state="ZZZ", nationality="QQQ"), on=ON)
    assert unknown.valid
    assert [warning.code for warning in unknown.warnings] == [
        "issuing_state_unknown",
        "nationality_unknown",
    ]
    assert [warning.field for warning in unknown.warnings] == [
        "issuing_state",
        "nationality",
    ]


@pytest.mark.parametrize(("width", "layout"), [(44, "MRVA"), (36, "MRVB")])
def test_reads_machine_readable_visas_without_composite(
    width: int, layout: str
) -> None:
    lines = zones.mrv(width=width, optional="X1")
    result = check_mrz(lines, on=ON)
    assert result.valid, result.errors
    assert result.fields["format"] == layout
    assert result.fields["document_type"] == "V"
    assert result.fields["optional_data"] == "X1"
    assert codes(altered(lines, 2, 2, "9")) == ["document_number_check_digit"]


CHECKED = {
    # line index (0-based) -> positions (0-based) protected by a check digit
    "TD3": {1: [*range(10), *range(13, 20), *range(21, 44)]},
    "TD2": {1: [*range(10), *range(13, 20), *range(21, 36)]},
    "TD1": {0: list(range(5, 30)), 1: [*range(7), *range(8, 15), *range(18, 30)]},
}

names = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1, max_size=12)
numbers = st.text(
    alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=1, max_size=9
)
births = st.dates(min_value=dt.date(1927, 1, 2), max_value=dt.date(2025, 12, 31))
expiries = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2055, 12, 31))
sexes = st.sampled_from(["M", "F", "<"])


@st.composite
def valid_zones(draw: st.DrawFn) -> tuple[str, list[str]]:
    layout = draw(st.sampled_from(["TD1", "TD2", "TD3"]))
    common: dict[str, Any] = {
        "number": draw(numbers),
        "birth": draw(births),
        "expiry": draw(expiries),
        "sex": draw(sexes),
        "surname": draw(names),
        "given_names": draw(names),
    }
    if layout == "TD3":
        personal = draw(st.text(alphabet="ABC0123456789<", max_size=14))
        return layout, zones.td3(personal=personal, **common)
    if layout == "TD2":
        return layout, zones.td2(**common)
    if draw(st.booleans()):
        common["number"] = draw(st.from_regex(r"\A[0-9]{10,12}\Z"))
    return layout, zones.td1(**common)


@given(zone=valid_zones(), pick=st.integers(min_value=0), delta=st.integers(1, 9))
def test_any_one_digit_changed_in_a_checked_field_is_refused(
    zone: tuple[str, list[str]], pick: int, delta: int
) -> None:
    layout, lines = zone
    assert check_mrz(lines, on=ON).valid
    digits = [
        (line, position)
        for line, positions in CHECKED[layout].items()
        for position in positions
        if lines[line][position].isdigit()
    ]
    line, position = digits[pick % len(digits)]
    old = lines[line][position]
    changed = altered(lines, line + 1, position + 1, str((int(old) + delta) % 10))
    result = check_mrz(changed, on=ON)
    assert not result.valid
    assert any(error.code.endswith("check_digit") for error in result.errors)
