"""The seeds' lists (issue #19 item 3), read for an agent through the source apps.

From the seeds (docs/sources.md): complaints handled and pending, dossiers by
status and deadline, the payment office's pre-pension list and beneficiaries at
the maximum (with what they were paid), the mail registers by period and the
appointments per service. Each list is a `ListSpec`: its filters (validated here,
so the screen and a background export apply the same ones), the rows through the
source app's selector (`policy.visible` inside: a confidential person's row the
agent may not see is neither shown nor counted), its columns and its cells. A
screen logs the rows it shows (`page`); an export logs every row it writes
(`exports`).

Periods are closed intervals of dates in Brussels time, at most `MAX_PERIOD_DAYS`
long, so every query stays bounded by its index on the date.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.paginator import Paginator
from django.db.models import DecimalField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import get_language, gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from guichet.access import policy
from guichet.access.domains.payments import Action as PaymentAction
from guichet.access.domains.reports import Action
from guichet.agenda.appointments import selectors as agenda_selectors
from guichet.agenda.models.appointments import AppointmentStatus
from guichet.agents.models import Agent, Team
from guichet.audit.services import access_record
from guichet.casetypes.models import CaseType
from guichet.core import clock
from guichet.core.validation import Problems
from guichet.correspondence import selectors as mail_selectors
from guichet.correspondence.models import Channel, LetterStatus, MailStatus
from guichet.dossiers import selectors as dossier_selectors
from guichet.payments import lists as payment_lists
from guichet.payments.models import (
    EntitlementCategory,
    PayeeKind,
    Payment,
    PaymentState,
)
from guichet.servicerequests import selectors as request_selectors
from guichet.servicerequests.models import Kind, Status

MAX_PERIOD_DAYS = 366
PAGE_SIZE = 50
Params = dict[str, str]
MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")
HANDLED = (Status.ANSWERED, Status.CLOSED)
NOT_VALID = _("Some filters are not valid: correct them and try again.")


@dataclass(frozen=True)
class Field:
    """One filter: `kind` is "date", "month", "choice", "flag" or "text"."""

    name: str
    label: str | Promise
    kind: str
    choices: Callable[[Agent], list[tuple[str, str]]] | None = None
    default: Callable[[], str] = lambda: ""
    help_text: str | Promise = ""


@dataclass(frozen=True)
class ListSpec:
    """A list: its filters, its rows for an agent, its columns and cells."""

    key: str
    title: str | Promise
    action: str  # the grant that opens it (each row still passes its own rule)
    fields: tuple[Field, ...]
    query: Callable[[Agent, Params], QuerySet[Any] | list[Any]]
    headers: Callable[[Params], list[str]]
    cells: Callable[[Any], list[Any]]
    log_action: str = ""  # "": the rows are logged by the source app already
    description: str | Promise = ""
    period: tuple[str, str] | None = ("start", "end")
    checks: tuple[Callable[[Problems, Params], None], ...] = field(default=())

    def parse(self, agent: Agent, data: Mapping[str, Any]) -> Params:
        """The filters, cleaned; every problem at once as `ValidationFailed`."""
        problems = Problems(message=NOT_VALID)
        params: Params = {}
        for spec in self.fields:
            raw = data.get(spec.name)
            value = (raw if isinstance(raw, str) else "").strip()
            if raw is None:
                value = spec.default()
            params[spec.name] = _clean(problems, agent, spec, value)
        if self.period is not None and not problems.errors:
            _check_period(problems, params, *self.period)
        for check in self.checks:
            check(problems, params)
        problems.raise_if_any()
        return params

    def rows(self, agent: Agent, params: Params) -> QuerySet[Any] | list[Any]:
        """Every row of the list for `agent` (not logged: see `page`)."""
        if not policy.may(agent, self.action):
            return []
        return self.query(agent, params)

    def count(self, agent: Agent, params: Params) -> int:
        rows = self.rows(agent, params)
        return rows.count() if isinstance(rows, QuerySet) else len(rows)

    def described(self, agent: Agent, params: Params) -> list[tuple[str, str]]:
        """The filters applied as (label, value), in the active language."""
        described = [(gettext("List"), str(self.title))]
        for spec in self.fields:
            value = params.get(spec.name, "")
            if spec.kind == "flag":
                shown = gettext("yes") if value else gettext("no")
            elif spec.choices is not None:
                shown = dict(spec.choices(agent)).get(value, value)
            else:
                shown = value
            described.append((str(spec.label), str(shown) or gettext("any")))
        return described


@dataclass(frozen=True)
class Page:
    """One page of a list: the rows shown (object and cells), the total count."""

    rows: list[tuple[Any, list[Any]]]
    count: int
    number: int
    pages: int

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


def page(*, agent: Agent, spec: ListSpec, params: Params, number: int = 1) -> Page:
    """A page of a list for `agent`, its rows logged in the access log."""
    paginator = Paginator(spec.rows(agent, params), PAGE_SIZE)
    shown = paginator.get_page(number)
    objects = list(shown.object_list)
    if objects and spec.log_action:
        access_record(
            actor=agent,
            action=spec.log_action,
            objects=objects,
            context={"list": spec.key, **params},
        )
    return Page(
        rows=[(obj, spec.cells(obj)) for obj in objects],
        count=paginator.count,
        number=shown.number,
        pages=paginator.num_pages,
    )


# Cleaning


def _clean(problems: Problems, agent: Agent, spec: Field, value: str) -> str:
    if spec.kind == "flag":
        return "1" if value in {"1", "on", "true", "yes"} else ""
    if not value:
        return ""
    if spec.kind == "date":
        try:
            return dt.date.fromisoformat(value).isoformat()
        except ValueError:
            problems.add(spec.name, "date", _("Give a date as YYYY-MM-DD."))
            return value
    if spec.kind == "month":
        if not MONTH.fullmatch(value):
            problems.add(spec.name, "month", _("Give a month as YYYY-MM."))
        return value
    if spec.kind == "choice" and spec.choices is not None:
        if value not in dict(spec.choices(agent)):
            problems.add(spec.name, "invalid_choice", _("Choose one of the list."))
        return value
    if len(value) > 100:
        problems.add(spec.name, "too_long", _("At most 100 characters."))
    return value


def _check_period(problems: Problems, params: Params, start: str, end: str) -> None:
    """Both ends given, in order, and at most `MAX_PERIOD_DAYS` apart."""
    if not params.get(start):
        problems.add(start, "required", _("Give the first day of the period."))
    if not params.get(end):
        problems.add(end, "required", _("Give the last day of the period."))
    if problems.errors:
        return
    first, last = _date(params[start]), _date(params[end])
    if last < first:
        problems.add(end, "period", _("The period ends before it starts."))
    elif (last - first).days >= MAX_PERIOD_DAYS:
        problems.add(
            end,
            "period",
            _("A period of at most %(days)d days."),
            days=MAX_PERIOD_DAYS,
        )


def _date(value: str) -> dt.date:
    return dt.date.fromisoformat(value)


def _bounds(
    params: Params, start: str = "start", end: str = "end"
) -> tuple[dt.datetime, dt.datetime]:
    """The period as aware instants: from the first day's midnight (Brussels) to
    the midnight after the last day, excluded."""
    zone = timezone.get_default_timezone()
    first = dt.datetime.combine(_date(params[start]), dt.time(), tzinfo=zone)
    after = dt.datetime.combine(
        _date(params[end]) + dt.timedelta(days=1), dt.time(), tzinfo=zone
    )
    return first, after


def _days_ago(days: int) -> Callable[[], str]:
    return lambda: (clock.today() - dt.timedelta(days=days)).isoformat()


def _today() -> str:
    return clock.today().isoformat()


def this_month() -> str:
    today = clock.today()
    return f"{today.year:04d}-{today.month:02d}"


def _teams(agent: Agent) -> list[tuple[str, str]]:
    teams = Team.objects.filter(is_active=True).order_by("name")
    return [("", gettext("every team")), *((t.code, t.name) for t in teams)]


def labelled(
    choices: Sequence[tuple[str, Any]], every: str | Promise
) -> Callable[[Agent], list[tuple[str, str]]]:
    return lambda agent: [("", str(every)), *((k, str(v)) for k, v in choices)]


def _person(person: Any) -> str:
    return str(person) if person is not None else ""


def _name(obj: Any) -> str:
    return obj.name if obj is not None else ""


def _start(days: int = 30) -> Field:
    return Field("start", _("From"), "date", default=_days_ago(days))


def _end() -> Field:
    return Field("end", _("Until"), "date", default=_today)


TEAM = Field("team", _("Team"), "choice", choices=_teams)


# Complaints handled and pending (servicerequests)


def _complaints(agent: Agent, params: Params) -> QuerySet[Any]:
    first, after = _bounds(params)
    rows = (
        request_selectors.requests_visible(agent=agent)
        .filter(kind=Kind.COMPLAINT, received_at__gte=first, received_at__lt=after)
        .select_related("team", "owner", "person", "organisation")
    )
    if params["team"]:
        rows = rows.filter(team__code=params["team"])
    if params["state"] == "handled":
        rows = rows.filter(status__in=HANDLED)
    elif params["state"] == "pending":
        rows = rows.exclude(status__in=HANDLED)
    return rows.order_by("received_at", "id")


COMPLAINTS = ListSpec(
    key="complaints",
    title=_("Complaints handled and pending"),
    description=_("Complaints received in a period, by team, handled or pending."),
    action=Action.LISTS_VIEW,
    log_action="report.list_complaints",
    fields=(
        TEAM,
        Field(
            "state",
            _("Handled or pending"),
            "choice",
            choices=labelled(
                [
                    ("pending", pgettext_lazy("list filter", "pending")),
                    ("handled", pgettext_lazy("list filter", "handled")),
                ],
                pgettext_lazy("list filter", "handled and pending"),
            ),
        ),
        _start(90),
        _end(),
    ),
    query=_complaints,
    headers=lambda params: [
        gettext("Reference"),
        gettext("Received"),
        gettext("Team"),
        gettext("Status"),
        gettext("Subject"),
        gettext("Citizen"),
        gettext("Owner"),
        gettext("Resolution due"),
        gettext("Resolved"),
        gettext("Classification"),
    ],
    cells=lambda row: [
        row.reference,
        row.received_at,
        _name(row.team),
        row.get_status_display(),
        row.subject,
        _person(row.person) or _name(row.organisation),
        row.owner.get_full_name() if row.owner else "",
        row.resolution_due,
        row.resolved_at,
        row.get_classification_display() if row.classification else "",
    ],
)


# Dossiers by status and deadline (dossiers)


def _case_types(agent: Agent) -> list[tuple[str, str]]:
    language = (get_language() or "en")[:2]
    return [
        ("", gettext("every case type")),
        *((c.code, c.name(language)) for c in CaseType.objects.order_by("code")),
    ]


def _dossiers(agent: Agent, params: Params) -> QuerySet[Any]:
    rows = dossier_selectors.dossiers_visible(agent=agent).filter(
        destroyed_at__isnull=True
    )
    if params["case_type"]:
        rows = rows.filter(case_type__code=params["case_type"])
    if params["state"] == "open":
        rows = rows.filter(closed_at__isnull=True)
    elif params["state"] == "closed":
        rows = rows.filter(closed_at__isnull=False)
    if params["status"]:
        rows = rows.filter(status=params["status"])
    if params["team"]:
        rows = rows.filter(team__code=params["team"])
    if params["due_before"]:
        rows = rows.filter(processing_due__lte=_date(params["due_before"]))
    if params["overdue"]:
        today = clock.today()
        rows = rows.filter(
            Q(processing_due__lt=today) | Q(service_norm_due__lt=today),
            closed_at__isnull=True,
            suspended_since__isnull=True,
        )
    return rows.select_related(
        "case_type", "team", "owner", "person", "organisation"
    ).order_by("processing_due", "service_norm_due", "id")


DOSSIERS = ListSpec(
    key="dossiers",
    title=_("Dossiers by status and deadline"),
    description=_("Dossiers by case type, status and team, due before a day or late."),
    action=Action.LISTS_VIEW,
    log_action="report.list_dossiers",
    period=None,
    fields=(
        Field("case_type", _("Case type"), "choice", choices=_case_types),
        Field(
            "state",
            _("Open or closed"),
            "choice",
            choices=labelled(
                [
                    ("open", pgettext_lazy("list filter", "open")),
                    ("closed", pgettext_lazy("list filter", "closed")),
                ],
                pgettext_lazy("list filter", "open and closed"),
            ),
            default=lambda: "open",
        ),
        Field(
            "status",
            _("Status"),
            "text",
            help_text=_("The case type's status code, exactly; empty: every status."),
        ),
        TEAM,
        Field("due_before", _("Legal deadline on or before"), "date"),
        Field("overdue", _("Late only"), "flag"),
    ),
    query=_dossiers,
    headers=lambda params: [
        gettext("Reference"),
        gettext("Case type"),
        gettext("Status"),
        gettext("Team"),
        gettext("Owner"),
        gettext("Citizen"),
        gettext("Received on"),
        gettext("Legal deadline"),
        gettext("Service norm"),
        gettext("Closed"),
    ],
    cells=lambda row: [
        row.reference,
        row.case_type.name((get_language() or "en")[:2]),
        row.status,
        _name(row.team),
        row.owner.get_full_name() if row.owner else "",
        _person(row.person) or _name(row.organisation),
        row.received_on,
        row.processing_due,
        row.service_norm_due,
        row.closed_at,
    ],
)


# Pre-pension and beneficiaries at the maximum, with their payments (payments)


def paid_in_month(
    beneficiary_ids: Iterable[int], month: str
) -> dict[int, tuple[Decimal, Decimal]]:
    """What was paid for `month` to each beneficiary and, withheld from it, to
    creditors: the transfers booked or in a transfer file (neither merely
    prepared nor rejected by the bank), summed in the database."""
    zero = Value(
        Decimal("0.00"), output_field=DecimalField(max_digits=14, decimal_places=2)
    )
    found = (
        Payment.objects.filter(
            beneficiary_id__in=list(beneficiary_ids),
            month=month,
            state__in=[PaymentState.BOOKED, PaymentState.RELEASED],
        )
        .values("beneficiary_id")
        .annotate(
            own=Coalesce(Sum("amount", filter=Q(kind=PayeeKind.BENEFICIARY)), zero),
            creditors=Coalesce(Sum("amount", filter=Q(kind=PayeeKind.CREDITOR)), zero),
        )
    )
    return {row["beneficiary_id"]: (row["own"], row["creditors"]) for row in found}


def _pensions(agent: Agent, params: Params) -> list[Any]:
    filters = payment_lists.ListFilters(
        kind=params["kind"],
        month=params["month"],
        category=params["category"] if params["kind"] == "maximum" else "",
    )
    found = payment_lists.payment_list(agent=agent, filters=filters)
    table = payment_lists.table(found, language=get_language() or "en")
    paid = paid_in_month({row.beneficiary.pk for row in found.rows}, filters.month)
    none = (Decimal("0.00"), Decimal("0.00"))
    return [
        (row, [*cells, *paid.get(row.beneficiary.pk, none)])
        for row, cells in zip(found.rows, table.rows, strict=True)
    ]


def payment_headers(params: Params) -> list[str]:
    """The columns of the payment office's list `params` choose, as it writes them."""
    filters = payment_lists.ListFilters(
        kind=params["kind"], month=params["month"], category=params["category"]
    )
    empty = payment_lists.PaymentList(filters=filters, rows=[])
    return list(payment_lists.table(empty, language=get_language() or "en").headers)


