"""Machine-readable zones of travel documents (ICAO Doc 9303).

Layouts (docs/sources.md §3.2; Doc 9303 Parts 4 to 7), positions 1-based:

- TD3 (passports): 2 lines of 44. Line 1: document code 1-2, issuing state 3-5, name
  6-44. Line 2: document number 1-9 and check 10, nationality 11-13, birth date
  14-19 and check 20, sex 21, expiry date 22-27 and check 28, optional data
  (personal number) 29-42 and check 43, composite check 44 over 1-10, 14-20, 22-43.
- TD2: 2 lines of 36. As TD3, with optional data 29-35 (no check of its own) and the
  composite check 36 over 1-10, 14-20, 22-35.
- TD1 (identity cards): 3 lines of 30. Line 1: document code 1-2, issuing state 3-5,
  document number 6-14 and check 15, optional data 16-30. Line 2: birth date 1-6 and
  check 7, sex 8, expiry date 9-14 and check 15, nationality 16-18, optional data
  19-29, composite check 30 over line 1 6-30 and line 2 1-7, 9-15, 19-29. Line 3:
  name.
  A document number longer than 9 characters (Belgian eID cards, §3.2) puts its first
  9 characters in 6-14, `<` in 15, the rest from 16 on, then the check digit computed
  over the whole number, then `<`; the optional data follow.
- Machine-readable visas (Doc 9303 Part 7), recognised by a document code starting
  with V: MRV-A has the TD3 size, MRV-B the TD2 size, with optional data up to the end
  of line 2 and no composite check.

Check digit (§3.1): characters valued 0-9, A-Z = 10-35, `<` = 0, weighted 7, 3, 1
from the left; the sum modulo 10. A check digit of an optional field (or a date)
that is all fillers may be `<` as well as 0.

Dates have two-digit years. A birth date takes the latest century that does not put
it after the reference date (`on`, today by default). An expiry date takes the
century that puts it at most 30 years after the reference date (a Belgian eID card
issued at 75 is valid 30 years) and otherwise the one before. `expired` is true when
the expiry date is before the reference date. Sex is M, F or X (unspecified, `<` or
X in the zone).

Error codes (stable; `field` names the part of the zone):
`line_count`, `line_length`, `character` (field `line_1`..`line_3`);
`document_type_invalid`, `issuing_state_invalid`, `nationality_invalid`,
`name_invalid`, `name_missing`, `document_number_missing`, `sex_invalid`,
`birth_date_invalid`, `expiry_date_invalid`; and one per check digit:
`document_number_check_digit`, `birth_date_check_digit`,
`expiry_date_check_digit`, `optional_data_check_digit`, `composite_check_digit`.
Warning codes: `issuing_state_unknown`, `nationality_unknown`, `specimen`,
`expired`.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from guichet.core import clock

from . import icao_codes
from .result import CheckError, CheckResult, concluded, refused

KIND = "mrz"
FILLER = "<"
_WEIGHTS = (7, 3, 1)
_ALLOWED = re.compile(r"[A-Z0-9<]")
# How far ahead of the reference date an expiry date may lie (see the docstring).
EXPIRY_YEARS_AHEAD = 30

FORMATS_BY_LENGTH = {30: "TD1", 36: "TD2", 44: "TD3"}
# Allowed first characters of the document code (Doc 9303 Parts 4, 5, 6 and 7).
DOCUMENT_CODES = {
    "TD1": "ACI",
    "TD2": "ACI",
    "TD3": "P",
    "MRVA": "V",
    "MRVB": "V",
}

LABELS: dict[str, Promise] = {
    "document_type": _("Document type"),
    "issuing_state": _("Issuing state"),
    "name": _("Name"),
    "document_number": _("Document number"),
    "nationality": _("Nationality"),
    "birth_date": _("Birth date"),
    "sex": _("Sex"),
    "expiry_date": _("Expiry date"),
    "optional_data": _("Optional data"),
    "composite": _("Composite check over the zone"),
}


def character_value(char: str) -> int:
    """0-9 for digits, 10-35 for A-Z, 0 for the filler (§3.1)."""
    if char == FILLER:
        return 0
    if char.isdigit():
        return int(char)
    if "A" <= char <= "Z":
        return ord(char) - ord("A") + 10
    raise ValueError(f"{char!r} is not a machine-readable-zone character")


def check_digit(data: str) -> str:
    """The ICAO 9303 check digit of `data`: weights 7, 3, 1; sum modulo 10."""
    total = sum(
        character_value(char) * _WEIGHTS[index % 3] for index, char in enumerate(data)
    )
    return str(total % 10)


@dataclass(frozen=True)
class Part:
    """Characters of the zone, with where they start (1-based line and position)."""

    text: str
    line: int
    position: int


def _part(lines: Sequence[str], line: int, start: int, end: int) -> Part:
    """Characters `start`..`end` (1-based, inclusive) of line `line` (1-based)."""
    return Part(lines[line - 1][start - 1 : end], line, start)


@dataclass(frozen=True)
class Zone:
    """The parts of a zone, whatever its layout."""

    format: str
    document_code: Part
    issuing_state: Part
    name: Part
    document_number: Part
    document_number_check: Part
    nationality: Part
    birth_date: Part
    birth_date_check: Part
    sex: Part
    expiry_date: Part
    expiry_date_check: Part
    optional_data: Part
    optional_data_check: Part | None
    optional_data_2: Part | None
    composite_data: str | None
    composite_check: Part | None


def _two_line(lines: Sequence[str], layout: str) -> Zone:
    """TD3, TD2, MRV-A and MRV-B share their first 28 positions of line 2."""
    width = len(lines[0])
    line2 = lines[1]
    is_visa = layout.startswith("MRV")
    has_personal_check = layout == "TD3"
    optional_end = width - 2 if has_personal_check else width - 1
    if is_visa:
        optional_end = width
    return Zone(
        format=layout,
        document_code=_part(lines, 1, 1, 2),
        issuing_state=_part(lines, 1, 3, 5),
        name=_part(lines, 1, 6, width),
        document_number=_part(lines, 2, 1, 9),
        document_number_check=_part(lines, 2, 10, 10),
        nationality=_part(lines, 2, 11, 13),
        birth_date=_part(lines, 2, 14, 19),
        birth_date_check=_part(lines, 2, 20, 20),
        sex=_part(lines, 2, 21, 21),
        expiry_date=_part(lines, 2, 22, 27),
        expiry_date_check=_part(lines, 2, 28, 28),
        optional_data=_part(lines, 2, 29, optional_end),
        optional_data_check=(
            _part(lines, 2, width - 1, width - 1) if has_personal_check else None
        ),
        optional_data_2=None,
        composite_data=(
            None if is_visa else line2[0:10] + line2[13:20] + line2[21 : width - 1]
        ),
        composite_check=None if is_visa else _part(lines, 2, width, width),
    )


def _td1(lines: Sequence[str]) -> Zone:
    line1, line2 = lines[0], lines[1]
    number = _part(lines, 1, 6, 14)
    number_check = _part(lines, 1, 15, 15)
    optional = _part(lines, 1, 16, 30)
    if number_check.text == FILLER:
        # Long document number (§3.2): the rest, its check digit, then a filler.
        overflow = optional.text.split(FILLER, 1)[0]
        if len(overflow) >= 2:
            number = Part(number.text + overflow[:-1], 1, 6)
            number_check = Part(overflow[-1], 1, 15 + len(overflow))
            optional = _part(lines, 1, 17 + len(overflow), 30)
    return Zone(
        format="TD1",
        document_code=_part(lines, 1, 1, 2),
        issuing_state=_part(lines, 1, 3, 5),
        name=_part(lines, 3, 1, 30),
        document_number=number,
        document_number_check=number_check,
        nationality=_part(lines, 2, 16, 18),
        birth_date=_part(lines, 2, 1, 6),
        birth_date_check=_part(lines, 2, 7, 7),
        sex=_part(lines, 2, 8, 8),
        expiry_date=_part(lines, 2, 9, 14),
        expiry_date_check=_part(lines, 2, 15, 15),
        optional_data=optional,
        optional_data_check=None,
        optional_data_2=_part(lines, 2, 19, 29),
        composite_data=line1[5:30] + line2[0:7] + line2[8:15] + line2[18:29],
        composite_check=_part(lines, 2, 30, 30),
    )


class _Findings:
    """Errors and warnings found so far, each tied to where it is in the zone."""

    def __init__(self) -> None:
        self.errors: list[tuple[tuple[int, int], CheckError]] = []
        self.warnings: list[CheckError] = []

    def error(
        self,
        where: Part,
        field: str,
        code: str,
        message: str | Promise,
        **params: object,
    ) -> None:
        params.setdefault("label", LABELS.get(field, field))
        params.setdefault("line", where.line)
        params.setdefault("position", where.position)
        self.errors.append(
            ((where.line, where.position), CheckError(code, message, params, field))
        )

    def warn(
        self, field: str, code: str, message: str | Promise, **params: object
    ) -> None:
        params.setdefault("label", LABELS.get(field, field))
        self.warnings.append(CheckError(code, message, params, field))

    def sorted_errors(self) -> list[CheckError]:
        return [error for _where, error in sorted(self.errors, key=lambda e: e[0])]


def _verify_check_digit(
    findings: _Findings, field: str, data: str, check: Part, *, may_be_filler: bool
) -> None:
    if check.text == FILLER and may_be_filler and set(data) <= {FILLER}:
        return
    if not check.text.isdigit():
        findings.error(
            check,
            field,
            f"{field}_check_digit",
            _(
                "%(label)s: the check digit (line %(line)d, position %(position)d) must "
                "be a digit, not %(found)s."
            ),
            found=check.text,
        )
    elif check.text != check_digit(data):
        findings.error(
            check,
            field,
            f"{field}_check_digit",
            _(
                "%(label)s: the check digit (line %(line)d, position %(position)d) does "
                "not match the characters it protects; one of them was misread or "
                "mistyped."
            ),
        )


def _text(part: Part) -> str:
    """A field's value with its fillers: trailing ones dropped, inner ones as spaces."""
    return " ".join(part.text.replace(FILLER, " ").split())


