"""Every row lock of the debts app, in one fixed order: debts by id.

A writer that changes a balance locks the debts first, then reads their entries, so
two agents (or an agent and a payment run) never both spend the same balance.
SQLite ignores `select_for_update`; its IMMEDIATE transactions serialise writers.
"""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Debt


def lock_debts(debts: QuerySet[Debt]) -> list[Debt]:
    """Lock these debts (and only them), lowest id first, and return them."""
    return list(debts.select_for_update(of=("self",)).order_by("id"))
