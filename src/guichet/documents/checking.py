"""Which checks fit which document, and whether what a check read fits the record.

Pure functions (no database): `document_verify` calls them. An identity document is
checked through its machine-readable zone (and the national number printed on a
Belgian card or permit); a bank document through its IBAN and BIC; a payment
document through its structured reference too; an employer's certificate through the
employer's enterprise number and the worker's national number.

What a check reads is then compared with what Guichet knows: a zone whose birth date
or surname differs from the person's, or whose expiry date or number differs from
the document's record, gets a warning. The check itself stays valid (the zone may be
right and the record wrong); the agent decides.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from django.utils.translation import gettext_lazy as _

from guichet.checks.kinds import KINDS
from guichet.checks.result import CheckError, CheckResult
from guichet.core.text import fold

from .models import DocumentType

CHECKS_BY_TYPE: Mapping[str, tuple[str, ...]] = {
    DocumentType.IDENTITY_CARD: ("mrz", "niss"),
    DocumentType.PASSPORT: ("mrz",),
    DocumentType.RESIDENCE_PERMIT: ("mrz", "niss"),
    DocumentType.VISA: ("mrz",),
    DocumentType.BANK_DOCUMENT: ("iban", "bic"),
    DocumentType.PAYMENT_DOCUMENT: ("ogm", "iban", "bic"),
    DocumentType.EMPLOYER_CERTIFICATE: ("bce", "niss"),
    DocumentType.CIVIL_STATUS: ("niss",),
    DocumentType.OTHER: KINDS,
}

# ICAO Doc 9303 Part 3 transliterations that plain accent folding gets wrong
# ("MÜLLER" is "MUELLER" in a zone, not "MULLER").
_ICAO_LETTERS = str.maketrans(
    {
        "ä": "ae",
        "ö": "oe",
        "ü": "ue",
        "å": "aa",
        "æ": "ae",
        "ø": "oe",
        "œ": "oe",
        "ß": "ss",
        "þ": "th",
    }
)


def checks_for(document_type: str) -> tuple[str, ...]:
    return CHECKS_BY_TYPE.get(document_type, ())


@dataclass(frozen=True)
class Record:
    """What Guichet knows about the document and its person."""

    expires_on: dt.date | None
    document_number: str
    birth_date: dt.date | None
    surname: str
    national_number: str | None


def _letters(text: str) -> str:
    return fold(text).replace(" ", "")


def _same_surname(read: str, known: str) -> bool:
    candidates = {_letters(known), _letters(known.casefold().translate(_ICAO_LETTERS))}
    return _letters(read) in candidates


def _compact(text: str) -> str:
    return "".join(char for char in text.upper() if char.isalnum())


def _mrz_warnings(fields: Mapping[str, Any], record: Record) -> list[CheckError]:
    warnings = []
    read_expiry = fields.get("expiry_date")
    if (
        read_expiry
        and record.expires_on
        and read_expiry != record.expires_on.isoformat()
    ):
        warnings.append(
            CheckError(
                "expiry_date_mismatch",
                _(
                    "The zone gives %(read)s as expiry date; the document's record says "
                    "%(recorded)s."
                ),
                {"read": read_expiry, "recorded": record.expires_on.isoformat()},
                "expiry_date",
            )
        )
    read_number = fields.get("document_number")
    if (
        read_number
        and record.document_number
        and _compact(read_number) != _compact(record.document_number)
    ):
        warnings.append(
            CheckError(
                "document_number_mismatch",
                _(
                    "The zone gives %(read)s as document number; the document's record "
                    "says %(recorded)s."
                ),
                {"read": read_number, "recorded": record.document_number},
                "document_number",
            )
        )
    read_birth = fields.get("birth_date")
    if read_birth and record.birth_date and read_birth != record.birth_date.isoformat():
        warnings.append(
            CheckError(
                "birth_date_mismatch",
                _(
                    "The zone gives %(read)s as birth date; the person's record says "
                    "%(recorded)s: is this the person's document?"
                ),
                {"read": read_birth, "recorded": record.birth_date.isoformat()},
                "birth_date",
            )
        )
    read_surname = fields.get("surname")
    if (
        read_surname
        and record.surname
        and not _same_surname(read_surname, record.surname)
    ):
        warnings.append(
            CheckError(
                "surname_mismatch",
                _(
                    "The zone gives %(read)s as surname; the person's record says "
                    "%(recorded)s: is this the person's document?"
                ),
                {"read": read_surname, "recorded": record.surname},
                "surname",
            )
        )
    return warnings


def _niss_warnings(result: CheckResult, record: Record) -> list[CheckError]:
    if record.national_number and result.normalized != record.national_number:
        return [
            CheckError(
                "national_number_mismatch",
                _(
                    "This national number is not the one of the person's record: is "
                    "this the person's document?"
                ),
            )
        ]
    return []


def compared_with_record(result: CheckResult, record: Record) -> CheckResult:
    """The result with a warning for each fact read that differs from the record."""
    if result.kind == "mrz":
        extra = _mrz_warnings(result.fields, record)
    elif result.kind == "niss" and result.valid:
        extra = _niss_warnings(result, record)
    else:
        extra = []
    return replace(result, warnings=(*result.warnings, *extra))
