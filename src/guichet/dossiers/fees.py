"""The fee due on a dossier, as the counter's cash book sees it.

The cash book (`guichet.cashbook`, an app above this one) takes payments and
refunds of a dossier's fee; the fee itself is this app's data, so it changes only
here: `fee_settle` when what was paid covers the amount due, `fee_unsettle` when a
refund leaves part of it unpaid again. Both are audited and put on the dossier's
timeline. `fee_locked` gives the row locked for the caller's transaction, so two
counters taking a payment for one fee at once are served one after the other.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from guichet.access import policy
from guichet.access.domains.dossiers import Action
from guichet.agents.models import Agent
from guichet.audit.services import audit_record
from guichet.core.errors import NotFound

from .models import Dossier, DossierEvent, DossierFee, EventKind
from .selectors import dossier_get_for_agent
from .services import retention_check


def _no_fee() -> NotFound:
    return NotFound(_("There is no such dossier."))


def fees_of_dossier_for_agent(*, agent: Agent, key: object) -> list[DossierFee]:
    """The fees of a dossier the agent sees (by public id or reference), the read
    logged; a dossier missing or hidden raises `NotFound`."""
    dossier = dossier_get_for_agent(agent=agent, key=key).obj
    return list(DossierFee.objects.filter(dossier=dossier).select_related("dossier"))


def fees_visible(*, agent: Agent) -> QuerySet[DossierFee]:
    """The fees of the dossiers the agent sees."""
    dossiers = policy.visible(agent, Dossier.objects.all())
    return DossierFee.objects.filter(dossier__in=dossiers)


def fee_locked(*, agent: Agent, fee_id: int) -> DossierFee:
    """The fee row, locked until the caller's transaction ends; a fee of a
    dossier the agent may not see is `NotFound`."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("fee_locked must run inside the caller's transaction")
    fee = (
        DossierFee.objects.select_for_update(of=("self",))
        .select_related("dossier", "dossier__person")
        .filter(pk=fee_id)
        .first()
    )
    if fee is None or not policy.may(agent, Action.DOSSIER_VIEW, fee.dossier):
        raise _no_fee()
    return fee


def fee_settle(*, actor: Agent, fee: DossierFee, paid_at: dt.datetime) -> DossierFee:
    """Mark the fee paid (the cash book's payments cover it); idempotent."""
    if fee.paid_at is not None:
        return fee
    retention_check(fee.dossier)
    with transaction.atomic():
        fee.paid_at = paid_at
        fee.paid_recorded_by = actor
        fee.save(update_fields=["paid_at", "paid_recorded_by", "updated_at"])
        DossierEvent.objects.create(
            dossier_id=fee.dossier_id,
            kind=EventKind.FEE,
            agent=actor,
            data={"fee": fee.fee_code, "paid": str(fee.amount)},
        )
        audit_record(
            actor=actor,
            action="dossier.fee_paid",
            obj=fee,
            summary={"amount": str(fee.amount), "source": "cashbook"},
        )
    return fee


def fee_unsettle(*, actor: Agent, fee: DossierFee, reason: str) -> DossierFee:
    """Mark the fee unpaid again (a refund left part of it due); idempotent."""
    if fee.paid_at is None:
        return fee
    retention_check(fee.dossier)
    with transaction.atomic():
        fee.paid_at = None
        fee.paid_recorded_by = None
        fee.save(update_fields=["paid_at", "paid_recorded_by", "updated_at"])
        DossierEvent.objects.create(
            dossier_id=fee.dossier_id,
            kind=EventKind.FEE,
            agent=actor,
            text=reason,
            data={"fee": fee.fee_code, "unpaid": str(fee.amount)},
        )
        audit_record(
            actor=actor,
            action="dossier.fee_unpaid",
            obj=fee,
            summary={"amount": str(fee.amount), "source": "cashbook"},
            reason=reason,
        )
    return fee
