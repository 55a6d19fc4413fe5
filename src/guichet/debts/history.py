"""The debts app's entries in a person's history (`parties.history`): a posted
garnishment is seen only by those who may see the person's debts."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from guichet.access.domains.debts import Action
from guichet.parties.history import HistoryKind, register

register(
    HistoryKind(
        action="debt.allocation_post",
        sentence=_("Garnishment retentions posted"),
        needs=Action.DEBT_VIEW,
    )
)
