"""Field rules for parties: each returns the clean value or adds a FieldError.

Pure functions (no ORM): the services call them and raise one `ValidationFailed`
with every problem at once, so the agent fixes the whole form in one go.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

import phonenumbers

from guichet.checks.bce import check_bce
from guichet.checks.niss import check_niss
from guichet.checks.result import CheckResult
from guichet.core.errors import FieldError
from guichet.core.text import fold
from guichet.core.validation import Problems, text

from .errors import Code

EARLIEST_BIRTH_DATE = dt.date(1890, 1, 1)
# At most this many phones, this many e-mail addresses and this many postal
# addresses per person (each kind counted apart): more is a mistake or abuse (one
# person was given 10,000 e-mail addresses, issue #12), never a real need.
MAX_CONTACT_POINTS = 20
# Control (Cc), format (Cf: right-to-left override, zero-width space and joiner,
# soft hyphen...), surrogate (Cs) and private-use (Co) characters: invisible or
# meaningless in a name, and a way to make two names look alike.
_REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co"})
_COUNTRY = re.compile(r"^[A-Z]{2}$")


def name(problems: Problems, field_name: str, value: object, *, max_length: int) -> str:
    """A person's or organisation's name: NFC, printable, and findable by search.

    Composed (NFC) so that "é" typed two ways is stored one way; control and
    format characters are refused; and a name must keep a letter or digit once
    folded for search (`core.text.fold`: Latin letters and digits, other scripts
    transliterated), or no search could ever find it.
    """
    raw = unicodedata.normalize("NFC", "" if value is None else str(value))
    refused = sorted(
        {
            f"U+{ord(char):04X}"
            for char in raw
            if unicodedata.category(char) in _REFUSED_CATEGORIES
            and char not in "\t\n\r"
        }
    )
    cleaned = text(problems, field_name, raw, required=True, max_length=max_length)
    if refused:
        problems.add(
            field_name,
            Code.NAME_CHARACTER,
            _(
                "A name cannot hold invisible or control characters (%(characters)s); "
                "type it again without them."
            ),
            characters=", ".join(refused),
        )
    elif cleaned and not fold(cleaned):
        problems.add(
            field_name,
            Code.NAME_NOT_SEARCHABLE,
            _(
                "A name needs at least one letter or digit, written as on the "
                "identity document, or no search could find it."
            ),
        )
    return cleaned


def contact_point_count(
    problems: Problems, field_name: str, count: int, *, kind: str
) -> None:
    """Refuse more than MAX_CONTACT_POINTS of one kind for one person."""
    if count > MAX_CONTACT_POINTS:
        problems.add(
            field_name,
            Code.TOO_MANY_CONTACT_POINTS,
            _(
                "A person can have at most %(max)d %(kind)s; remove one that is no "
                "longer used first."
            ),
            max=MAX_CONTACT_POINTS,
            kind=_CONTACT_KINDS[kind],
        )


_CONTACT_KINDS = {
    "phones": _("phone numbers"),
    "emails": _("e-mail addresses"),
    "addresses": _("postal addresses"),
}


def national_number(
    problems: Problems, field_name: str, value: str | None
) -> CheckResult | None:
    if value is None or not value.strip():
        return None
    result = check_niss(value)
    if not result.valid:
        for error in result.errors:
            problems.errors.append(
                FieldError(
                    field_name,
                    Code.INVALID_NATIONAL_NUMBER,
                    error.message,
                    error.params,
                )
            )
        return None
    return result


def birth_date(
    problems: Problems, field_name: str, value: dt.date | None, *, today: dt.date
) -> dt.date | None:
    if value is None:
        return None
    if value > today:
        problems.add(
            field_name,
            Code.BIRTH_DATE_IN_FUTURE,
            _("A birth date cannot be in the future."),
        )
    elif value < EARLIEST_BIRTH_DATE:
        problems.add(
            field_name,
            Code.BIRTH_DATE_TOO_OLD,
            _("A birth date cannot be before 1890."),
        )
    return value


def enterprise_number(
    problems: Problems, field_name: str, value: str | None
) -> str | None:
    if value is None or not value.strip():
        return None
    result = check_bce(value)
    if not result.valid:
        for error in result.errors:
            problems.errors.append(
                FieldError(
                    field_name,
                    Code.INVALID_ENTERPRISE_NUMBER,
                    error.message,
                    error.params,
                )
            )
        return None
    return result.normalized


def phone(
    problems: Problems, field_name: str, value: str, *, default_region: str = "BE"
) -> str:
    """Return the number in E.164 (+32...), reading national numbers as Belgian."""
    try:
        parsed = phonenumbers.parse(value, default_region)
    except phonenumbers.NumberParseException:
        parsed = None
    if parsed is None or not phonenumbers.is_valid_number(parsed):
        problems.add(
            field_name,
            Code.INVALID_PHONE,
            _(
                "This is not a valid phone number; write it as 0470 12 34 56 or +32 470 12 34 56."
            ),
        )
        return value
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def email(problems: Problems, field_name: str, value: str) -> str:
    cleaned = value.strip()
    try:
        validate_email(cleaned)
    except DjangoValidationError:
        problems.add(
            field_name, Code.INVALID_EMAIL, _("This is not a valid e-mail address.")
        )
        return cleaned
    local, _at, domain = cleaned.rpartition("@")
    return f"{local}@{domain.lower()}"


def country(problems: Problems, field_name: str, value: str) -> str:
    cleaned = value.strip().upper()
    if not _COUNTRY.match(cleaned):
        problems.add(
            field_name,
            Code.INVALID_COUNTRY,
            _("Give the country as its two-letter ISO code, such as BE or FR."),
        )
    return cleaned


def belgian_postal_code(problems: Problems, field_name: str, value: str) -> str:
    cleaned = value.strip()
    if not re.fullmatch(r"[1-9][0-9]{3}", cleaned):
        problems.add(
            field_name,
            Code.INVALID_POSTAL_CODE,
            _("A Belgian postal code has four digits, from 1000 to 9999."),
        )
    return cleaned


_SEX_WORDS = {"M": _("a man"), "F": _("a woman")}


def contradictions(
    number_fields: Mapping[str, Any], *, birth_date: dt.date | None, sex: str | None
) -> list[FieldError]:
    """Where the birth date or the sex contradicts what the national number says.

    An NN or BIS number encodes the birth date in its first six digits (YYMMDD; a
    BIS number adds 20 or 40 to the month) and the sex in the parity of the day
    counter (odd for men, even for women; a BIS number says it only when 40 was
    added): docs/sources.md §2.1-2.2 (the domain notes on identifiers), read
    by `checks.niss`. A part the number does not know (month 00, sex not assigned)
    or a sex other than M or F contradicts nothing.
    """
    found = []
    encoded_date = number_fields.get("birth_date")
    if encoded_date and birth_date and birth_date.isoformat() != encoded_date:
        found.append(
            FieldError(
                "birth_date",
                Code.BIRTH_DATE_MISMATCH,
                _(
                    "The birth date does not match the one in the national number "
                    "(%(encoded)s): correct one of them, or give the reason to keep "
                    "both."
                ),
                {"encoded": encoded_date},
            )
        )
    encoded_sex = number_fields.get("sex")
    if encoded_sex in _SEX_WORDS and sex in _SEX_WORDS and sex != encoded_sex:
        found.append(
            FieldError(
                "sex",
                Code.SEX_MISMATCH,
                _(
                    "The sex does not match the national number, which is the number "
                    "of %(encoded)s: correct one of them, or give the reason to keep "
                    "both."
                ),
                {"encoded": _SEX_WORDS[encoded_sex]},
            )
        )
    return found
