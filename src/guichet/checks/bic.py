"""BIC (ISO 9362 business identifier code, the "SWIFT code" of a bank).

Rules (python-stdnum `stdnum.bic`; the SEPA credit-transfer schemas,
docs/sources.md §4.2-4.3): 8 or 11 characters: institution (4 letters),
country (2 letters, an ISO 3166 code), location (2 letters or digits), and an
optional branch (3 letters or digits; none or `XXX` is the head office). A BIC has
no check digit, so a mistyped letter can only be caught by the form and the
country code.

Error codes: `format`, `length`, `country`.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _

from stdnum import bic as stdnum_bic

from .result import CheckError, CheckResult, refused

KIND = "bic"
_SHAPE = re.compile(r"^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$")


def check_bic(value: str) -> CheckResult:
    """Check a BIC typed with or without spaces; read its parts."""
    number = re.sub(r"[\s\-]", "", value).upper()
    if not number or not re.fullmatch(r"[A-Z0-9]+", number):
        return refused(
            KIND,
            number,
            CheckError("format", _("A BIC has only letters and digits.")),
        )
    if len(number) not in (8, 11):
        return refused(
            KIND,
            number,
            CheckError(
                "length",
                _("A BIC has 8 or 11 characters; this one has %(count)d."),
                {"count": len(number)},
            ),
        )
    if not _SHAPE.match(number):
        return refused(
            KIND,
            number,
            CheckError(
                "format",
                _(
                    "A BIC starts with six letters (bank and country), such as GEBABEBB; "
                    "only its last five characters may be digits."
                ),
            ),
        )
    if not stdnum_bic.is_valid(number):
        return refused(
            KIND,
            number,
            CheckError(
                "country",
                _("Characters 5 and 6 (%(country)s) are not a country code."),
                {"country": number[4:6]},
            ),
        )
    return CheckResult(
        kind=KIND,
        valid=True,
        normalized=number,
        fields={
            "institution": number[:4],
            "country": number[4:6],
            "location": number[6:8],
            "branch": number[8:] or None,
            "head_office": number[8:] in ("", "XXX"),
        },
    )