def _document_type(findings: _Findings, zone: Zone) -> str:
    code = zone.document_code.text
    allowed = DOCUMENT_CODES[zone.format]
    if code[0] not in allowed or not re.fullmatch(r"[A-Z<]", code[1]):
        findings.error(
            zone.document_code,
            "document_type",
            "document_type_invalid",
            _(
                "Document type: %(found)s is not the code of a %(format)s document, "
                "which starts with %(allowed)s."
            ),
            found=code,
            format=zone.format,
            allowed=" / ".join(allowed),
        )
    return code.replace(FILLER, "")


def _state(findings: _Findings, part: Part, field: str) -> str:
    if not re.fullmatch(r"[A-Z]{1,3}<*", part.text):
        findings.error(
            part,
            field,
            f"{field}_invalid",
            _(
                "%(label)s: %(found)s is not a code of three letters (or fewer, "
                "completed with <)."
            ),
            found=part.text,
        )
        return part.text
    code = part.text.replace(FILLER, "")
    if code == icao_codes.SPECIMEN:
        return code
    if code not in icao_codes.KNOWN:
        findings.warn(
            field,
            f"{field}_unknown",
            _(
                "%(label)s: %(found)s is not a known ICAO code; compare it with the "
                "printed page."
            ),
            found=code,
        )
    return code


