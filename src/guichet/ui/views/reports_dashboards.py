"""The dashboards per role: the supervisor's and the payment office's.

Registers the "Dashboard" section, shown to the agents holding either grant of
`access/domains/reports.py` (the payment office's grant is given to a superset of
the supervisor's roles, so it is the section's action); an agent holding both
sees both dashboards as two tabs. Each figure comes from
`guichet.reports.dashboards`; this module only reads the filters, turns each
drill into a link, renders the charts and writes the exports
(`?format=csv|xlsx&table=<key>`, `core.tabular`). See docs/reports-dashboards.md.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from guichet.access import policy
from guichet.access.domains.reports import Action
from guichet.agents.models import Agent
from guichet.core import clock, tabular
from guichet.core.errors import Forbidden, ValidationFailed
from guichet.reports import charts
from guichet.reports.dashboards import payments, rows, sources, supervisor
from guichet.reports.dashboards.common import Drill, Figure, default_period, period_of
from guichet.ui import workspace
from guichet.ui.agent import agent_of, agent_required
from guichet.ui.errors import apply_errors
from guichet.ui.views.correspondence.common import _file

workspace.register_section(
    workspace.Section(
        key="dashboard",
        label=_("Dashboard"),
        description=_(
            "Figures to steer by: backlog, deadlines, volumes, workload; the "
            "month's payments and recoveries."
        ),
        url_name="ui:reports_dashboard",
        # Granted to payment agents and supervisors: every holder of either grant.
        action=Action.DASHBOARD_PAYMENTS,
        order=90,
    )
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SupervisorFilterForm(forms.Form):
    team = forms.ChoiceField(label=_("Team"), required=False)
    first = forms.DateField(label=_("From"), required=False, widget=DATE)
    last = forms.DateField(label=_("Until"), required=False, widget=DATE)

    def __init__(self, *args: Any, teams: list[tuple[str, str]], **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "filter_%s")
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = [("", _("all my teams")), *teams]  # type: ignore[attr-defined]  # a ChoiceField


class PaymentsFilterForm(forms.Form):
    month = forms.CharField(
        label=_("Month"),
        required=False,
        max_length=7,
        help_text=_("As YYYY-MM."),
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "placeholder": "YYYY-MM"}
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "filter_%s")
        super().__init__(*args, **kwargs)


def _tabs(agent: Agent, current: str) -> list[dict[str, Any]]:
    tabs = []
    if policy.may(agent, Action.DASHBOARD_SUPERVISOR):
        tabs.append(
            {
                "label": _("Teams"),
                "url": reverse("ui:reports_dashboard_supervisor"),
                "current": current == "supervisor",
            }
        )
    if policy.may(agent, Action.DASHBOARD_PAYMENTS):
        tabs.append(
            {
                "label": _("Payment office"),
                "url": reverse("ui:reports_dashboard_payments"),
                "current": current == "payments",
            }
        )
    return tabs


@agent_required
def reports_dashboard(request: HttpRequest) -> HttpResponse:
    """The section's entry: the first dashboard the agent may see, shown here
    (the navigation's link answers with a page, not a redirect)."""
    agent = agent_of(request)
    if policy.may(agent, Action.DASHBOARD_SUPERVISOR):
        return reports_dashboard_supervisor(request)
    policy.require(agent, Action.DASHBOARD_PAYMENTS)
    return reports_dashboard_payments(request)


def drill_url(drill: Drill | None) -> str:
    if drill is None:
        return ""
    if drill.screen == "rows":
        base = reverse("ui:reports_rows", args=[drill.figure])
    elif drill.screen == "payment_run":
        return reverse("ui:payment_run", args=[drill.params["run"]])
    else:
        base = reverse(f"ui:{drill.screen}")
    return f"{base}?{urlencode(drill.params)}" if drill.params else base


def _shown(figure: Figure) -> dict[str, Any]:
    return {
        "key": figure.key,
        "title": figure.title,
        "description": figure.description,
        "headers": figure.headers,
        "rows": [
            [{"value": cell.value, "url": drill_url(cell.drill)} for cell in row]
            for row in figure.rows
        ],
        "chart": charts.bar_chart(figure.chart, chart_id=f"chart-{figure.key}")
        if figure.chart and figure.chart.bars
        else None,
    }


def _export(
    figure: Figure, fmt: str, filters: list[tuple[str, str]], stem: str
) -> HttpResponse:
    with translation.override(translation.get_language() or "fr"):
        table = tabular.Table(
            title=str(figure.title),
            filters=filters,
            headers=[str(header) for header in figure.headers],
            rows=figure.plain_rows(),
        )
        data = tabular.render(table, fmt)
    return _file(
        data, tabular.CONTENT_TYPES[fmt], tabular.filename(f"{stem}-{figure.key}", fmt)
    )


def _format(request: HttpRequest) -> str:
    fmt = request.GET.get("format", "")
    return fmt if fmt in tabular.CONTENT_TYPES else ""


def _query(request: HttpRequest) -> str:
    query = request.GET.copy()
    for name in ("format", "table"):
        query.pop(name, None)
    return query.urlencode()


@agent_required
def reports_dashboard_supervisor(request: HttpRequest) -> HttpResponse:
    agent = agent_of(request)
    policy.require(agent, Action.DASHBOARD_SUPERVISOR)
    teams = [(team.code, team.name) for team in sources.agent_teams(agent)]
    form = SupervisorFilterForm(request.GET or None, teams=teams)
    today = clock.today()
    board = None
    if not form.is_bound or form.is_valid():
        values = form.cleaned_data if form.is_bound else {}
        try:
            period = period_of(
                first=values.get("first"), last=values.get("last"), today=today
            )
            board = supervisor.dashboard(
                agent=agent,
                team=values.get("team", ""),
                period=period,
                only=request.GET.get("table", "") if _format(request) else "",
            )
        except ValidationFailed as error:
            apply_errors(form, error)
    if board is not None and _format(request) and board.figures:
        scope = board.scope
        filters = [
            (gettext("Teams"), ", ".join(team.name for team in scope.teams)),
            (gettext("From"), scope.period.first.isoformat()),
            (gettext("Until"), scope.period.last.isoformat()),
        ]
        return _export(board.figures[0], _format(request), filters, "dashboard")
    period = board.scope.period if board else default_period(today)
    if not form.is_bound:
        form = SupervisorFilterForm(
            teams=teams, initial={"first": period.first, "last": period.last}
        )
    return render(
        request,
        "ui/reports/dashboard.html",
        {
            "tabs": _tabs(agent, "supervisor"),
            "heading": _("Dashboard of my teams"),
            "form": form,
            "figures": [_shown(figure) for figure in board.figures] if board else [],
            "summary": _("From %(first)s until %(last)s")
            % {
                "first": period.first.strftime("%d/%m/%Y"),
                "last": period.last.strftime("%d/%m/%Y"),
            },
            "query": _query(request),
        },
        status=200 if board is not None else 422,
    )


@agent_required
def reports_dashboard_payments(request: HttpRequest) -> HttpResponse:
    agent = agent_of(request)
    policy.require(agent, Action.DASHBOARD_PAYMENTS)
    form = PaymentsFilterForm(request.GET or None)
    board = None
    if not form.is_bound or form.is_valid():
        values = form.cleaned_data if form.is_bound else {}
        try:
            board = payments.dashboard(
                agent=agent,
                month=(values.get("month") or "").strip(),
                only=request.GET.get("table", "") if _format(request) else "",
            )
        except ValidationFailed as error:
            apply_errors(form, error)
    if board is not None and _format(request) and board.figures:
        filters = [(gettext("Month"), board.scope.month)]
        return _export(board.figures[0], _format(request), filters, "payments")
    if not form.is_bound and board is not None:
        form = PaymentsFilterForm(initial={"month": board.scope.month})
    return render(
        request,
        "ui/reports/dashboard.html",
        {
            "tabs": _tabs(agent, "payments"),
            "heading": _("Dashboard of the payment office"),
            "form": form,
            "figures": [_shown(figure) for figure in board.figures] if board else [],
            "summary": _("Month %(month)s") % {"month": board.scope.month}
            if board
            else "",
            "query": _query(request),
        },
        status=200 if board is not None else 422,
    )


# The drill's filters as the rows page shows them; ids (a run, an offer, a
# creditor organisation) are left out: the page's title and the others say enough.
FILTER_LABELS = {
    "team": _("Team"),
    "first": _("From"),
    "last": _("Until"),
    "age": _("Age (days)"),
    "late": _("Late"),
    "deadline": _("Deadline"),
    "channel": _("Channel"),
    "topic": _("Topic"),
    "hour": _("Hour"),
    "case_type": _("Case type"),
    "status": _("Status"),
    "owner": _("Owner"),
    "week": _("Week of"),
    "month": _("Month"),
    "code": _("Reason"),
    "name": _("Creditor"),
}
BACK_FILTERS = ("team", "first", "last", "month")


def _filters_shown(filters: list[tuple[str, str]]) -> list[tuple[str, str]]:
    answers = {"1": _("yes"), "0": _("no")}
    return [
        (
            str(FILTER_LABELS[key]),
            str(answers.get(value, value)) if key == "late" else value,
        )
        for key, value in filters
        if key in FILTER_LABELS
    ]


@agent_required
def reports_rows(request: HttpRequest, figure: str) -> HttpResponse:
    agent = agent_of(request)
    if not (
        policy.may(agent, Action.DASHBOARD_SUPERVISOR)
        or policy.may(agent, Action.DASHBOARD_PAYMENTS)
    ):
        raise Forbidden(_("You may not do this."))
    params = {key: str(value) for key, value in request.GET.items() if key != "page"}
    try:
        page_number = int(request.GET.get("page", "1"))
    except ValueError:
        page_number = 1
    try:
        page = rows.rows_page(
            agent=agent,
            figure=figure,
            params=params,
            today=clock.today(),
            page=page_number,
        )
    except ValidationFailed as error:
        return render(
            request, "ui/errors/error.html", {"error": error}, status=error.status
        )
    lines = [
        {
            "cells": line.cells,
            "url": reverse(f"ui:{line.link[0]}", args=[line.link[1]])
            if line.link
            else "",
        }
        for line in page.lines
    ]
    query = request.GET.copy()
    query.pop("page", None)
    back = (
        reverse("ui:reports_dashboard_payments")
        if rows.SOURCES[figure].payments
        else reverse("ui:reports_dashboard_supervisor")
    )
    kept = {key: params[key] for key in BACK_FILTERS if params.get(key)}
    if kept:
        back = f"{back}?{urlencode(kept)}"
    return render(
        request,
        "ui/reports/dashboard_rows.html",
        {
            "page": page,
            "filters": _filters_shown(page.filters),
            "lines": lines,
            "query": query.urlencode(),
            "back": back,
        },
    )
