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


# The debt workbench: registering a debt from its notice, its ledger, plan, status
# and comment. As above, the forms carry text; `guichet.debts.services` reads it.


def _text_area(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class DebtRegisterForm(ServiceForm):
    """A claim as its notice gives it (`services.debt_register`)."""

    kind = forms.ChoiceField(label=_("Kind of claim"), choices=DebtKind.choices)
    notice_mail = forms.ChoiceField(
        label=_("Notice in the mail register"),
        required=False,
        help_text=_(
            "The registered paper mail that brought the notice; its scan stays "
            "with the debt."
        ),
    )
    creditor_name = forms.CharField(
        label=_("Creditor"),
        required=False,
        max_length=200,
        help_text=_("Not needed for the office's own claim (recovery)."),
    )
    reference = forms.CharField(
        label=_("Creditor's reference"), required=False, max_length=100
    )
    notified_on = forms.CharField(
        label=_("Notice date"), required=False, widget=date_input()
    )
    principal = forms.CharField(
        label=_("Amount owed (EUR)"), required=False, widget=_amount_input()
    )
    interest = forms.CharField(
        label=_("Interest (EUR)"), required=False, widget=_amount_input()
    )
    costs = forms.CharField(
        label=_("Costs (EUR)"), required=False, widget=_amount_input()
    )
    period_from = forms.CharField(
        label=_("Period advanced from"),
        required=False,
        widget=date_input(),
        help_text=_("Social welfare centre's subrogation only."),
    )
    period_to = forms.CharField(
        label=_("Period advanced until"), required=False, widget=date_input()
    )
    fraud = forms.BooleanField(
        label=_("Obtained by fraud (recovery only)"), required=False
    )
    comment = forms.CharField(
        label=_("Description of the claim"),
        required=False,
        max_length=4000,
        widget=_text_area(),
        help_text=_(
            "What the claim is: the judgment or decision it comes from. Messages "
            "for colleagues go in the comments, on the debt's page."
        ),
    )
    team = forms.ChoiceField(label=_("Payment office"), required=False)

    def __init__(
        self,
        *args: Any,
        mails: Sequence[tuple[str, str]] = (),
        teams: Sequence[tuple[str, str]] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        mail = self.fields["notice_mail"]
        if isinstance(mail, forms.ChoiceField):
            mail.choices = [("", _("None: the notice did not come by paper")), *mails]
        team = self.fields["team"]
        if len(teams) > 1 and isinstance(team, forms.ChoiceField):
            team.choices = list(teams)
        else:
            del self.fields["team"]

    def debt_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            name: data[name] or None
            for name in (
                "kind",
                "notified_on",
                "principal",
                "interest",
                "costs",
                "period_from",
                "period_to",
                "notice_mail",
            )
        } | {
            "creditor_name": data["creditor_name"],
            "reference": data["reference"],
            "comment": data["comment"],
            "fraud": data["fraud"],
        }


class VersionedForm(ServiceForm):
    """A change of one debt, based on the version the agent saw."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class DebtEntryForm(VersionedForm):
    kind = forms.ChoiceField(label=_("Movement"))
    amount = forms.CharField(
        label=_("Amount (EUR)"),
        required=False,
        widget=_amount_input(),
        help_text=_("A correction may be negative, such as -12.50."),
    )
    booked_on = forms.CharField(label=_("Date"), required=False, widget=date_input())
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=_text_area(2),
        help_text=_("Required for a remission or a correction: say why."),
    )

    def __init__(
        self, *args: Any, kinds: Sequence[tuple[str, str]] = (), **kwargs: Any
    ) -> None:
        kwargs.setdefault("prefix", "entry")
        super().__init__(*args, **kwargs)
        kind = self.fields["kind"]
        if isinstance(kind, forms.ChoiceField):
            kind.choices = list(kinds)


class DebtPlanForm(VersionedForm):
    amount = forms.CharField(
        label=_("Amount per month (EUR)"), required=False, widget=_amount_input()
    )
    starts_on = forms.CharField(label=_("From"), required=False, widget=date_input())
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=_text_area(2)
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "plan")
        super().__init__(*args, **kwargs)


class DebtStatusForm(VersionedForm):
    status = forms.ChoiceField(label=_("New status"))
    reason = forms.CharField(
        label=_("Why"), required=False, max_length=2000, widget=_text_area(2)
    )

    def __init__(
        self, *args: Any, statuses: Sequence[tuple[str, str]] = (), **kwargs: Any
    ) -> None:
        kwargs.setdefault("prefix", "status")
        super().__init__(*args, **kwargs)
        status = self.fields["status"]
        if isinstance(status, forms.ChoiceField):
            status.choices = list(statuses)


class DebtDetailsForm(VersionedForm):
    """The creditor, its reference and the claim's description."""

    creditor_name = forms.CharField(label=_("Creditor"), required=False, max_length=200)
    reference = forms.CharField(
        label=_("Creditor's reference"), required=False, max_length=100
    )
    comment = forms.CharField(
        label=_("Description of the claim"),
        required=False,
        max_length=4000,
        widget=_text_area(4),
        help_text=_("What the claim is: the judgment or decision it comes from."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "details")
        super().__init__(*args, **kwargs)


class DebtCommentForm(ServiceForm):
    """A comment for the colleagues who follow the debt: added, never changed."""

    text = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=4000,
        widget=_text_area(3),
        help_text=_(
            "Shown with your name to everyone who follows the debt, on this page "
            "and on the person's Debts tab. A comment cannot be changed: write a "
            "new one to correct it."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "comment")
        super().__init__(*args, **kwargs)