def _pension_headers(params: Params) -> list[str]:
    return [
        *payment_headers(params),
        gettext("Paid to the beneficiary that month (EUR)"),
        gettext("Paid to creditors that month (EUR)"),
    ]


PENSIONS = ListSpec(
    key="pensions",
    title=_("Pre-pension and beneficiaries at the maximum"),
    description=_("The payment office's lists, with what each beneficiary was paid."),
    action=PaymentAction.PAYMENT_VIEW,
    period=None,
    fields=(
        Field(
            "kind",
            _("List"),
            "choice",
            choices=lambda agent: [
                (key, str(payment_lists.TITLES[key]))
                for key in ("prepension", "maximum")
            ],
            default=lambda: "prepension",
        ),
        Field(
            "month", _("Month"), "month", default=this_month, help_text=_("YYYY-MM.")
        ),
        Field(
            "category",
            _("Category"),
            "choice",
            choices=labelled(EntitlementCategory.choices, _("every category")),
            help_text=_("For the list at the maximum."),
        ),
    ),
    checks=(
        lambda problems, params: (
            None
            if params["kind"] and params["month"]
            else problems.add("month", "required", _("Give a month as YYYY-MM."))
        ),
    ),
    query=_pensions,
    headers=_pension_headers,
    cells=lambda pair: pair[1],
)


