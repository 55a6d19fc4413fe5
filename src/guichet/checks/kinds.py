"""Every kind of check by name, behind one entry point for the interfaces.

`run_check(kind, values, on=...)` is what the command line (`guichet check`), the API
(`POST /api/v1/checks/{kind}`) and document verification call. A zone (`mrz`) takes
its lines as separate values; every other kind takes one value, and several values
are read as one typed with spaces (`BE68 5390 0754 7034` unquoted on a command line).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from django.utils.translation import gettext_lazy as _

from guichet.core import clock
from guichet.core.errors import NotFound

from .bce import check_bce
from .bic import check_bic
from .iban import check_iban
from .mrz import check_mrz
from .niss import check_niss
from .ogm import check_ogm
from .result import CheckResult

Checker = Callable[[Sequence[str], dt.date], CheckResult]

CHECKS: dict[str, Checker] = {
    "niss": lambda values, on: check_niss(" ".join(values), today=on),
    "bce": lambda values, on: check_bce(" ".join(values)),
    "iban": lambda values, on: check_iban(" ".join(values)),
    "bic": lambda values, on: check_bic(" ".join(values)),
    "ogm": lambda values, on: check_ogm(" ".join(values)),
    "mrz": lambda values, on: check_mrz(values, on=on),
}
KINDS: tuple[str, ...] = tuple(CHECKS)


class UnknownCheck(NotFound):
    default_code = "unknown_check"


def unknown_check(kind: str) -> UnknownCheck:
    return UnknownCheck(
        _("There is no check named %(kind)s; the checks are %(kinds)s."),
        params={"kind": kind, "kinds": ", ".join(KINDS)},
    )


def run_check(
    kind: str, values: Sequence[str], *, on: dt.date | None = None
) -> CheckResult:
    """Run the check `kind` on `values`; `on` is the reference date (today by default)."""
    checker = CHECKS.get(kind)
    if checker is None:
        raise unknown_check(kind)
    return checker(list(values), on or clock.today())
