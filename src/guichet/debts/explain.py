"""Explanations a payment agent can read out to a citizen, in the citizen's language.

Every band of a garnishment and every line of an allocation carries a stable
`code` (for programs and screens) and a lazy translated message with named
parameters. Parameters are formatted when the text is rendered, in the language
active then: amounts with two decimals and the language's grouping ("1 341,00" in
French, "1.341,00" in Dutch and German, "1,341.00" in English), dates written out.
Pure: no database access.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import formats


@dataclass(frozen=True)
class Percent:
    """A rate shown as a percentage: Decimal("0.2") reads "20"."""

    rate: Decimal


def _format(value: object) -> object:
    if isinstance(value, Percent):
        percent = (value.rate * 100).normalize()
        places = max(0, -int(percent.as_tuple().exponent))
        return formats.number_format(percent, decimal_pos=places, use_l10n=True)
    if isinstance(value, bool):
        return value
    if isinstance(value, Decimal):
        return formats.number_format(
            value, decimal_pos=2, use_l10n=True, force_grouping=True
        )
    if isinstance(value, dt.date):
        return formats.date_format(value, "DATE_FORMAT", use_l10n=True)
    return value


@dataclass(frozen=True)
class Explanation:
    """A reason code and its sentence; `text()` renders it in the active language."""

    code: str
    message: Any  # a lazy gettext or ngettext proxy, with named placeholders
    params: Mapping[str, object] = field(default_factory=dict)

    def text(self) -> str:
        values = {name: _format(value) for name, value in self.params.items()}
        return str(self.message % values) if values else str(self.message)

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "text": self.text()}