# The mail registers by period (correspondence)


def _incoming(agent: Agent, params: Params) -> QuerySet[Any]:
    rows = mail_selectors.incoming_mail_visible(agent=agent).filter(
        received_on__gte=_date(params["start"]), received_on__lte=_date(params["end"])
    )
    if params["team"]:
        rows = rows.filter(team__code=params["team"])
    if params["status"]:
        rows = rows.filter(status=params["status"])
    return rows.order_by("received_on", "year", "sequence", "id")


INCOMING_HEADERS = lambda params: [  # noqa: E731 - shared by two lists
    gettext("Number"),
    gettext("Received on"),
    gettext("Team"),
    gettext("Sender"),
    gettext("Subject"),
    gettext("Status"),
    gettext("Dispatched to"),
    gettext("Dossier"),
]


def incoming_cells(row: Any) -> list[Any]:
    return [
        row.number,
        row.received_on,
        _name(row.team),
        row.sender_name,
        row.subject,
        row.get_status_display(),
        _name(row.dispatched_team),
        row.dispatched_dossier,
    ]


INCOMING = ListSpec(
    key="incoming",
    title=_("Incoming-mail register"),
    description=_("The mail received in a period, per team."),
    action=Action.LISTS_VIEW,
    log_action="report.list_incoming",
    fields=(
        TEAM,
        Field(
            "status",
            _("Status"),
            "choice",
            choices=labelled(MailStatus.choices, _("every status")),
        ),
        _start(30),
        _end(),
    ),
    query=_incoming,
    headers=INCOMING_HEADERS,
    cells=incoming_cells,
)

