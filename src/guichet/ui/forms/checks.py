"""Form of the "check a document or number" tool.

It only carries what the agent typed; the rules and their messages are
`guichet.checks`' (the same as the command line and the API).
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from guichet.checks.kinds import KINDS
from guichet.ui.errors import ServiceForm
from guichet.ui.forms import date_input

KIND_LABELS: dict[str, Promise] = {
    "mrz": _("Machine-readable zone (passport, identity card, residence permit)"),
    "niss": _("National register or BIS number"),
    "bce": _("Enterprise number (BCE/KBO)"),
    "iban": _("IBAN (bank account number)"),
    "bic": _("BIC (bank code)"),
    "ogm": _("Structured payment reference (+++…/…/…+++)"),
}


def kind_choices(kinds: tuple[str, ...] = KINDS) -> list[tuple[str, Promise]]:
    return [(kind, KIND_LABELS.get(kind, _("Other check"))) for kind in kinds]


def values_of(kind: str, text: str) -> list[str]:
    """What the agent typed, as the check takes it: a zone line by line."""
    if kind == "mrz":
        return [line for line in text.splitlines() if line.strip()]
    return [text]


class CheckForm(ServiceForm):
    kind = forms.ChoiceField(label=_("What to check"), choices=kind_choices)
    value = forms.CharField(
        label=_("Value"),
        strip=False,
        max_length=400,
        widget=forms.Textarea(
            attrs={
                "rows": 3,
                "class": "mono",
                "spellcheck": "false",
                "autocomplete": "off",
                "autocapitalize": "characters",
            }
        ),
        help_text=_(
            "Type or paste the number as printed. For a machine-readable zone, "
            "one line of the zone per line, as on the document."
        ),
    )
    on = forms.DateField(
        label=_("Reference date"),
        required=False,
        widget=date_input(),
        help_text=_(
            "Decides whether a document is expired and how two-digit years are "
            "read. Empty: today."
        ),
    )

    def check_date(self) -> dt.date | None:
        on: dt.date | None = self.cleaned_data.get("on")
        return on
