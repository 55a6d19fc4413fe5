"""Every read of the cash book, for an agent, through the policy and the access log.

A counter, day, payment or refund the agent may not see raises `NotFound`, as one
that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from guichet.access import policy
from guichet.access.policy import Seen
from guichet.agents.models import Agent
from guichet.audit.services import access_record
from guichet.core import clock
from guichet.core.errors import NotFound
from guichet.core.validation import parse_uuid
from guichet.dossiers.fees import fees_of_dossier_for_agent, fees_visible
from guichet.dossiers.models import DossierFee

from . import receipt, services
from .models import CashDay, Counter, Payment, Refund


def counters_for_agent(*, agent: Agent) -> list[Counter]:
    """The counters of the agent's teams (none without a cash-book role)."""
    return list(policy.visible(agent, Counter.objects.select_related("team")))


def _one(queryset: QuerySet[Any], key: object, message: Any) -> Any:
    uuid = parse_uuid(key)
    row = queryset.filter(uuid=uuid).first() if uuid is not None else None
    if row is None:
        raise NotFound(message)
    return row


def counter_get_for_agent(*, agent: Agent, key: object) -> Seen[Counter]:
    counter = _one(
        policy.visible(agent, Counter.objects.select_related("team")),
        key,
        _("There is no such counter."),
    )
    return policy.seen(agent, counter)


@dataclass(frozen=True)
class DaySheet:
    """A counter's day as its screens show it: payments, refunds, expected sums."""

    counter: Counter
    day: CashDay | None
    payments: list[Payment]
    refunds: list[Refund]
    expected: dict[str, Decimal]
    total: Decimal
    actions: frozenset[str]


def day_sheet(*, agent: Agent, counter: Seen[Counter], key: object = None) -> DaySheet:
    """Today's day of a counter (or the day `key`), with its entries; logged."""
    days = policy.visible(agent, CashDay.objects.filter(counter=counter.obj))
    if key is None:
        day = days.filter(day=clock.today()).first()
    else:
        day = _one(days, key, _("There is no such day."))
    payments: list[Payment] = []
    refunds: list[Refund] = []
    expected = dict.fromkeys(("card", "cash", "transfer"), Decimal("0.00"))
    total = Decimal("0.00")
    actions = counter.actions
    if day is not None:
        payments = list(
            policy.visible(agent, Payment.objects.filter(day=day)).select_related(
                "fee", "fee__dossier", "recorded_by"
            )
        )
        refunds = list(
            policy.visible(agent, Refund.objects.filter(day=day)).select_related(
                "payment", "payment__fee__dossier", "recorded_by"
            )
        )
        figures = services.day_figures(day)
        expected, total = figures.expected, figures.total
        actions = policy.allowed(agent, day)
        access_record(
            actor=agent,
            action="cashbook.day_read",
            obj=day,
            objects=[*payments, *refunds],
        )
    return DaySheet(
        counter=counter.obj,
        day=day,
        payments=payments,
        refunds=refunds,
        expected=expected,
        total=total,
        actions=actions,
    )


def cash_day_get_for_agent(*, agent: Agent, key: object) -> Seen[CashDay]:
    day = _one(
        policy.visible(
            agent, CashDay.objects.select_related("counter", "counter__team")
        ),
        key,
        _("There is no such day."),
    )
    return policy.seen(agent, day)


def payment_get_for_agent(*, agent: Agent, key: object) -> Seen[Payment]:
    payment = _one(
        policy.visible(agent, Payment.objects.all()).select_related(
            "counter", "counter__team", "fee", "fee__dossier", "day", "recorded_by"
        ),
        key,
        _("There is no such payment."),
    )
    access_record(actor=agent, action="cashbook.payment_read", obj=payment)
    return policy.seen(agent, payment)


def refund_get_for_agent(*, agent: Agent, key: object) -> Seen[Refund]:
    refund = _one(
        policy.visible(agent, Refund.objects.all()).select_related(
            "counter",
            "counter__team",
            "payment",
            "payment__fee__dossier",
            "recorded_by",
        ),
        key,
        _("There is no such refund."),
    )
    access_record(actor=agent, action="cashbook.refund_read", obj=refund)
    return policy.seen(agent, refund)


@dataclass(frozen=True)
class FeeDue:
    fee: DossierFee
    remaining: Decimal


def fees_due(*, agent: Agent, dossier_key: object) -> list[FeeDue]:
    """The fees of a dossier (by reference or id) with what remains due on each."""
    if not policy.may(agent, "cashbook.payment_record"):
        raise NotFound(_("There is no such dossier."))
    return [
        FeeDue(fee=fee, remaining=services.fee_remaining(fee))
        for fee in fees_of_dossier_for_agent(agent=agent, key=dossier_key)
    ]


def receipt_for_agent(
    *, agent: Agent, kind: str, key: object, language: str
) -> receipt.Receipt:
    """The PDF/A receipt of a payment (`kind` "payment") or a refund, in one of
    the four languages; the read is logged."""
    if language not in receipt.LANGUAGES:
        raise NotFound(_("There is no such receipt."))
    entry: Payment | Refund
    if kind == "payment":
        entry = payment_get_for_agent(agent=agent, key=key).obj
    elif kind == "refund":
        entry = refund_get_for_agent(agent=agent, key=key).obj
    else:
        raise NotFound(_("There is no such receipt."))
    return receipt.receipt_render(entry, language)


def fee_get_for_agent(*, agent: Agent, key: object) -> DossierFee:
    """A fee (by public id) of a dossier the agent sees, for a payment."""
    if not policy.may(agent, "cashbook.payment_record"):
        raise NotFound(_("There is no such dossier."))
    fee: DossierFee = _one(
        fees_visible(agent=agent).select_related("dossier"),
        key,
        _("There is no such dossier."),
    )
    return fee
