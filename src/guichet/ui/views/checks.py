"""The "check a document or number" tool: a machine-readable zone, a national or
enterprise number, an IBAN, a BIC or a structured payment reference.

Registers the "Checks" navigation section for every agent the policy lets run
checks (`check.run`). Nothing is saved and no citizen record is read: the answer
is `guichet.checks`' (through `documents.selectors.check_run`, which asks the
policy), shown in the agent's language.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.defaultfilters import date as format_date
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from guichet.access import policy
from guichet.access.domains.documents import Action
from guichet.checks.mrz import LABELS as ZONE_LABELS
from guichet.checks.result import CheckResult, rendered
from guichet.documents import selectors
from guichet.ui import workspace
from guichet.ui.agent import agent_of, agent_required
from guichet.ui.forms.checks import KIND_LABELS, CheckForm, values_of

workspace.register_section(
    workspace.Section(
        key="checks",
        label=_("Checks"),
        description=_(
            "Check a document or a number: a passport's or identity card's "
            "machine-readable zone, a national or enterprise number, an IBAN, a "
            "structured payment reference."
        ),
        url_name="ui:check_tool",
        action=Action.CHECK_RUN,
        order=30,
    )
)

# Labels of what a check reads, and of the parts its rules are about.
FIELD_LABELS: Mapping[str, str | Promise] = {
    **ZONE_LABELS,
    "format": _("Layout"),
    "surname": _("Surname"),
    "given_names": _("Given names"),
    "expired": _("Expired"),
    "type": _("Kind of number"),
    "formatted": _("As printed"),
    "country": _("Country"),
    "check_digits": _("Check digits"),
    "bban": _("Account number (BBAN)"),
    "bank_code": _("Bank code"),
    "bank": _("Bank"),
    "bic": _("BIC"),
    "institution": _("Bank (institution code)"),
    "location": _("Location code"),
    "branch": _("Branch"),
    "head_office": _("Head office"),
}

_SEXES: Mapping[str, str | Promise] = {
    "M": _("male"),
    "F": _("female"),
    "X": _("unspecified"),
}
_NUMBER_TYPES: Mapping[str, str | Promise] = {
    "nn": _("national register number"),
    "bis": _("BIS number"),
}


def field_label(name: str) -> str:
    return str(FIELD_LABELS.get(name, name.replace("_", " ")))


def _shown_value(name: str, value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if name.endswith("_date") and isinstance(value, str):
        try:
            return str(format_date(dt.date.fromisoformat(value), "d/m/Y"))
        except ValueError:
            return value
    if name == "sex":
        return str(_SEXES.get(str(value), value))
    if name == "type":
        return str(_NUMBER_TYPES.get(str(value), value))
    return str(value)


@dataclass(frozen=True)
class ShownField:
    name: str
    label: str
    value: str


@dataclass(frozen=True)
class ShownProblem:
    code: str
    field: str  # its label, or "" when the rule is about the whole value
    message: str


def shown_fields(fields: Mapping[str, Any]) -> list[ShownField]:
    return [
        ShownField(name=name, label=field_label(name), value=_shown_value(name, value))
        for name, value in fields.items()
    ]


def shown_problems(items: list[dict[str, Any]]) -> list[ShownProblem]:
    """Errors or warnings of a result's `as_dict()` (or `as_stored()`), with their
    field's label, in the reader's language."""
    shown = [rendered(item) for item in items]
    return [
        ShownProblem(
            code=str(item["code"]),
            field=field_label(item["field"]) if item["field"] else "",
            message=str(item["message"]),
        )
        for item in shown
    ]


@dataclass(frozen=True)
class ShownResult:
    kind_label: str
    valid: bool
    normalized: str
    errors: list[ShownProblem]
    warnings: list[ShownProblem]
    fields: list[ShownField]


def shown_result(result: CheckResult) -> ShownResult:
    data = result.as_dict()
    return ShownResult(
        kind_label=str(KIND_LABELS.get(result.kind, result.kind)),
        valid=result.valid,
        normalized=result.normalized,
        errors=shown_problems(data["errors"]),
        warnings=shown_problems(data["warnings"]),
        fields=shown_fields(data["fields"]),
    )


@agent_required
def check_tool(request: HttpRequest) -> HttpResponse:
    """Type or paste a value, see whether it is valid, why not, and what it says."""
    agent = agent_of(request)
    policy.require(agent, Action.CHECK_RUN)
    if request.method != "POST":
        return _page(request, CheckForm(initial={"kind": "mrz"}))
    form = CheckForm(request.POST)
    if not form.is_valid():
        return _page(request, form, status=422)
    kind = form.cleaned_data["kind"]
    result = selectors.check_run(
        agent=agent,
        kind=kind,
        values=values_of(kind, form.cleaned_data["value"]),
        on=form.check_date(),
    )
    return _page(request, form, result=shown_result(result))


def _page(
    request: HttpRequest,
    form: CheckForm,
    *,
    status: int = 200,
    result: ShownResult | None = None,
) -> HttpResponse:
    return render(
        request,
        "ui/checks/check_tool.html",
        {"form": form, "result": result},
        status=status,
    )
