"""Belgian enterprise number (BCE / KBO), also the VAT number without its BE prefix.

Rule (docs/sources.md §2.4, python-stdnum `stdnum.be.vat`): 10 digits,
the first 0 or 1; the last two are 97 - (first eight mod 97). Old nine-digit
numbers get a leading 0.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from stdnum import exceptions as stdnum_errors
from stdnum.be import vat

from .result import CheckError, CheckResult, refused

KIND = "bce"


def check_bce(value: str) -> CheckResult:
    raw = value.strip()
    number = vat.compact(raw) if raw else raw
    try:
        vat.validate(raw)
    except stdnum_errors.InvalidLength:
        return refused(
            KIND,
            number,
            CheckError(
                "length",
                _(
                    "An enterprise number has 10 digits (or 9 in the old form); this one has %(count)d."
                ),
                {"count": len(number)},
            ),
        )
    except stdnum_errors.InvalidChecksum:
        return refused(
            KIND,
            number,
            CheckError(
                "checksum",
                _("The last two digits (check digits) do not match the first eight."),
            ),
        )
    except stdnum_errors.InvalidComponent:
        return refused(
            KIND,
            number,
            CheckError("first_digit", _("An enterprise number starts with 0 or 1.")),
        )
    except stdnum_errors.ValidationError:
        return refused(
            KIND,
            number,
            CheckError(
                "format",
                _(
                    "Only digits, with dots or spaces and an optional BE prefix, are allowed."
                ),
            ),
        )
    return CheckResult(
        kind=KIND,
        valid=True,
        normalized=number,
        fields={
            "formatted": f"{number[:4]}.{number[4:7]}.{number[7:]}",
            "vat": f"BE{number}",
        },
    )