def _names(findings: _Findings, zone: Zone) -> tuple[str, str]:
    text = zone.name.text
    bad = re.search(r"[^A-Z<]", text)
    if bad:
        findings.error(
            Part(bad.group(), zone.name.line, zone.name.position + bad.start()),
            "name",
            "name_invalid",
            _(
                "Name: only letters and < are allowed; line %(line)d, position "
                "%(position)d holds %(found)s."
            ),
            found=bad.group(),
        )
    surname, _separator, given = text.strip(FILLER).partition(FILLER * 2)
    if not surname:
        findings.error(
            zone.name,
            "name",
            "name_missing",
            _("Name: the surname (primary identifier) is missing."),
        )
    return (
        " ".join(surname.replace(FILLER, " ").split()),
        " ".join(given.replace(FILLER, " ").split()),
    )


def _date_parts(text: str) -> tuple[int, int, int] | None:
    """Year (two digits), month and day, if `text` is YYMMDD with a possible day."""
    if not re.fullmatch(r"[0-9]{6}", text):
        return None
    year, month, day = int(text[:2]), int(text[2:4]), int(text[4:])
    if not 1 <= month <= 12 or not 1 <= day <= calendar.monthrange(2000, month)[1]:
        return None
    return year, month, day


def _birth_date(findings: _Findings, part: Part, on: dt.date) -> dt.date | None:
    if part.text == FILLER * 6:
        return None
    parts = _date_parts(part.text)
    if parts is not None:
        year, month, day = parts
        for century in (on.year // 100 * 100, on.year // 100 * 100 - 100):
            if month == 2 and day == 29 and not calendar.isleap(century + year):
                continue
            candidate = dt.date(century + year, month, day)
            if candidate <= on:
                return candidate
    findings.error(
        part,
        "birth_date",
        "birth_date_invalid",
        _(
            "%(label)s: %(found)s is not a date written YYMMDD (year, month, day) that "
            "lies before %(on)s."
        ),
        found=part.text,
        on=on.isoformat(),
    )
    return None


def _expiry_date(findings: _Findings, part: Part, on: dt.date) -> dt.date | None:
    if part.text == FILLER * 6:
        return None
    parts = _date_parts(part.text)
    if parts is not None:
        year, month, day = parts
        full_year = on.year // 100 * 100 + year
        if full_year > on.year + EXPIRY_YEARS_AHEAD:
            full_year -= 100
        elif full_year <= on.year + EXPIRY_YEARS_AHEAD - 100:
            full_year += 100
        if not (month == 2 and day == 29 and not calendar.isleap(full_year)):
            return dt.date(full_year, month, day)
    findings.error(
        part,
        "expiry_date",
        "expiry_date_invalid",
        _("%(label)s: %(found)s is not a date written YYMMDD (year, month, day)."),
        found=part.text,
    )
    return None


def _sex(findings: _Findings, part: Part) -> str | None:
    if part.text in ("M", "F"):
        return part.text
    if part.text in ("X", FILLER):
        return "X"
    findings.error(
        part,
        "sex",
        "sex_invalid",
        _("Sex: %(found)s is not one of M, F, X or <."),
        found=part.text,
    )
    return None


def _document_number(findings: _Findings, zone: Zone) -> str:
    number = zone.document_number.text.replace(FILLER, "")
    if not number:
        findings.error(
            zone.document_number,
            "document_number",
            "document_number_missing",
            _("Document number: it is missing."),
        )
    return number


def lines_of(values: Sequence[str]) -> list[str]:
    """The zone's lines: one per value, a value may also hold several lines."""
    return [
        line.strip()
        for value in values
        for line in value.replace("\r", "\n").split("\n")
        if line.strip()
    ]


def _structure(lines: list[str]) -> list[CheckError]:
    """Errors of line count, line length and characters: nothing else can be read."""
    if len(lines) not in (2, 3):
        return [
            CheckError(
                "line_count",
                _(
                    "A machine-readable zone has 2 lines (passports: 44 characters each; "
                    "some cards and visas: 36) or 3 lines (identity cards: 30 "
                    "characters each); %(count)d given."
                ),
                {"count": len(lines)},
            )
        ]
    if len(lines) == 3:
        width = 30
    else:
        known = [len(line) for line in lines if len(line) in (36, 44)]
        if not known:
            return [
                CheckError(
                    "line_length",
                    _(
                        "Line %(line)d has %(count)d characters; a two-line zone has 44 "
                        "(passports) or 36 characters per line."
                    ),
                    {"line": index, "count": len(line)},
                    f"line_{index}",
                )
                for index, line in enumerate(lines, start=1)
            ]
        width = known[0]
    errors = [
        CheckError(
            "line_length",
            _(
                "Line %(line)d has %(count)d characters; each line of a %(format)s zone "
                "has %(expected)d."
            ),
            {
                "line": index,
                "count": len(line),
                "format": FORMATS_BY_LENGTH[width],
                "expected": width,
            },
            f"line_{index}",
        )
        for index, line in enumerate(lines, start=1)
        if len(line) != width
    ]
    for index, line in enumerate(lines, start=1):
        bad = next(
            (
                (position, char)
                for position, char in enumerate(line, start=1)
                if not _ALLOWED.fullmatch(char)
            ),
            None,
        )
        if bad is not None:
            errors.append(
                CheckError(
                    "character",
                    _(
                        "Line %(line)d, position %(position)d: %(found)s is not allowed; "
                        "a machine-readable zone has only capital letters A-Z, digits "
                        "and the filler <."
                    ),
                    {"line": index, "position": bad[0], "found": repr(bad[1])},
                    f"line_{index}",
                )
            )
    return errors


def _layout(lines: list[str]) -> str:
    width = len(lines[0])
    if width == 30:
        return "TD1"
    if lines[0].startswith("V"):
        return "MRVA" if width == 44 else "MRVB"
    return FORMATS_BY_LENGTH[width]


def check_mrz(values: Sequence[str], *, on: dt.date | None = None) -> CheckResult:
    """Check a machine-readable zone given as its lines; read its fields.

    `on` is the reference date for two-digit years and for `expired` (today by
    default).
    """
    on = on or clock.today()
    lines = lines_of(values)
    normalized = "\n".join(lines)
    structure = _structure(lines)
    if structure:
        return refused(KIND, normalized, *structure)
    layout = _layout(lines)
    zone = _td1(lines) if layout == "TD1" else _two_line(lines, layout)
    findings = _Findings()
    document_type = _document_type(findings, zone)
    issuing_state = _state(findings, zone.issuing_state, "issuing_state")
    surname, given_names = _names(findings, zone)
    document_number = _document_number(findings, zone)
    _verify_check_digit(
        findings,
        "document_number",
        zone.document_number.text,
        zone.document_number_check,
        may_be_filler=False,
    )
    nationality = _state(findings, zone.nationality, "nationality")
    birth_date = _birth_date(findings, zone.birth_date, on)
    _verify_check_digit(
        findings,
        "birth_date",
        zone.birth_date.text,
        zone.birth_date_check,
        may_be_filler=True,
    )
    sex = _sex(findings, zone.sex)
    expiry_date = _expiry_date(findings, zone.expiry_date, on)
    _verify_check_digit(
        findings,
        "expiry_date",
        zone.expiry_date.text,
        zone.expiry_date_check,
        may_be_filler=True,
    )
    if zone.optional_data_check is not None:
        _verify_check_digit(
            findings,
            "optional_data",
            zone.optional_data.text,
            zone.optional_data_check,
            may_be_filler=True,
        )
    if zone.composite_check is not None and zone.composite_data is not None:
        _verify_check_digit(
            findings,
            "composite",
            zone.composite_data,
            zone.composite_check,
            may_be_filler=False,
        )
    if icao_codes.SPECIMEN in (issuing_state, nationality):
        findings.warn(
            "issuing_state",
            "specimen",
            _(
                "UTO (Utopia) is the fictional state of the ICAO specimens: this is a "
                "specimen, not a real document."
            ),
        )
    expired = expiry_date is not None and expiry_date < on
    if expired and expiry_date is not None:
        findings.warn(
            "expiry_date",
            "expired",
            _("This document expired on %(date)s."),
            date=expiry_date.isoformat(),
        )
    fields: dict[str, object] = {
        "format": zone.format,
        "document_type": document_type,
        "issuing_state": issuing_state,
        "surname": surname,
        "given_names": given_names,
        "document_number": document_number,
        "nationality": nationality,
        "birth_date": birth_date.isoformat() if birth_date else None,
        "sex": sex,
        "expiry_date": expiry_date.isoformat() if expiry_date else None,
        "expired": expired,
        "optional_data": _text(zone.optional_data),
    }
    if zone.optional_data_2 is not None:
        fields["optional_data_2"] = _text(zone.optional_data_2)
    return concluded(
        KIND,
        normalized,
        errors=findings.sorted_errors(),
        warnings=findings.warnings,
        fields=fields,
    )
