"""How letters write dates, names and forms of address in each language (no ORM).

Month names come from Django's own translations; only the order of day, month and
year differs by language. Forms of address depend on the person's sex and are letter
content, kept here as data in the four languages rather than in the UI catalogues.
"""

from __future__ import annotations

import datetime as dt
import re

from django.utils import dateformat, translation

# The order of the parts of a date in a letter (Django date format characters).
DATE_FORMATS = {"fr": "j F Y", "nl": "j F Y", "de": "j. F Y", "en": "j F Y"}

# Title before the name in the address block, by language and sex (M, F); none for
# X (other) and U (unknown). German uses the accusative "Herrn" on an envelope.
ADDRESS_TITLES: dict[str, dict[str, str]] = {
    "fr": {"M": "Monsieur", "F": "Madame"},
    "nl": {"M": "De heer", "F": "Mevrouw"},
    "de": {"M": "Herrn", "F": "Frau"},
    "en": {"M": "Mr", "F": "Ms"},
}

# Opening of the letter, by language and sex; `{surname}` is filled in where the
# language names the person. The neutral form serves X, U and unknown persons.
SALUTATIONS: dict[str, dict[str, str]] = {
    "fr": {"M": "Monsieur,", "F": "Madame,", "": "Madame, Monsieur,"},
    "nl": {
        "M": "Geachte heer {surname},",
        "F": "Geachte mevrouw {surname},",
        "": "Geachte mevrouw, geachte heer,",
    },
    "de": {
        "M": "Sehr geehrter Herr {surname},",
        "F": "Sehr geehrte Frau {surname},",
        "": "Sehr geehrte Damen und Herren,",
    },
    "en": {
        "M": "Dear Mr {surname},",
        "F": "Dear Ms {surname},",
        "": "Dear Sir or Madam,",
    },
}


def letter_date(value: dt.date, language: str) -> str:
    """23 novembre 2026, 23 november 2026, 23. November 2026, 23 November 2026.

    French writes the first of the month as an ordinal: 1er novembre 2026.
    """
    with translation.override(language):
        text = dateformat.format(value, DATE_FORMATS[language])
    if language == "fr" and value.day == 1:
        text = "1er" + text[1:]
    return text


def address_title(sex: str, language: str) -> str:
    return ADDRESS_TITLES[language].get(sex, "")


def salutation(sex: str, surname: str, language: str) -> str:
    forms = SALUTATIONS[language]
    return forms.get(sex, forms[""]).format(surname=surname)


def national_number(number: str) -> str:
    """85073003328 -> 85.07.30-033.28, as printed on Belgian documents."""
    if len(number) != 11 or not number.isdigit():
        return number
    return f"{number[0:2]}.{number[2:4]}.{number[4:6]}-{number[6:9]}.{number[9:11]}"


def letter_number(prefix: str, year: int, sequence: int) -> str:
    """The number of an outgoing letter: PREFIX/YEAR/SEQUENCE, sequence on 6 digits.

    LEG/2026/000123. Past 999999 the sequence simply gets more digits.
    """
    return f"{prefix}/{year}/{sequence:06d}"


def mail_number(prefix: str, year: int, sequence: int) -> str:
    """The number of incoming mail: PREFIX/IN/YEAR/SEQUENCE (LEG/IN/2026/000045)."""
    return f"{prefix}/IN/{year}/{sequence:06d}"


DRAFT_NUMBER_MARK = "······"
NUMBER_PLACEHOLDER = "{{ letter.number }}"


def draft_number(prefix: str, year: int) -> str:
    """What a draft shows where its number will be."""
    return f"{prefix}/{year}/{DRAFT_NUMBER_MARK}"


def restore_number_placeholder(text: str, prefix: str) -> str:
    """Put the number's placeholder back where a draft showed its future number.

    A DOCX downloaded from a draft shows `LEG/2026/······`; once edited and uploaded,
    that text must become the letter's real number when it is issued, not stay as is.
    """
    return re.sub(
        rf"{re.escape(prefix)}/\d{{4}}/{DRAFT_NUMBER_MARK}", NUMBER_PLACEHOLDER, text
    )