ISSUED = (LetterStatus.ISSUED, LetterStatus.SENT)


def _outgoing(agent: Agent, params: Params) -> QuerySet[Any]:
    first, after = _bounds(params)
    rows = mail_selectors.letters_visible(agent=agent).filter(
        status__in=ISSUED, issued_at__gte=first, issued_at__lt=after
    )
    if params["team"]:
        rows = rows.filter(team__code=params["team"])
    if params["channel"]:
        rows = rows.filter(channel=params["channel"])
    return rows.order_by("issued_at", "id")


OUTGOING = ListSpec(
    key="outgoing",
    title=_("Outgoing letters issued"),
    description=_("The letters issued in a period, per service."),
    action=Action.LISTS_VIEW,
    log_action="report.list_outgoing",
    fields=(
        Field("team", _("Service"), "choice", choices=_teams),
        Field(
            "channel",
            _("Channel"),
            "choice",
            choices=labelled(Channel.choices, _("every channel")),
        ),
        _start(30),
        _end(),
    ),
    query=_outgoing,
    headers=lambda params: [
        gettext("Number"),
        gettext("Issued"),
        gettext("Service"),
        gettext("Letter"),
        gettext("Addressee"),
        gettext("Language"),
        gettext("Channel"),
        gettext("Status"),
        gettext("Sent"),
    ],
    cells=lambda row: [
        row.number,
        row.issued_at,
        _name(row.team),
        row.template_version.template.title if row.template_version else "",
        _person(row.person),
        row.get_language_display(),
        row.get_channel_display() if row.channel else "",
        row.get_status_display(),
        row.sent_at,
    ],
)


