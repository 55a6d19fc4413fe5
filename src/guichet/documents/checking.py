"""Which checks fit which document, and whether what a check read fits the record.

Pure functions (no database): `document_verify` calls them. An identity document is
checked through its machine-readable zone (and the national number printed on a
Belgian card or permit); a bank document through its IBAN and BIC; a payment
document through its structured reference too; an employer's certificate through the
employer's enterprise number and the worker's national number.

A verification passes (`Outcome.VERIFIED`) only when the value meets its own rules
AND it matches the person and the document on record (surname, first given name,
birth date, sex, document number, expiry date, nationality where known, national
number) AND the document is not expired on the reference date (the decision date).
A specimen never passes. Otherwise the outcome says why, most serious first:
`not_valid` (the value breaks its own rules: a misread or forged zone),
`does_not_match` (another person's or another document's data, or a specimen),
`expired`; the reasons list every finding, each with a stable code (issue #11).
Facts the record does not hold are not compared.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from guichet.checks.kinds import KINDS
from guichet.checks.result import CheckError, CheckResult
from guichet.core.text import fold

from .models import DocumentType, Outcome

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
    given_names: str = ""
    sex: str = ""  # M or F when known; anything else is not compared
    nationality: str = ""  # ICAO code (BEL) when known


@dataclass(frozen=True)
class Verdict:
    outcome: Outcome
    reasons: tuple[CheckError, ...]

    @property
    def passed(self) -> bool:
        return self.outcome == Outcome.VERIFIED


def _letters(text: str) -> str:
    return fold(text).replace(" ", "")


def _same_surname(read: str, known: str) -> bool:
    candidates = {_letters(known), _letters(known.casefold().translate(_ICAO_LETTERS))}
    return _letters(read) in candidates


def _compact(text: str) -> str:
    return "".join(char for char in text.upper() if char.isalnum())


def _mismatch(
    code: str, field: str, message: Any, read: object, recorded: object
) -> CheckError:
    return CheckError(code, message, {"read": read, "recorded": recorded}, field)


def _same_given_name(read: str, known: str) -> bool:
    """The first given name, as ICAO writes it (later ones may be cut off)."""
    read_words = fold(read).split()
    if not read_words:
        return True
    candidates = {
        next(iter(fold(variant).split()), "")
        for variant in (known, known.casefold().translate(_ICAO_LETTERS))
    }
    return read_words[0] in candidates


def _mrz_mismatches(fields: Mapping[str, Any], record: Record) -> list[CheckError]:
    found = []
    read_surname = fields.get("surname")
    if (
        read_surname
        and record.surname
        and not _same_surname(read_surname, record.surname)
    ):
        found.append(
            _mismatch(
                "surname_mismatch",
                "surname",
                _(
                    "The zone gives %(read)s as surname; the person's record says "
                    "%(recorded)s: this is not the person's document."
                ),
                read_surname,
                record.surname,
            )
        )
    read_given = fields.get("given_names")
    if (
        read_given
        and record.given_names
        and not _same_given_name(read_given, record.given_names)
    ):
        found.append(
            _mismatch(
                "given_names_mismatch",
                "given_names",
                _(
                    "The zone gives %(read)s as given names; the person's record says "
                    "%(recorded)s: this is not the person's document."
                ),
                read_given,
                record.given_names,
            )
        )
    read_birth = fields.get("birth_date")
    if read_birth and record.birth_date and read_birth != record.birth_date.isoformat():
        found.append(
            _mismatch(
                "birth_date_mismatch",
                "birth_date",
                _(
                    "The zone gives %(read)s as birth date; the person's record says "
                    "%(recorded)s: this is not the person's document."
                ),
                read_birth,
                record.birth_date.isoformat(),
            )
        )
    read_sex = fields.get("sex")
    if read_sex in {"M", "F"} and record.sex in {"M", "F"} and read_sex != record.sex:
        found.append(
            _mismatch(
                "sex_mismatch",
                "sex",
                _(
                    "The zone gives %(read)s as sex; the person's record says "
                    "%(recorded)s: this is not the person's document."
                ),
                read_sex,
                record.sex,
            )
        )
    read_nationality = fields.get("nationality")
    if (
        read_nationality
        and record.nationality
        and read_nationality != record.nationality
    ):
        found.append(
            _mismatch(
                "nationality_mismatch",
                "nationality",
                _(
                    "The zone gives %(read)s as nationality; the person's record says "
                    "%(recorded)s."
                ),
                read_nationality,
                record.nationality,
            )
        )
    read_number = fields.get("document_number")
    if (
        read_number
        and record.document_number
        and _compact(read_number) != _compact(record.document_number)
    ):
        found.append(
            _mismatch(
                "document_number_mismatch",
                "document_number",
                _(
                    "The zone gives %(read)s as document number; the document's record "
                    "says %(recorded)s: this is another document."
                ),
                read_number,
                record.document_number,
            )
        )
    read_expiry = fields.get("expiry_date")
    if (
        read_expiry
        and record.expires_on
        and read_expiry != record.expires_on.isoformat()
    ):
        found.append(
            _mismatch(
                "expiry_date_mismatch",
                "expiry_date",
                _(
                    "The zone gives %(read)s as expiry date; the document's record "
                    "says %(recorded)s: this is another document."
                ),
                read_expiry,
                record.expires_on.isoformat(),
            )
        )
    return found


def _niss_mismatches(result: CheckResult, record: Record) -> list[CheckError]:
    if record.national_number and result.normalized != record.national_number:
        return [
            CheckError(
                "national_number_mismatch",
                _(
                    "This national number is not the one of the person's record: this "
                    "is not the person's document."
                ),
            )
        ]
    return []


def _expiry(result: CheckResult, record: Record, on: dt.date) -> CheckError | None:
    """The document is no longer valid on `on`: by its zone, else by its record."""
    read = result.fields.get("expiry_date") if result.kind == "mrz" else None
    expires_on = dt.date.fromisoformat(read) if read else record.expires_on
    if expires_on is None or expires_on >= on:
        return None
    return CheckError(
        "expired",
        _("This document expired on %(date)s, before the reference date %(on)s."),
        {"date": expires_on.isoformat(), "on": on.isoformat()},
        "expiry_date",
    )


def verdict(result: CheckResult, record: Record, *, on: dt.date) -> Verdict:
    """Whether the check passes for this document and person on date `on`, and why
    not (every reason, with its stable code)."""
    reasons: list[CheckError] = list(result.errors)
    mismatches: list[CheckError] = []
    if result.kind == "mrz":
        mismatches = _mrz_mismatches(result.fields, record)
    elif result.kind == "niss" and result.valid:
        mismatches = _niss_mismatches(result, record)
    mismatches.extend(
        CheckError(
            warning.code,
            _("This is an ICAO specimen, not a real document: it never passes."),
            {},
            warning.field,
        )
        for warning in result.warnings
        if warning.code == "specimen"
    )
    reasons.extend(mismatches)
    expiry = _expiry(result, record, on)
    if expiry is not None:
        reasons.append(expiry)
    if not result.valid:
        outcome = Outcome.NOT_VALID
    elif mismatches:
        outcome = Outcome.DOES_NOT_MATCH
    elif expiry is not None:
        outcome = Outcome.EXPIRED
    else:
        outcome = Outcome.VERIFIED
    return Verdict(outcome=outcome, reasons=tuple(reasons))
