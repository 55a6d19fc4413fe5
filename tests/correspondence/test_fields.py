"""Typed free fields: declarations, checking an agent's value, printing it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import translation

import pytest
from hypothesis import given
from hypothesis import strategies as st

from guichet.correspondence import fields
from guichet.correspondence.fields import FieldSpec, FieldType, InvalidValue


def _labels(word: str) -> dict[str, str]:
    return {
        "fr": f"{word} (fr)",
        "nl": f"{word} (nl)",
        "de": f"{word} (de)",
        "en": word,
    }


DATE = FieldSpec("date", FieldType.DATE, _labels("Date of the appointment"))
TIME = FieldSpec("time", FieldType.TIME, _labels("Time"))
AMOUNT = FieldSpec("amount", FieldType.AMOUNT, _labels("Amount due"))
CHOICE = FieldSpec(
    "document",
    FieldType.CHOICE,
    _labels("Document"),
    options=(
        fields.Option("passport", _labels("passport")),
        fields.Option(
            "id_card",
            {
                "fr": "carte d'identité",
                "nl": "identiteitskaart",
                "de": "Personalausweis",
                "en": "identity card",
            },
        ),
    ),
)


def _refused(spec: FieldSpec, value: str) -> str:
    with pytest.raises(InvalidValue) as caught:
        fields.parse(spec, value)
    with translation.override("en"):
        return str(caught.value.message) % {
            key: str(item) for key, item in caught.value.params.items()
        }


@pytest.mark.parametrize(
    ("_case", "typed", "canonical"),
    [
        ("iso, from the date picker", "2027-03-31", "2027-03-31"),
        ("day/month/year", "31/03/2027", "2027-03-31"),
        ("single digits, dots", "1.3.2027", "2027-03-01"),
        ("empty", "  ", ""),
    ],
)
def test_a_date_is_kept_as_iso(_case: str, typed: str, canonical: str) -> None:
    assert fields.parse(DATE, typed) == canonical


@pytest.mark.parametrize("typed", ["31/02/2027", "2027-02-31", "3 mars", "32/01/2027"])
def test_an_impossible_date_is_refused_naming_the_field(typed: str) -> None:
    message = _refused(DATE, typed)
    assert message.startswith(f"Date of the appointment: {typed} is not a date.")


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("14:30", "14:30"),
        ("9:05", "09:05"),
        ("14h30", "14:30"),
        ("14h", "14:00"),
        ("8.15", "08:15"),
        ("14u30", "14:30"),
    ],
)
def test_a_time_is_kept_as_hours_and_minutes(typed: str, canonical: str) -> None:
    assert fields.parse(TIME, typed) == canonical


@pytest.mark.parametrize("typed", ["25:99", "24:00", "14:60", "half past two", "1430"])
def test_an_impossible_time_is_refused(typed: str) -> None:
    assert _refused(TIME, typed).startswith(f"Time: {typed} is not a time of day.")


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("1234.5", "1234.50"),
        ("1234,50", "1234.50"),
        ("1.234,50", "1234.50"),
        ("1 234,50 €", "1234.50"),
        ("0", "0.00"),
    ],
)
def test_an_amount_is_kept_in_euros_with_two_decimals(
    typed: str, canonical: str
) -> None:
    assert fields.parse(AMOUNT, typed) == canonical


@pytest.mark.parametrize("typed", ["-5", "12,345", "1.234", "lots", "1e3"])
def test_an_amount_that_is_not_one_is_refused(typed: str) -> None:
    assert _refused(AMOUNT, typed).startswith(f"Amount due: {typed} is not an amount")


def test_a_choice_takes_one_of_its_options() -> None:
    assert fields.parse(CHOICE, "id_card") == "id_card"
    assert _refused(CHOICE, "visa") == "Document: choose one of passport, id_card."


def test_the_error_names_the_field_in_the_readers_language() -> None:
    with pytest.raises(InvalidValue) as caught:
        fields.parse(DATE, "31/02/2027")
    with translation.override("nl"):
        label = str(caught.value.params["label"])
    assert label == "Date of the appointment (nl)"


@pytest.mark.parametrize(
    ("language", "date", "time", "amount", "choice"),
    [
        ("fr", "1er mars 2027", "14 h 30", "1\u00a0234,50\u00a0€", "carte d'identité"),
        ("nl", "1 maart 2027", "14.30 uur", "€\u00a01.234,50", "identiteitskaart"),
        ("de", "1. März 2027", "14:30 Uhr", "1.234,50\u00a0€", "Personalausweis"),
        ("en", "1 March 2027", "14:30", "€1,234.50", "identity card"),
    ],
)
def test_values_are_printed_as_a_belgian_letter_writes_them(
    language: str, date: str, time: str, amount: str, choice: str
) -> None:
    assert fields.display(DATE, "2027-03-01", language) == date
    assert fields.display(TIME, "14:30", language) == time
    assert fields.display(AMOUNT, "1234.50", language) == amount
    assert fields.display(CHOICE, "id_card", language) == choice


def test_a_time_on_the_hour_reads_naturally_in_french() -> None:
    assert fields.display(TIME, "09:00", "fr") == "9 h"
    assert fields.display(TIME, "09:00", "nl") == "9.00 uur"


def test_a_value_typed_before_its_field_was_typed_still_prints() -> None:
    assert fields.display(DATE, "31/03/2027", "nl") == "31 maart 2027"
    with pytest.raises(InvalidValue):
        fields.display(DATE, "31/02/2027", "nl")


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2199, 12, 31)))
def test_every_date_typed_either_way_is_the_same_date(day: dt.date) -> None:
    assert fields.parse(DATE, day.strftime("%d/%m/%Y")) == day.isoformat()
    assert fields.parse(DATE, day.isoformat()) == day.isoformat()


@given(st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False))
def test_every_amount_printed_in_french_reads_back_the_same(value: Decimal) -> None:
    printed = fields.display(AMOUNT, str(value), "fr")
    typed_back = printed.replace("\u00a0€", "").replace("\u00a0", " ")
    assert Decimal(fields.parse(AMOUNT, typed_back)) == value


def test_declarations_are_checked_and_kept_in_their_stored_form() -> None:
    clean, problems = fields.declarations(
        {
            "deadline": {"type": "date", "label": _labels("Deadline")},
            "document": {
                "type": "choice",
                "label": _labels("Document"),
                "options": {"passport": _labels("passport")},
            },
        }
    )
    assert problems == []
    assert fields.specs(clean)["document"].options[0].key == "passport"
    assert fields.specs(clean)["deadline"].label_in("de") == "Deadline (de)"


@pytest.mark.parametrize(
    ("_case", "raw", "paths"),
    [
        ("not a mapping", ["date"], [""]),
        (
            "unknown type",
            {"date": {"type": "day", "label": _labels("x")}},
            ["date.type"],
        ),
        (
            "a label missing",
            {"date": {"type": "date", "label": {"fr": "Date"}}},
            ["date.label.nl", "date.label.de", "date.label.en"],
        ),
        (
            "a choice without options",
            {"kind": {"type": "choice", "label": _labels("x")}},
            ["kind.options"],
        ),
        (
            "options on a date",
            {
                "date": {
                    "type": "date",
                    "label": _labels("x"),
                    "options": {"a": _labels("a")},
                }
            },
            ["date.options"],
        ),
        ("bad name", {"Date": {"type": "date", "label": _labels("x")}}, ["Date"]),
        (
            "unknown key",
            {"date": {"type": "date", "label": _labels("x"), "min": "today"}},
            ["date"],
        ),
    ],
)
def test_a_wrong_declaration_is_reported_where_it_is(
    _case: str, raw: object, paths: list[str]
) -> None:
    _clean, problems = fields.declarations(raw)
    assert [problem.path for problem in problems] == paths
