"""Forms of the garnishment calculator and of the person's debts tab.

They only carry what the agent typed, as text: reading amounts, dates and counts
and every rule about them is `guichet.debts.validation`'s (the same rules and
messages as the command line and the API); its field errors come back next to the
field through `ui.errors.apply_errors`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from guichet.agents.models import Language
from guichet.debts.models import DebtKind
from guichet.ui.errors import ServiceForm
from guichet.ui.forms import date_input

# How many claims the calculator offers to share the income among.
CLAIM_ROWS = 4


def _amount_input() -> forms.TextInput:
    return forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})


class IncomeFields(ServiceForm):
    """The income of one month: earned, replacement (or both) and children."""

    earned = forms.CharField(
        label=_("Earned income (net, per month)"),
        required=False,
        widget=_amount_input(),
        help_text=_("Wages and salaries, in euros, such as 1850.25."),
    )
    replacement = forms.CharField(
        label=_("Replacement income (net, per month)"),
        required=False,
        widget=_amount_input(),
        help_text=_("Unemployment benefit, sickness benefit or pension, in euros."),
    )
    children = forms.CharField(
        label=_("Dependent children"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=_("Only children declared on the legal form count."),
    )


class GarnishmentForm(IncomeFields):
    on = forms.CharField(
        label=_("Payment date"),
        required=False,
        widget=date_input(),
        help_text=_("It decides which legal amounts apply."),
    )
    maintenance = forms.BooleanField(
        label=_("The seizure is for a maintenance debt"), required=False
    )
    language = forms.ChoiceField(
        label=_("Language of the explanation"),
        choices=Language.choices,
        required=False,
    )
    field_order = [
        "earned",
        "replacement",
        "children",
        "on",
        "maintenance",
        "language",
    ]

    def compute_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "on": data["on"] or None,
            "earned": data["earned"] or None,
            "replacement": data["replacement"] or None,
            "children": data["children"] or 0,
            "maintenance": data["maintenance"],
        }


class ClaimRowForm(ServiceForm):
    """One claim to share the income with; a row left blank is ignored."""

    reference = forms.CharField(
        label=_("Creditor or reference"), required=False, max_length=100
    )
    kind = forms.ChoiceField(
        label=_("Kind of claim"),
        choices=[("", "—"), *DebtKind.choices],
        required=False,
    )
    notified_on = forms.CharField(
        label=_("Notice date"), required=False, widget=date_input()
    )
    balance = forms.CharField(
        label=_("Balance due"), required=False, widget=_amount_input()
    )
    fraud = forms.BooleanField(label=_("Fraud"), required=False)

    def is_filled(self) -> bool:
        data = self.cleaned_data
        return any(
            data[name] for name in ("reference", "kind", "notified_on", "balance")
        )

    def claim_data(self, row: int) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "id": data["reference"] or f"#{row}",
            "kind": data["kind"] or None,
            "notified_on": data["notified_on"] or None,
            "balance": data["balance"] or None,
            "fraud": data["fraud"],
        }


def claim_rows(data: Any) -> list[ClaimRowForm]:
    return [
        ClaimRowForm(data, prefix=f"claim{index}", auto_id="id_%s")
        for index in range(CLAIM_ROWS)
    ]


class NextPaymentForm(IncomeFields):
    """A payment to preview on the person's debts."""

    paid_on = forms.CharField(
        label=_("Payment date"), required=False, widget=date_input()
    )
    period = forms.CharField(
        label=_("Month paid"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("YYYY-MM")}),
        help_text=_("YYYY-MM; the month of the payment date if left empty."),
    )
    team = forms.ChoiceField(label=_("Payment office"), required=False)
    language = forms.ChoiceField(
        label=_("Language of the explanation"),
        choices=Language.choices,
        required=False,
    )
    field_order = [
        "paid_on",
        "period",
        "earned",
        "replacement",
        "children",
        "team",
        "language",
    ]

    def __init__(
        self, *args: Any, teams: Sequence[tuple[str, str]] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        team = self.fields["team"]
        if len(teams) > 1 and isinstance(team, forms.ChoiceField):
            team.choices = list(teams)
        else:
            del self.fields["team"]

    def payment_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "paid_on": data["paid_on"] or None,
            "period": data["period"] or None,
            "earned": data["earned"] or None,
            "replacement": data["replacement"] or None,
            "children": data["children"] or 0,
        }
