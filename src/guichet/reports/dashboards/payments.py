"""The payment office's dashboard: the month's runs, their exceptions, debts.

From the seeds (docs/sources.md, seed 004): the payment office prepares the
monthly run, clears its exceptions and "anticipe les périodes de pointe"; it
keeps the claims of creditors and what was kept back for them. Every figure is a
GROUP BY over rows the access policy lets the agent see: the items of a run count
only beneficiaries the agent may see (a person confidential to another team is
left out, so a total may be below the run's own), debts only those of the
agent's payment offices and visible persons.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from guichet.access import policy
from guichet.access.domains.reports import Action
from guichet.agents.models import Agent
from guichet.core import clock
from guichet.core.validation import Problems, parse_uuid
from guichet.debts.models import Debt, DebtEntry, EntryKind
from guichet.parties.models import Organisation
from guichet.payments.models import Beneficiary, PaymentRun, RunItem
from guichet.payments.selectors import MONTH, runs_visible
from guichet.payments.workflow import exception_text

from .common import Bar, Cell, Chart, Drill, Figure

FIGURES = ("runs", "exceptions", "creditors")
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class PaymentScope:
    agent: Agent
    month: str


@dataclass(frozen=True)
class Dashboard:
    scope: PaymentScope
    months: list[str]
    figures: list[Figure]


def months_of(agent: Agent) -> list[str]:
    """The months of the runs the agent sees, the latest first."""
    return list(
        runs_visible(agent=agent)
        .order_by("-month")
        .values_list("month", flat=True)
        .distinct()
    )


def scope_of(*, agent: Agent, month: str) -> PaymentScope:
    """The month asked for (YYYY-MM), by default the latest run's (else this one)."""
    policy.require(agent, Action.DASHBOARD_PAYMENTS)
    if not month:
        months = months_of(agent)
        month = months[0] if months else clock.today().strftime("%Y-%m")
    if not MONTH.fullmatch(month):
        problems = Problems(message=_("The filters are not valid."))
        problems.add("month", "invalid", _("Give a month as YYYY-MM."))
        problems.raise_if_any()
    return PaymentScope(agent=agent, month=month)


def dashboard(*, agent: Agent, month: str, only: str = "") -> Dashboard:
    scope = scope_of(agent=agent, month=month)
    keys = [only] if only in FIGURES else list(FIGURES)
    builders = {"runs": runs, "exceptions": exceptions, "creditors": creditors}
    return Dashboard(
        scope=scope,
        months=months_of(agent),
        figures=[builders[key](scope) for key in keys],
    )


# Sources (shared with the rows page)


def month_runs(scope: PaymentScope) -> QuerySet[PaymentRun]:
    return runs_visible(agent=scope.agent).filter(month=scope.month)


def run_items(scope: PaymentScope) -> QuerySet[RunItem]:
    """The items of the month's runs whose beneficiary the agent sees."""
    return RunItem.objects.filter(
        run__in=month_runs(scope),
        beneficiary__in=policy.visible(scope.agent, Beneficiary.objects.all()),
    )


def exception_items(scope: PaymentScope) -> QuerySet[RunItem]:
    return run_items(scope).exclude(exception="")


def debts(scope: PaymentScope) -> QuerySet[Debt]:
    return policy.visible(scope.agent, Debt.objects.all())


def retentions(scope: PaymentScope) -> QuerySet[DebtEntry]:
    """What was kept back from the month's payments for the visible debts."""
    return DebtEntry.objects.filter(
        debt__in=debts(scope), kind=EntryKind.RETENTION, period=scope.month
    )


def creditor_q(creditor: str, name: str) -> Q:
    """A creditor as the dashboard groups them: an organisation (by its public
    id) and the name as written, or a name only."""
    if creditor:
        key = parse_uuid(creditor)
        if key is None:
            return Q(pk__in=[])
        return Q(creditor__uuid=key, creditor_name=name)
    return Q(creditor__isnull=True, creditor_name=name)


# Figures


def _rows(figure: str, **params: str) -> Drill:
    return Drill(screen="rows", figure=figure, params=params)


