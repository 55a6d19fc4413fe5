"""The seeds' lists: one "Lists" section, one screen per list (issue #19 item 3).

Registers the "Lists" section (`report.lists_view`: every role working with
citizens). Each list has a GET filter form, validated by `reports.lists` (bad
filters: 422, with each error next to its field), its count, pages of 50 rows and
its CSV and XLSX buttons (`reports_exports`). Nothing is decided here: the rows
come from `reports.lists`, through each source app's visibility rules.
See docs/reports-lists.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from guichet.access import policy
from guichet.access.domains.reports import Action
from guichet.core.errors import NotFound, ValidationFailed
from guichet.reports import exports, lists
from guichet.reports.lists import ListSpec
from guichet.ui import workspace
from guichet.ui.agent import agent_of, agent_required
from guichet.ui.errors import apply_errors

workspace.register_section(
    workspace.Section(
        key="lists",
        label=_("Lists"),
        description=_(
            "Complaints, dossiers by deadline, pre-pension lists, mail registers "
            "and appointments, with their exports."
        ),
        url_name="ui:report_lists",
        action=Action.LISTS_VIEW,
        order=90,
    )
)

# Where a row's first cell leads (the row's own page).
LINKS: dict[str, Callable[[Any], str]] = {
    "complaints": lambda row: reverse("ui:request_detail", args=[row.reference]),
    "dossiers": lambda row: reverse("ui:dossier_detail", args=[row.reference]),
    "pensions": lambda pair: reverse(
        "ui:person_payments", args=[pair[0].beneficiary.person.uuid]
    ),
    "incoming": lambda row: reverse("ui:mail_detail", args=[row.uuid]),
    "outgoing": lambda row: reverse("ui:letter_detail", args=[row.uuid]),
    "appointments": lambda row: reverse("ui:appointment", args=[row.uuid]),
}


def shown(cell: Any) -> str:
    """A cell as the screen shows it, in the agent's language."""
    if cell is None:
        return ""
    if isinstance(cell, Decimal):
        return formats.number_format(cell, 2, use_l10n=True, force_grouping=True)
    if isinstance(cell, dt.datetime):
        return formats.date_format(timezone.localtime(cell), "SHORT_DATETIME_FORMAT")
    if isinstance(cell, dt.date):
        return formats.date_format(cell, "SHORT_DATE_FORMAT")
    return str(cell)


def filter_form(
    request: HttpRequest, spec: ListSpec, values: dict[str, str]
) -> forms.Form:
    """The list's filters as a form (its choices for this agent), showing `values`.
    It only renders: `reports.lists` validates."""
    agent = agent_of(request)
    fields: dict[str, forms.Field] = {}
    for spec_field in spec.fields:
        common: dict[str, Any] = {
            "label": spec_field.label,
            "required": False,
            "help_text": spec_field.help_text,
        }
        if spec_field.kind == "flag":
            fields[spec_field.name] = forms.BooleanField(**common)
        elif spec_field.choices is not None:
            fields[spec_field.name] = forms.CharField(
                widget=forms.Select(choices=spec_field.choices(agent)), **common
            )
        elif spec_field.kind == "date":
            fields[spec_field.name] = forms.CharField(
                widget=forms.DateInput(attrs={"type": "date"}), **common
            )
        else:
            fields[spec_field.name] = forms.CharField(**common)
    form_class = type("FilterForm", (forms.Form,), fields)
    form: forms.Form = form_class(data=values)
    form.is_valid()
    return form


def read_filters(
    request: HttpRequest, spec: ListSpec, data: QueryDict
) -> tuple[forms.Form, dict[str, str] | None]:
    """The form and the validated filters (None, and errors on the form, when
    they are not valid)."""
    agent = agent_of(request)
    values = {
        field.name: data.get(field.name, field.default()) for field in spec.fields
    }
    form = filter_form(request, spec, values)
    try:
        return form, spec.parse(agent, data)
    except ValidationFailed as error:
        apply_errors(form, error)
        return form, None


def _spec(request: HttpRequest, key: str) -> ListSpec:
    agent = agent_of(request)
    policy.require(agent, Action.LISTS_VIEW)
    spec = lists.LISTS.get(key)
    if spec is None or not policy.may(agent, spec.action):
        raise NotFound(_("There is no such list."))
    return spec


@agent_required
def report_lists(request: HttpRequest) -> HttpResponse:
    """The lists the agent may open, and their recent background exports."""
    agent = agent_of(request)
    policy.require(agent, Action.LISTS_VIEW)
    return render(
        request,
        "ui/reports/lists.html",
        {
            "specs": [
                spec for spec in lists.LISTS.values() if policy.may(agent, spec.action)
            ],
            "jobs": exports.export_jobs_of(agent=agent),
        },
    )


def _page_number(request: HttpRequest) -> int:
    try:
        return max(1, int(request.GET.get("page", "1")))
    except ValueError:
        return 1


@agent_required
def report_list(request: HttpRequest, key: str) -> HttpResponse:
    """One list: its filters, count, page of rows and export buttons."""
    agent = agent_of(request)
    spec = _spec(request, key)
    form, params = read_filters(request, spec, request.GET)
    found = None
    rows: list[tuple[str, list[str]]] = []
    if params is not None:
        found = lists.page(
            agent=agent, spec=spec, params=params, number=_page_number(request)
        )
        link = LINKS.get(spec.key)
        rows = [
            (link(obj) if link else "", [shown(cell) for cell in cells])
            for obj, cells in found.rows
        ]
    query = QueryDict(mutable=True)
    query.update(params or {})
    return render(
        request,
        "ui/reports/list.html",
        {
            "spec": spec,
            "form": form,
            "found": found,
            "rows": rows,
            "headers": spec.headers(params) if params is not None else [],
            "query": query.urlencode(),
            "may_export": policy.may(agent, Action.EXPORT),
        },
        status=200 if params is not None else 422,
    )
