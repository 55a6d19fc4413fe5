"""Dates, forms of address and numbers as letters write them in each language."""

from __future__ import annotations

import datetime as dt

import pytest

from guichet.correspondence import formatting


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fr", "23 novembre 2026"),
        ("nl", "23 november 2026"),
        ("de", "23. November 2026"),
        ("en", "23 November 2026"),
    ],
)
def test_dates_follow_each_language(language: str, expected: str) -> None:
    assert formatting.letter_date(dt.date(2026, 11, 23), language) == expected


def test_french_writes_the_first_of_the_month_as_an_ordinal() -> None:
    assert formatting.letter_date(dt.date(2027, 3, 1), "fr") == "1er mars 2027"
    assert formatting.letter_date(dt.date(2027, 3, 1), "nl") == "1 maart 2027"
    assert formatting.letter_date(dt.date(2027, 3, 1), "de") == "1. März 2027"


@pytest.mark.parametrize(
    ("sex", "language", "expected"),
    [
        ("F", "fr", "Madame,"),
        ("M", "fr", "Monsieur,"),
        ("X", "fr", "Madame, Monsieur,"),
        ("F", "nl", "Geachte mevrouw Peeters,"),
        ("M", "de", "Sehr geehrter Herr Peeters,"),
        ("U", "de", "Sehr geehrte Damen und Herren,"),
        ("F", "en", "Dear Ms Peeters,"),
    ],
)
def test_salutations(sex: str, language: str, expected: str) -> None:
    assert formatting.salutation(sex, "Peeters", language) == expected


def test_address_titles_and_numbers() -> None:
    assert formatting.address_title("M", "de") == "Herrn"
    assert formatting.address_title("X", "fr") == ""
    assert formatting.national_number("85073003328") == "85.07.30-033.28"
    assert formatting.letter_number("LEG", 2026, 123) == "LEG/2026/000123"
    assert formatting.letter_number("LEG", 2026, 1234567) == "LEG/2026/1234567"
    assert formatting.mail_number("SUP", 2026, 45) == "SUP/IN/2026/000045"
