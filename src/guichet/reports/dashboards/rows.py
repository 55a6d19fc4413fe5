"""The rows behind a dashboard's number: the same source, the drill's filters.

`rows_page(agent=..., figure=..., params=...)` rebuilds the scope of the
dashboard (team, period or month) from the drill's parameters, takes the source
queryset the figure grouped, narrows it by the cell's filters, and returns one
page of it with its total. What is shown is written to the access log.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from guichet.access import policy
from guichet.access.domains.reports import Action
from guichet.agents.models import Agent
from guichet.audit.services import access_record
from guichet.core.errors import NotFound
from guichet.core.validation import Problems, parse_uuid
from guichet.debts.models import Debt
from guichet.payments.workflow import exception_text

from . import payments, sources
from .common import Period, default_period, period_of
from .sources import Scope

PAGE = 50


@dataclass(frozen=True)
class Line:
    """One row: its cells and what it opens (a screen name and its key)."""

    cells: list[Any]
    link: tuple[str, str] | None = None


@dataclass(frozen=True)
class RowsPage:
    figure: str
    title: str
    headers: list[str]
    lines: list[Line]
    total: int
    page: int
    has_next: bool
    filters: list[tuple[str, str]]


def _date(problems: Problems, name: str, value: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        problems.add(name, "invalid", _("Give a date as YYYY-MM-DD."))
        return None


def parse_period(params: Mapping[str, str], today: dt.date) -> Period:
    problems = Problems(message=_("The period is not valid."))
    first = _date(problems, "first", params.get("first", ""))
    last = _date(problems, "last", params.get("last", ""))
    problems.raise_if_any()
    return period_of(first=first, last=last, today=today)


def _by_uuid(field: str, value: str) -> Q:
    """The rows whose `field` is the id `value` spells (none if it spells none)."""
    key = parse_uuid(value)
    return Q(**{field: key}) if key else Q(pk__in=[])


def _int(params: Mapping[str, str], name: str) -> int | None:
    try:
        return int(params.get(name, ""))
    except ValueError:
        return None


# The supervisor's sources, narrowed


def _requests(
    rows: QuerySet[Any], scope: Scope, params: Mapping[str, str]
) -> QuerySet[Any]:
    if params.get("age"):
        rows = rows.filter(sources.request_age_q(scope, params["age"]))
    if params.get("owner"):
        rows = rows.filter(owner__username=params["owner"])
    return rows


def _open_requests(scope: Scope, params: Mapping[str, str]) -> QuerySet[Any]:
    return _requests(sources.open_requests(scope), scope, params)


def _late(rows: QuerySet[Any], params: Mapping[str, str], late: Q) -> QuerySet[Any]:
    if params.get("late") == "1":
        return rows.filter(late)
    if params.get("late") == "0":
        return rows.exclude(late)
    return rows


def _first_answers(scope: Scope, params: Mapping[str, str]) -> QuerySet[Any]:
    return _late(sources.first_answers(scope), params, sources.FIRST_ANSWER_LATE)


def _resolutions(scope: Scope, params: Mapping[str, str]) -> QuerySet[Any]:
    return _late(sources.resolutions(scope), params, sources.RESOLUTION_LATE)


def _breaches(scope: Scope, params: Mapping[str, str]) -> QuerySet[Any]:
    rows = sources.breaches(scope).select_related("request")
    if params.get("deadline"):
        rows = rows.filter(deadline=params["deadline"])
    return rows


def _contacts_narrowed(rows: QuerySet[Any], params: Mapping[str, str]) -> QuerySet[Any]:
    if params.get("channel"):
        rows = rows.filter(channel=params["channel"])
    if params.get("topic") == "none":
        rows = rows.filter(topic__isnull=True)
    elif params.get("topic"):
        rows = rows.filter(topic__code=params["topic"])
    hour = _int(params, "hour")
    if hour is not None:
        rows = sources.with_hour(rows).filter(hour=hour)
    return rows


def _contacts(scope: Scope, params: Mapping[str, str]) -> QuerySet[Any]:
    return _contacts_narrowed(sources.contacts(scope), params)


def _counter_visits(scope: Scope, params: Mapping[str, str]) -> QuerySet[Any]:
    return _contacts_narrowed(sources.counter_visits(scope), params)


def _dossiers(
    rows: QuerySet[Any], scope: Scope, params: Mapping[str, str]
) -> QuerySet[Any]:
    if params.get("age"):
        rows = rows.filter(sources.dossier_age_q(scope, params["age"]))
    if params.get("owner"):
        rows = rows.filter(owner__username=params["owner"])
    if params.get("case_type"):
        rows = rows.filter(case_type__code=params["case_type"])
    if params.get("status"):
        rows = rows.filter(status=params["status"])
    return rows.select_related("case_type")


def _open_dossiers(scope: Scope, params: Mapping[str, str]) -> QuerySet[Any]:
    return _dossiers(sources.open_dossiers(scope), scope, params)


def _closed_dossiers(scope: Scope, params: Mapping[str, str]) -> QuerySet[Any]:
    return _dossiers(sources.closed_dossiers(scope), scope, params)


def _decisions_waiting(scope: Scope, params: Mapping[str, str]) -> QuerySet[Any]:
    return _dossiers(sources.decisions_waiting(scope), scope, params)


def _open_tasks(scope: Scope, params: Mapping[str, str]) -> QuerySet[Any]:
    rows = sources.open_tasks(scope).select_related("dossier", "assignee")
    if params.get("owner"):
        rows = rows.filter(assignee__username=params["owner"])
    return rows


def _letters_waiting(scope: Scope, params: Mapping[str, str]) -> QuerySet[Any]:
    return sources.letters_waiting(scope).select_related("author")


def _mail_waiting(scope: Scope, params: Mapping[str, str]) -> QuerySet[Any]:
    return sources.mail_waiting(scope)


def _appointments(scope: Scope, params: Mapping[str, str]) -> QuerySet[Any]:
    rows = sources.appointments(scope).select_related("offer")
    if params.get("offer"):
        rows = rows.filter(_by_uuid("offer__uuid", params["offer"]))
    if params.get("week"):
        problems = Problems(message=_("The filters are not valid."))
        week = _date(problems, "week", params["week"])
        problems.raise_if_any()
        rows = sources.with_week(rows).filter(week=week)
    return rows


# The payment office's sources, narrowed


def _run_exceptions(
    scope: payments.PaymentScope, params: Mapping[str, str]
) -> QuerySet[Any]:
    rows = payments.exception_items(scope).select_related(
        "beneficiary__person", "run__team"
    )
    if params.get("run"):
        rows = rows.filter(_by_uuid("run__uuid", params["run"]))
    if params.get("code"):
        rows = rows.filter(exception=params["code"])
    return rows


def _creditor(
    rows: QuerySet[Any], params: Mapping[str, str], prefix: str
) -> QuerySet[Any]:
    condition = payments.creditor_q(params.get("creditor", ""), params.get("name", ""))
    if prefix:
        condition = Q(**{f"{prefix}__in": Debt.objects.filter(condition).values("pk")})
    return rows.filter(condition)


def _debts(scope: payments.PaymentScope, params: Mapping[str, str]) -> QuerySet[Any]:
    return _creditor(payments.debts(scope), params, "").select_related("person")


def _retentions(
    scope: payments.PaymentScope, params: Mapping[str, str]
) -> QuerySet[Any]:
    return _creditor(payments.retentions(scope), params, "debt").select_related(
        "debt__person"
    )


# What each row shows


def _request_line(row: Any) -> Line:
    return Line(
        [
            row.reference,
            row.get_status_display(),
            row.received_at,
            row.resolution_due,
            row.owner.username if row.owner_id else "",
        ],
        ("request_detail", row.reference),
    )


def _signal_line(row: Any) -> Line:
    return Line(
        [row.request.reference, row.get_deadline_display(), row.due_at],
        ("request_detail", row.request.reference),
    )


def _contact_line(row: Any) -> Line:
    return Line(
        [
            row.started_at,
            row.get_channel_display(),
            row.agent.username if row.agent_id else "",
        ],
        ("contact_detail", str(row.uuid)),
    )


def _dossier_line(row: Any) -> Line:
    return Line(
        [
            row.reference,
            row.case_type.code,
            row.status,
            row.received_on,
            row.closed_at,
            row.owner.username if row.owner_id else "",
        ],
        ("dossier_detail", row.reference),
    )


def _task_line(row: Any) -> Line:
    return Line(
        [
            row.dossier.reference,
            row.title,
            row.assignee.username if row.assignee_id else "",
            row.due_on,
        ],
        ("dossier_detail", row.dossier.reference),
    )


def _letter_line(row: Any) -> Line:
    return Line(
        [row.author.username, row.submitted_at, row.get_status_display()],
        ("letter_detail", str(row.uuid)),
    )


def _mail_line(row: Any) -> Line:
    return Line([row.number, row.received_on], ("mail_detail", str(row.uuid)))


def _appointment_line(row: Any) -> Line:
    return Line(
        [row.reference, row.start, row.offer.code, row.get_status_display()],
        ("appointment", str(row.uuid)),
    )


def _exception_line(row: Any) -> Line:
    return Line(
        [str(row.beneficiary.person), row.run.team.name, exception_text(row.exception)],
        ("person_payments", str(row.beneficiary.person.uuid)),
    )


def _debt_line(row: Any) -> Line:
    return Line(
        [
            str(row.person),
            row.get_kind_display(),
            row.get_status_display(),
            row.reference,
        ],
        ("person_debts", str(row.person.uuid)),
    )


def _retention_line(row: Any) -> Line:
    return Line(
        [str(row.debt.person), row.period, -row.amount],
        ("person_debts", str(row.debt.person.uuid)),
    )


@dataclass(frozen=True)
class Source:
    title: Any
    headers: tuple[Any, ...]
    rows: Callable[[Any, Mapping[str, str]], QuerySet[Any]]
    line: Callable[[Any], Line]
    order: tuple[str, ...]
    payments: bool = False


REQUEST_HEADERS = (_("Reference"), _("Status"), _("Received"), _("Due"), _("Owner"))
DOSSIER_HEADERS = (
    _("Reference"),
    _("Case type"),
    _("Status"),
    _("Received"),
    _("Closed"),
    _("Owner"),
)
CONTACT_HEADERS = (_("Started"), _("Channel"), _("Agent"))

SOURCES: dict[str, Source] = {
    "open_requests": Source(
        _("Open requests"),
        REQUEST_HEADERS,
        _open_requests,
        _request_line,
        ("received_at", "id"),
    ),
    "first_answers": Source(
        _("Requests first answered"),
        REQUEST_HEADERS,
        _first_answers,
        _request_line,
        ("first_answered_at", "id"),
    ),
    "resolutions": Source(
        _("Requests resolved"),
        REQUEST_HEADERS,
        _resolutions,
        _request_line,
        ("resolved_at", "id"),
    ),
    "breaches": Source(
        _("Deadlines breached"),
        (_("Request"), _("Deadline"), _("Due")),
        _breaches,
        _signal_line,
        ("due_at", "id"),
    ),
    "contacts": Source(
        _("Contacts"), CONTACT_HEADERS, _contacts, _contact_line, ("started_at", "id")
    ),
    "counter_visits": Source(
        _("Counter visitors"),
        CONTACT_HEADERS,
        _counter_visits,
        _contact_line,
        ("started_at", "id"),
    ),
    "open_dossiers": Source(
        _("Open dossiers"),
        DOSSIER_HEADERS,
        _open_dossiers,
        _dossier_line,
        ("received_on", "id"),
    ),
    "closed_dossiers": Source(
        _("Dossiers closed"),
        DOSSIER_HEADERS,
        _closed_dossiers,
        _dossier_line,
        ("closed_at", "id"),
    ),
    "decisions_waiting": Source(
        _("Decisions to review"),
        DOSSIER_HEADERS,
        _decisions_waiting,
        _dossier_line,
        ("received_on", "id"),
    ),
    "open_tasks": Source(
        _("Open dossier tasks"),
        (_("Dossier"), _("Task"), _("Assigned to"), _("Due on")),
        _open_tasks,
        _task_line,
        ("due_on", "id"),
    ),
    "letters_waiting": Source(
        _("Letters to approve"),
        (_("Author"), _("Submitted"), _("Status")),
        _letters_waiting,
        _letter_line,
        ("submitted_at", "id"),
    ),
    "mail_waiting": Source(
        _("Mail not dispatched"),
        (_("Number"), _("Received on")),
        _mail_waiting,
        _mail_line,
        ("received_on", "id"),
    ),
    "appointments": Source(
        _("Appointments"),
        (_("Reference"), _("Start"), _("Offer"), _("Status")),
        _appointments,
        _appointment_line,
        ("start", "id"),
    ),
    "run_exceptions": Source(
        _("Exceptions of the run"),
        (_("Beneficiary"), _("Payment office"), _("Reason")),
        _run_exceptions,
        _exception_line,
        ("run_id", "beneficiary_id"),
        payments=True,
    ),
    "debts": Source(
        _("Debts of the creditor"),
        (_("Person"), _("Kind"), _("Status"), _("Creditor's reference")),
        _debts,
        _debt_line,
        ("notified_on", "id"),
        payments=True,
    ),
    "retentions": Source(
        _("Kept back this month"),
        (_("Person"), _("Month"), _("Amount")),
        _retentions,
        _retention_line,
        ("booked_on", "id"),
        payments=True,
    ),
}


def source_rows(
    *, agent: Agent, figure: str, params: Mapping[str, str], today: dt.date
) -> tuple[Source, QuerySet[Any], list[tuple[str, str]]]:
    """The source of `figure` and its rows narrowed by `params` (unordered, not
    logged: for the page below and for tests), with the filters as shown."""
    found = SOURCES.get(figure)
    if found is None:
        raise NotFound(_("There is no such figure."))
    shown = [
        (key, value) for key, value in sorted(params.items()) if value and key != "page"
    ]
    if found.payments:
        scope = payments.scope_of(agent=agent, month=params.get("month", ""))
        return found, found.rows(scope, params), shown
    policy.require(agent, Action.DASHBOARD_SUPERVISOR)
    period = parse_period(params, today) if params else default_period(today)
    team_scope = sources.scope_of(
        agent=agent, team=params.get("team", ""), period=period
    )
    return found, found.rows(team_scope, params), shown


def rows_page(
    *,
    agent: Agent,
    figure: str,
    params: Mapping[str, str],
    today: dt.date,
    page: int = 1,
) -> RowsPage:
    source, rows, shown = source_rows(
        agent=agent, figure=figure, params=params, today=today
    )
    page = max(1, min(page, 10_000))
    start = (page - 1) * PAGE
    found: list[Model] = list(rows.order_by(*source.order)[start : start + PAGE + 1])
    lines = found[:PAGE]
    if lines:
        access_record(
            actor=agent,
            action="report.rows",
            objects=lines,
            context={"figure": figure},
        )
    return RowsPage(
        figure=figure,
        title=str(source.title),
        headers=[str(header) for header in source.headers],
        lines=[source.line(row) for row in lines],
        total=rows.count(),
        page=page,
        has_next=len(found) > PAGE,
        filters=shown,
    )
