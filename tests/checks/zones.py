"""Build machine-readable zones for tests, with a check digit written independently
of `guichet.checks.mrz` (a table lookup instead of arithmetic on code points)."""

from __future__ import annotations

import datetime as dt
import string

_VALUES = {
    char: index for index, char in enumerate(string.digits + string.ascii_uppercase)
}
_VALUES["<"] = 0


def digit(data: str) -> str:
    weights = [7, 3, 1] * (len(data) // 3 + 1)
    return str(
        sum(_VALUES[char] * weight for char, weight in zip(data, weights, strict=False))
        % 10
    )


def pad(text: str, width: int) -> str:
    assert len(text) <= width, (text, width)
    return text + "<" * (width - len(text))


def yymmdd(date: dt.date | None) -> str:
    return date.strftime("%y%m%d") if date else "<<<<<<"


def name_field(surname: str, given_names: str, width: int) -> str:
    text = surname.replace(" ", "<") + "<<" + given_names.replace(" ", "<")
    return pad(text[:width], width)


def td3(
    *,
    number: str = "AB1234567",
    birth: dt.date | None = dt.date(1985, 7, 30),
    expiry: dt.date | None = dt.date(2031, 5, 1),
    sex: str = "M",
    state: str = "BEL",
    nationality: str = "BEL",
    surname: str = "PEETERS",
    given_names: str = "JAN",
    personal: str = "",
    code: str = "P<",
) -> list[str]:
    line1 = pad(code + pad(state, 3) + name_field(surname, given_names, 39), 44)
    document = pad(number, 9)
    optional = pad(personal, 14)
    optional_check = digit(optional)
    part = (
        document
        + digit(document)
        + pad(nationality, 3)
        + yymmdd(birth)
        + digit(yymmdd(birth))
        + sex
        + yymmdd(expiry)
        + digit(yymmdd(expiry))
        + optional
        + optional_check
    )
    composite = part[0:10] + part[13:20] + part[21:43]
    return [line1, part + digit(composite)]


def td2(
    *,
    number: str = "AB1234567",
    birth: dt.date | None = dt.date(1985, 7, 30),
    expiry: dt.date | None = dt.date(2031, 5, 1),
    sex: str = "F",
    state: str = "BEL",
    nationality: str = "BEL",
    surname: str = "PEETERS",
    given_names: str = "ANNA",
    optional: str = "",
    code: str = "I<",
) -> list[str]:
    line1 = pad(code + pad(state, 3) + name_field(surname, given_names, 31), 36)
    document = pad(number, 9)
    part = (
        document
        + digit(document)
        + pad(nationality, 3)
        + yymmdd(birth)
        + digit(yymmdd(birth))
        + sex
        + yymmdd(expiry)
        + digit(yymmdd(expiry))
        + pad(optional, 7)
    )
    composite = part[0:10] + part[13:20] + part[21:35]
    return [line1, part + digit(composite)]


def td1(
    *,
    number: str = "592123456789",
    birth: dt.date | None = dt.date(1985, 7, 30),
    expiry: dt.date | None = dt.date(2031, 5, 1),
    sex: str = "M",
    state: str = "BEL",
    nationality: str = "BEL",
    surname: str = "PEETERS",
    given_names: str = "JAN",
    optional: str = "",
    optional_2: str = "85073003328",
    code: str = "ID",
) -> list[str]:
    """A TD1 zone; a number longer than 9 uses the overflow rule (Belgian eID)."""
    if len(number) > 9:
        overflow = number[9:] + digit(number) + "<"
        line1 = pad(code + pad(state, 3) + number[:9] + "<" + overflow + optional, 30)
    else:
        document = pad(number, 9)
        line1 = pad(code + pad(state, 3) + document + digit(document) + optional, 30)
    line2 = (
        yymmdd(birth)
        + digit(yymmdd(birth))
        + sex
        + yymmdd(expiry)
        + digit(yymmdd(expiry))
        + pad(nationality, 3)
        + pad(optional_2, 11)
    )
    composite = line1[5:30] + line2[0:7] + line2[8:15] + line2[18:29]
    return [line1, line2 + digit(composite), name_field(surname, given_names, 30)]


def mrv(
    *,
    width: int,
    number: str = "VB1234567",
    birth: dt.date = dt.date(1985, 7, 30),
    expiry: dt.date = dt.date(2026, 8, 1),
    optional: str = "",
) -> list[str]:
    """A visa zone (MRV-A at 44, MRV-B at 36): no composite check digit."""
    line1 = pad("V<BEL" + name_field("DOE", "JOHN", width - 5), width)
    document = pad(number, 9)
    line2 = (
        document
        + digit(document)
        + "USA"
        + yymmdd(birth)
        + digit(yymmdd(birth))
        + "M"
        + yymmdd(expiry)
        + digit(yymmdd(expiry))
        + pad(optional, width - 28)
    )
    return [line1, line2]
