"""Attestations of the payment office, PDF/A in the beneficiary's language.

From seed 004 (VBFBSD012: "attestations destinées au CPAS, feuille de
renseignements mutuelle", docs/sources.md §5.2). Three kinds:

- `cpas`: the amounts paid over a period of months, for the CPAS/OCMW;
- `mutuality`: the health insurer's information sheet ("feuille de renseignements
  mutuelle"): per month the days paid, the days declared sick, the daily amount
  and the amounts;
- `tax`: a yearly statement of the amounts paid and withheld over a calendar year
  (by the execution date of each run). The project's sources could not confirm
  the official tax form, so the statement names no form number.

Only executed runs count (what was really paid); a month that was an exception
of its run was not paid and is not listed. Rendered through correspondence's
PDF/A rendering, as the cash book's receipts are; every download is written to
the access log (`payment.attestation`).
"""

from __future__ import annotations

import datetime as dt
import uuid as uuid_module
from dataclasses import dataclass
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from guichet.agents.models import Agent
from guichet.audit.services import access_record
from guichet.core import clock
from guichet.core.errors import NotFound
from guichet.core.money import format_amount
from guichet.correspondence import content, pdf

from . import selectors
from .errors import Code, Invalid
from .models import Beneficiary, Declaration, RunItem, RunState

KINDS = ("cpas", "mutuality", "tax")
LANGUAGES = ("fr", "nl", "de", "en")
TITLES = {
    "cpas": _("Attestation of the benefits paid"),
    "mutuality": _("Information sheet for the health insurer"),
    "tax": _("Yearly statement of the amounts paid and withheld"),
}
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Line:
    month: str
    paid_on: dt.date
    days: int
    days_sick: int
    daily_amount: Decimal | None
    gross: Decimal
    withholding: Decimal
    deductions: Decimal
    net: Decimal


@dataclass(frozen=True)
class Attestation:
    kind: str
    beneficiary: Beneficiary
    first: str  # YYYY-MM, or the year's first month
    last: str
    lines: list[Line]
    gross: Decimal
    withholding: Decimal
    deductions: Decimal
    net: Decimal


def _period(kind: str, first: str, last: str, year: int | None) -> tuple[str, str]:
    if kind == "tax":
        if year is None or not 2000 <= year <= 2100:
            raise Invalid(_("Give a year such as 2026."), code=Code.INVALID_MONTH)
        return f"{year:04d}-01", f"{year:04d}-12"
    for month in (first, last):
        if not isinstance(month, str) or not selectors.MONTH.fullmatch(month):
            raise Invalid(_("Give a month as YYYY-MM."), code=Code.INVALID_MONTH)
    if last < first:
        raise Invalid(_("The end is before the start."), code=Code.PERIOD_REVERSED)
    return first, last


def attestation_data(
    *,
    agent: Agent,
    beneficiary_id: str | uuid_module.UUID,
    kind: str,
    first: str = "",
    last: str = "",
    year: int | None = None,
) -> Attestation:
    """What an attestation states, for an agent who may see the beneficiary."""
    if kind not in KINDS:
        raise NotFound(_("There is no such attestation."))
    beneficiary = selectors.beneficiary_get_for_agent(
        agent=agent, beneficiary_id=beneficiary_id
    )
    first, last = _period(kind, first, last, year)
    items = RunItem.objects.filter(
        beneficiary=beneficiary, exception="", run__state=RunState.EXECUTED
    ).select_related("run")
    if kind == "tax":
        items = items.filter(run__paid_on__year=int(first[:4]))
    else:
        items = items.filter(run__month__gte=first, run__month__lte=last)
    sick = dict(
        Declaration.objects.filter(beneficiary=beneficiary).values_list(
            "month", "days_sick"
        )
    )
    lines = []
    for item in items.order_by("run__month"):
        daily = (
            (item.gross / item.days).quantize(Decimal("0.01")) if item.days else None
        )
        lines.append(
            Line(
                month=item.run.month,
                paid_on=item.run.paid_on,
                days=item.days,
                days_sick=sick.get(item.run.month, 0),
                daily_amount=daily,
                gross=item.gross,
                withholding=item.withholding,
                deductions=item.deductions,
                net=item.net,
            )
        )
    return Attestation(
        kind=kind,
        beneficiary=beneficiary,
        first=first,
        last=last,
        lines=lines,
        gross=sum((line.gross for line in lines), ZERO),
        withholding=sum((line.withholding for line in lines), ZERO),
        deductions=sum((line.deductions for line in lines), ZERO),
        net=sum((line.net for line in lines), ZERO),
    )


def attestation_html(attestation: Attestation, language: str) -> str:
    beneficiary = attestation.beneficiary
    person = beneficiary.person
    with translation.override(language):
        title = str(TITLES[attestation.kind])
        context = {
            "language": language,
            "kind": attestation.kind,
            "title": title,
            "service": beneficiary.team.name,
            "person": f"{person.given_names} {person.surname}",
            "national_number": person.national_number,
            "first": attestation.first,
            "last": attestation.last,
            "year": attestation.first[:4],
            "lines": [
                {
                    "month": line.month,
                    "paid_on": line.paid_on.strftime("%d/%m/%Y"),
                    "days": line.days,
                    "days_sick": line.days_sick,
                    "daily": format_amount(line.daily_amount)
                    if line.daily_amount is not None
                    else "",
                    "gross": format_amount(line.gross),
                    "withholding": format_amount(line.withholding),
                    "deductions": format_amount(line.deductions),
                    "net": format_amount(line.net),
                }
                for line in attestation.lines
            ],
            "gross": format_amount(attestation.gross),
            "withholding": format_amount(attestation.withholding),
            "deductions": format_amount(attestation.deductions),
            "net": format_amount(attestation.net),
            "issued_on": clock.today().strftime("%d/%m/%Y"),
            "footer": content.css_string(
                f"{beneficiary.team.name}{content.SEPARATOR}{title}"
            ),
            "page_label": content.css_string(gettext("Page")),
        }
        return render_to_string("payments/pdf/attestation.html", context)


@dataclass(frozen=True)
class RenderedAttestation:
    filename: str
    data: bytes
    language: str


def attestation_render(
    *,
    agent: Agent,
    beneficiary_id: str | uuid_module.UUID,
    kind: str,
    first: str = "",
    last: str = "",
    year: int | None = None,
    language: str = "",
) -> RenderedAttestation:
    """The attestation as PDF/A, in `language` (else the beneficiary's), logged."""
    attestation = attestation_data(
        agent=agent,
        beneficiary_id=beneficiary_id,
        kind=kind,
        first=first,
        last=last,
        year=year,
    )
    person = attestation.beneficiary.person
    chosen = language or person.language or "fr"
    if chosen not in LANGUAGES:
        chosen = "fr"
    rendered = pdf.render_pdfa(attestation_html(attestation, chosen))
    access_record(
        actor=agent,
        action="payment.attestation",
        obj=person,
        context={
            "beneficiary": str(attestation.beneficiary.uuid),
            "kind": kind,
            "first": attestation.first,
            "last": attestation.last,
            "language": chosen,
        },
    )
    period = (
        attestation.first[:4]
        if kind == "tax"
        else f"{attestation.first}_{attestation.last}"
    )
    return RenderedAttestation(
        filename=f"attestation-{kind}-{period}.pdf", data=rendered.data, language=chosen
    )