# Appointments per service (agenda)


def _offers(agent: Agent) -> list[tuple[str, str]]:
    offers = agenda_selectors.offers_visible(agent=agent).order_by("team__code", "code")
    return [
        ("", gettext("every offer")),
        *((str(o.uuid), f"{o.team.name}: {o.label}") for o in offers),
    ]


def _appointments(agent: Agent, params: Params) -> QuerySet[Any]:
    first, after = _bounds(params)
    rows = agenda_selectors.appointments_visible(agent=agent).filter(
        start__gte=first, start__lt=after
    )
    if params["offer"]:
        rows = rows.filter(offer__uuid=params["offer"])
    if params["team"]:
        rows = rows.filter(offer__team__code=params["team"])
    if params["status"]:
        rows = rows.filter(status=params["status"])
    return rows.order_by("start", "id")


APPOINTMENTS = ListSpec(
    key="appointments",
    title=_("Appointments per service"),
    description=_("The appointments of a period, per offer or team, by status."),
    action=Action.LISTS_VIEW,
    log_action="report.list_appointments",
    fields=(
        Field("offer", _("Offer"), "choice", choices=_offers),
        TEAM,
        Field(
            "status",
            _("Status"),
            "choice",
            choices=labelled(AppointmentStatus.choices, _("every status")),
        ),
        Field("start", _("From"), "date", default=_today),
        Field(
            "end",
            _("Until"),
            "date",
            default=lambda: (clock.today() + dt.timedelta(days=30)).isoformat(),
        ),
    ),
    query=_appointments,
    headers=lambda params: [
        gettext("Number"),
        gettext("Start"),
        gettext("End"),
        gettext("Team"),
        gettext("Offer"),
        gettext("Citizen"),
        gettext("Status"),
        gettext("Booked by"),
    ],
    cells=lambda row: [
        f"{row.year}-{row.number}",
        row.start,
        row.end,
        _name(row.offer.team),
        row.offer.label,
        _person(row.person),
        row.get_status_display(),
        row.booked_by.get_full_name() if row.booked_by else "",
    ],
)


LISTS: dict[str, ListSpec] = {
    spec.key: spec
    for spec in (COMPLAINTS, DOSSIERS, PENSIONS, INCOMING, OUTGOING, APPOINTMENTS)
}
