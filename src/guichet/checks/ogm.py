"""Belgian structured payment reference (OGM / VCS, "communication structurée").

Rule (docs/sources.md §2.3, python-stdnum `stdnum.be.ogm_vcs`, citing the
Febelfin banking standards): 12 digits; the last two are the first ten modulo 97,
and 97 when that remainder is 0 (the remainder itself, not 97 minus it as for
national and enterprise numbers). Printed `+++123/4567/89002+++`; banks also print
`***123/4567/89002***`, and the bare 12 digits are accepted too.

Error codes: `format` (other characters), `length` (not 12 digits), `checksum`.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .result import CheckError, CheckResult, refused

KIND = "ogm"
_SEPARATORS = frozenset(" +*/.-")


def check_digits(ten_digits: str) -> str:
    """The two check digits of a structured reference: remainder mod 97, 97 for 0."""
    remainder = int(ten_digits) % 97
    return f"{remainder or 97:02d}"


def formatted(number: str) -> str:
    return f"+++{number[:3]}/{number[3:7]}/{number[7:]}+++"


def check_ogm(value: str) -> CheckResult:
    """Check a structured reference, with or without its +++ and slashes."""
    raw = value.strip()
    if not raw or any(not (char.isdigit() or char in _SEPARATORS) for char in raw):
        return refused(
            KIND,
            raw,
            CheckError(
                "format",
                _(
                    "A structured reference has 12 digits, written +++123/4567/89002+++ "
                    "or as the bare digits; other characters are not allowed."
                ),
            ),
        )
    number = "".join(char for char in raw if char.isdigit())
    if len(number) != 12:
        return refused(
            KIND,
            number,
            CheckError(
                "length",
                _("A structured reference has 12 digits; this one has %(count)d."),
                {"count": len(number)},
            ),
        )
    if number[10:] != check_digits(number[:10]):
        return refused(
            KIND,
            number,
            CheckError(
                "checksum",
                _(
                    "The last two digits (check digits) are not the remainder of the "
                    "first ten divided by 97: a digit was mistyped."
                ),
            ),
        )
    return CheckResult(
        kind=KIND,
        valid=True,
        normalized=number,
        fields={"formatted": formatted(number), "check_digits": number[10:]},
    )