def runs(scope: PaymentScope) -> Figure:
    paid = Q(exception="")
    totals = {
        row.pop("run_id"): row
        for row in run_items(scope)
        .values("run_id")
        .annotate(
            paid=Count("pk", filter=paid),
            exceptions=Count("pk", filter=~paid),
            gross=Sum("gross", filter=paid),
            withholding=Sum("withholding", filter=paid),
            deductions=Sum("deductions", filter=paid),
            net=Sum("net", filter=paid),
        )
        .order_by()
    }
    table = []
    for run in month_runs(scope).select_related("team").order_by("team__code"):
        found = totals.get(run.pk, {})
        table.append(
            [
                Cell(
                    run.team.name,
                    Drill(screen="payment_run", params={"run": str(run.uuid)}),
                ),
                Cell(str(run.get_state_display())),
                Cell(found.get("paid", 0)),
                Cell(
                    found.get("exceptions", 0),
                    _rows("run_exceptions", month=scope.month, run=str(run.uuid)),
                ),
                Cell(found.get("gross") or ZERO),
                Cell(found.get("withholding") or ZERO),
                Cell(found.get("deductions") or ZERO),
                Cell(found.get("net") or ZERO),
            ]
        )
    return Figure(
        key="runs",
        title=_("The month's payment runs"),
        description=_(
            "Each payment office's run of the month: beneficiaries paid, "
            "exceptions, and the amounts of the paid items (euros)."
        ),
        headers=[
            _("Payment office"),
            _("State"),
            _("Paid"),
            _("Exceptions"),
            _("Gross"),
            _("Withholding tax"),
            _("Deductions"),
            _("Net"),
        ],
        rows=table,
    )


def exceptions(scope: PaymentScope) -> Figure:
    found = list(
        exception_items(scope)
        .values_list("run__uuid", "run__team__name", "exception")
        .annotate(number=Count("pk"))
        .order_by("run__team__name", "exception")
    )
    table = [
        [
            Cell(team),
            Cell(exception_text(code)),
            Cell(
                number,
                _rows(
                    "run_exceptions",
                    month=scope.month,
                    run=str(run_uuid),
                    code=code,
                ),
            ),
        ]
        for run_uuid, team, code, number in found
    ]
    return Figure(
        key="exceptions",
        title=_("Exceptions of the month's runs"),
        description=_("Beneficiaries not paid this month, by reason."),
        headers=[_("Payment office"), _("Reason"), _("Beneficiaries")],
        rows=table,
    )


def creditors(scope: PaymentScope) -> Figure:
    counted = {
        (creditor_id, name): row
        for creditor_id, name, *row in debts(scope)
        .values_list("creditor_id", "creditor_name")
        .annotate(
            number=Count("pk"),
            active=Count("pk", filter=Q(status="active")),
        )
        .order_by()
    }
    balances = {
        (creditor_id, name): total
        for creditor_id, name, total in DebtEntry.objects.filter(debt__in=debts(scope))
        .values_list("debt__creditor_id", "debt__creditor_name")
        .annotate(total=Sum("amount"))
        .order_by()
    }
    recovered = {
        (creditor_id, name): -total
        for creditor_id, name, total in retentions(scope)
        .values_list("debt__creditor_id", "debt__creditor_name")
        .annotate(total=Sum("amount"))
        .order_by()
    }
    organisations = {
        row.pk: row
        for row in Organisation.objects.filter(
            pk__in={key[0] for key in counted if key[0]}
        )
    }
    table = []
    for key in sorted(counted, key=lambda key: _creditor_label(key, organisations)):
        number, active = counted[key]
        organisation = organisations.get(key[0]) if key[0] else None
        drill = {
            "month": scope.month,
            "creditor": str(organisation.uuid) if organisation else "",
            "name": key[1],
        }
        table.append(
            [
                Cell(_creditor_label(key, organisations)),
                Cell(number, _rows("debts", **drill)),
                Cell(active),
                Cell(balances.get(key) or ZERO),
                Cell(recovered.get(key) or ZERO, _rows("retentions", **drill)),
            ]
        )
    return Figure(
        key="creditors",
        title=_("Debts and recoveries by creditor"),
        description=_(
            "The debts of the payment offices by creditor: how many, the balance "
            "still owed today, and what was kept back from the month's payments "
            "(euros)."
        ),
        headers=[
            _("Creditor"),
            _("Debts"),
            _("Active"),
            _("Outstanding"),
            _("Recovered this month"),
        ],
        rows=table,
        chart=Chart(
            title=_("Recovered this month by creditor"),
            series=[_("Recovered (euros)")],
            bars=[Bar(str(row[0].value), [float(row[4].value)]) for row in table],
        ),
    )


def _creditor_label(
    key: tuple[int | None, str], organisations: dict[int, Organisation]
) -> str:
    creditor_id, name = key
    if creditor_id and creditor_id in organisations:
        return name or organisations[creditor_id].name
    return name or str(_("no creditor named"))
