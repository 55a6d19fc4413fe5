"""The payment office's lists (seed 004: "traiter les listes prépensions et
dispenses maximales"; issue #18 item 7): who is on pre-pension, who is paid the
maximum daily amount, whose payments are stopped and why. Each is read for an
agent through the policy (only beneficiaries of the agent's offices whose person
they may see), logged in the access log, and exportable as CSV or XLSX with its
filters written at the top of the file, in the agent's language.

- **Pre-pension**: an entitlement of category `bridge_pension` ("unemployment with
  company supplement", the former "prépension", SWT/RCC) in force during the month.
- **At the maximum**: the project's sources give no legal maximum daily amount, so
  none is invented here. A beneficiary is "at the maximum" when the daily amount of an
  entitlement in force during the month equals the highest daily amount of the same
  category in force that month in the same payment office. The comparison needs no
  setting and changes with the decisions entered.
- **Payments stopped**: beneficiaries whose status is "payments stopped", with the
  reason the agent gave (`services.beneficiary_stop`).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Max, Q, QuerySet
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from guichet.access import policy
from guichet.access.domains.payments import Action
from guichet.agents.models import Agent
from guichet.audit.services import access_record
from guichet.core import tabular

from . import calculation
from .models import Beneficiary, BeneficiaryStatus, Entitlement, EntitlementCategory

KINDS = ("prepension", "maximum", "stopped")
TITLES = {
    "prepension": _("Beneficiaries on pre-pension"),
    "maximum": _("Beneficiaries at the maximum daily amount"),
    "stopped": _("Payments stopped"),
}


@dataclass(frozen=True)
class ListFilters:
    kind: str
    month: str
    category: str = ""  # the "maximum" list only; empty: every category

    def described(self) -> list[tuple[str, str]]:
        """The filters as (label, value), in the active language."""
        rows = [(gettext("List"), str(TITLES[self.kind]))]
        if self.kind != "stopped":
            rows.append((gettext("Month"), self.month))
        if self.kind == "maximum":
            rows.append(
                (
                    gettext("Category"),
                    str(EntitlementCategory(self.category).label)
                    if self.category
                    else gettext("every category"),
                )
            )
        return rows


@dataclass(frozen=True)
class ListRow:
    beneficiary: Beneficiary
    category: str  # label
    daily_amount: Decimal | None
    starts_on: Any
    ends_on: Any
    maximum: Decimal | None = None
    reason: str = ""


@dataclass(frozen=True)
class PaymentList:
    filters: ListFilters
    rows: list[ListRow]


def _visible(agent: Agent) -> QuerySet[Beneficiary]:
    return policy.visible(agent, Beneficiary.objects.all()).filter(
        team_id__in=agent.team_ids
    )


def _in_force(month: str) -> Q:
    first, last = calculation.month_bounds(month)
    return Q(starts_on__lte=last) & (Q(ends_on__isnull=True) | Q(ends_on__gte=first))


def _row(entitlement: Entitlement, **extra: Any) -> ListRow:
    return ListRow(
        beneficiary=entitlement.beneficiary,
        category=str(EntitlementCategory(entitlement.category).label),
        daily_amount=entitlement.daily_amount,
        starts_on=entitlement.starts_on,
        ends_on=entitlement.ends_on,
        **extra,
    )


def payment_list(*, agent: Agent, filters: ListFilters) -> PaymentList:
    """One of the three lists for `agent` (empty for an agent without payments)."""
    if filters.kind not in KINDS:
        raise ValueError(filters.kind)
    if not policy.may(agent, Action.PAYMENT_VIEW):
        return PaymentList(filters=filters, rows=[])
    visible = _visible(agent)
    rows: list[ListRow] = []
    if filters.kind == "stopped":
        rows = [
            ListRow(
                beneficiary=beneficiary,
                category="",
                daily_amount=None,
                starts_on=None,
                ends_on=None,
                reason=beneficiary.stop_reason,
            )
            for beneficiary in visible.filter(
                status=BeneficiaryStatus.STOPPED
            ).select_related("person", "team")
        ]
    else:
        in_force = Entitlement.objects.filter(_in_force(filters.month)).filter(
            beneficiary__in=visible
        )
        if filters.kind == "prepension":
            chosen = in_force.filter(category=EntitlementCategory.BRIDGE_PENSION)
            rows = [
                _row(ent)
                for ent in chosen.select_related(
                    "beneficiary__person", "beneficiary__team"
                )
            ]
        else:
            # The highest daily amount per office and category in force that month,
            # over the whole office (not only the persons this agent may see).
            highest = {
                (row["beneficiary__team_id"], row["category"]): row["top"]
                for row in Entitlement.objects.filter(_in_force(filters.month))
                .filter(beneficiary__team_id__in=agent.team_ids)
                .values("beneficiary__team_id", "category")
                .annotate(top=Max("daily_amount"))
            }
            if filters.category:
                in_force = in_force.filter(category=filters.category)
            for ent in in_force.select_related(
                "beneficiary__person", "beneficiary__team"
            ):
                top = highest.get((ent.beneficiary.team_id, ent.category))
                if top is not None and ent.daily_amount == top:
                    rows.append(_row(ent, maximum=top))
    rows.sort(
        key=lambda row: (
            row.beneficiary.person.surname.casefold(),
            row.beneficiary.person.given_names.casefold(),
            row.beneficiary.pk,
        )
    )
    if rows:
        access_record(
            actor=agent,
            action=f"payment.list_{filters.kind}",
            objects=[row.beneficiary.person for row in rows],
            context={"month": filters.month, "category": filters.category},
        )
    return PaymentList(filters=filters, rows=rows)


# Exports


def _headers(kind: str) -> list[str]:
    names = [gettext("Surname"), gettext("Given names"), gettext("National number")]
    names.append(gettext("Payment office"))
    if kind == "stopped":
        return [*names, gettext("Reason")]
    names += [
        gettext("Category"),
        gettext("Daily amount (EUR)"),
        gettext("From"),
        gettext("Until"),
    ]
    if kind == "maximum":
        names.append(gettext("Highest daily amount of the category (EUR)"))
    return names


def _cells(kind: str, row: ListRow) -> list[Any]:
    person = row.beneficiary.person
    cells: list[Any] = [
        person.surname,
        person.given_names,
        person.national_number,
        row.beneficiary.team.name,
    ]
    if kind == "stopped":
        return [*cells, row.reason]
    cells += [
        row.category,
        row.daily_amount,
        row.starts_on,
        row.ends_on,
    ]
    if kind == "maximum":
        cells.append(row.maximum)
    return cells


def table(found: PaymentList, *, language: str) -> tabular.Table:
    """The list as a table for `core.tabular`, in `language`."""
    with translation.override(language):
        return tabular.Table(
            title=str(TITLES[found.filters.kind]),
            filters=found.filters.described(),
            headers=_headers(found.filters.kind),
            rows=[_cells(found.filters.kind, row) for row in found.rows],
        )


def export_csv(found: PaymentList, *, language: str) -> bytes:
    """The list as CSV (UTF-8 with BOM, `;` as Belgian spreadsheets expect), its
    filters first, then a blank line, the header and the rows."""
    return tabular.to_csv(table(found, language=language))


def export_xlsx(found: PaymentList, *, language: str) -> bytes:
    """The list as an XLSX workbook: the filters on top, amounts as numbers."""
    return tabular.to_xlsx(table(found, language=language))
