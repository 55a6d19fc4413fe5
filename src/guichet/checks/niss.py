"""Belgian national register number (NN) and BIS number: the NISS / INSZ.

Rules (docs/sources.md §2.1-2.2, from python-stdnum `stdnum.be.nn` and
`stdnum.be.bis`, which cite IBZ document IT000_Rijksregisternummer):

- 11 digits `YYMMDD NNN CC`; the day counter `NNN` is odd for men, even for women;
- `CC = 97 - (first nine digits mod 97)` for people born before 2000, and
  `97 - ("2" + first nine digits) mod 97` for people born from 2000. The two rules
  never give the same check digits (2 000 000 000 mod 97 = 68), so the check digits
  tell the century. The 2000 rule is refused when it would put the birth in the
  future of the reference date;
- BIS numbers add 20 (sex unknown when assigned) or 40 (sex known) to the month;
- month 00 (and day 00, or a day past the month's end) mean the date was not known
  or the day's counter ran out; `000001`, `002001` and `004001` stand for a fully
  unknown birth date.

Error codes: `format` (characters other than digits and separators), `length` (not
11 digits), `checksum` (check digits), `month` (digits 3-4 are no month).
"""

from __future__ import annotations

import calendar
import datetime as dt

from django.utils.translation import gettext_lazy as _

from guichet.core import clock
from guichet.core.text import digits

from .result import CheckError, CheckResult, refused

KIND = "niss"
# 2 000 000 000 mod 97: what prefixing "2" adds to the nine digits, modulo 97.
_CENTURY_SHIFT = 2_000_000_000 % 97
_UNKNOWN_DATE = ("000001", "002001", "004001")


def check_digits(nine_digits: str, *, born_from_2000: bool) -> str:
    """The two check digits of a national or BIS number (§2.1)."""
    number = int(("2" if born_from_2000 else "") + nine_digits)
    return f"{97 - number % 97:02d}"


def _century(number: str, today: dt.date) -> int | None:
    """1900 or 2000, as the check digits say; None when neither rule matches."""
    if number[9:] == check_digits(number[:9], born_from_2000=False):
        return 1900
    if number[9:] == check_digits(number[:9], born_from_2000=True):
        return 2000 if 2000 + int(number[:2]) <= today.year else None
    return None


def _birth_parts(
    number: str, century: int
) -> tuple[int | None, int | None, int | None]:
    """Year, month and day of birth; None for each part that was not known."""
    if number[:6] in _UNKNOWN_DATE:
        return None, None, None
    year = century + int(number[:2])
    month = int(number[2:4]) % 20
    day = int(number[4:6])
    if month == 0:
        return year, None, None
    if day == 0 or day > calendar.monthrange(year, month)[1]:
        return year, month, None
    return year, month, day


def _kind_of_month(month: int) -> str | None:
    if month <= 12:
        return "nn"
    if 20 <= month <= 32 or 40 <= month <= 52:
        return "bis"
    return None


def check_niss(value: str, *, today: dt.date | None = None) -> CheckResult:
    """Check a national register or BIS number and read the birth date and sex.

    `today` is the reference date of the year-2000 rule (the service's today when
    not given).
    """
    raw = value.strip()
    if not raw or any(not (char.isdigit() or char in " .-/") for char in raw):
        return refused(
            KIND,
            raw,
            CheckError(
                "format",
                _(
                    "Only digits, with dots, dashes or spaces between them, are allowed."
                ),
            ),
        )
    number = digits(raw)
    if len(number) != 11:
        return refused(
            KIND,
            number,
            CheckError(
                "length",
                _(
                    "A national register or BIS number has 11 digits; this one has %(count)d."
                ),
                {"count": len(number)},
            ),
        )
    century = _century(number, today or clock.today())
    if century is None:
        return refused(
            KIND,
            number,
            CheckError(
                "checksum",
                _(
                    "The last two digits (check digits) do not match the first nine: a digit was mistyped."
                ),
            ),
        )
    month = int(number[2:4])
    kind = _kind_of_month(month)
    if kind is None:
        return refused(
            KIND,
            number,
            CheckError(
                "month",
                _(
                    "Digits 3 and 4 (%(month)02d) are not a month: 01-12 for a national "
                    "number, 20-32 or 40-52 for a BIS number."
                ),
                {"month": month},
                field="birth_date",
            ),
        )
    year, birth_month, day = _birth_parts(number, century)
    counter = int(number[6:9])
    sex: str | None = "M" if counter % 2 else "F"
    if kind == "bis" and month < 40:
        sex = None
    birth_date = (
        dt.date(year, birth_month, day)
        if year is not None and birth_month is not None and day is not None
        else None
    )
    return CheckResult(
        kind=KIND,
        valid=True,
        normalized=number,
        fields={
            "type": kind,
            "birth_date": birth_date.isoformat() if birth_date else None,
            "birth_year": year,
            "birth_month": birth_month,
            "sex": sex,
            "formatted": f"{number[:2]}.{number[2:4]}.{number[4:6]}-{number[6:9]}.{number[9:]}",
        },
    )
