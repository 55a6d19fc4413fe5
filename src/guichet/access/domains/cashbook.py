"""The counter's cash book: payments of dossier fees, refunds, the daily closing.

From the seeds (docs/sources.md §5; seed 000, the consular front office's
"comptabilité du guichet"): the front-office agents of a consular post take the
fees at their counter (level D and up, as the seed's function), count their till at
the end of the day and sign the closing; their supervisor ("chef de poste" or
deputy) checks each closing. Money given back is more sensitive than money taken:
a refund needs level C, or a supervisor (who may be at any level). A closing that
does not balance needs the supervisor's note, so only a supervisor closes it
(`CASH_DAY_CHECK` is asked by the service). Nobody else sees a counter: the contact
center, support agents, dossier handlers and the payment office work elsewhere, and
administrators see no citizen data; counters themselves are set up by the
supervisors of their team.

Visibility: a counter, its days, payments and refunds are seen by the members of
the counter's team who hold a cash-book role; a payment also only by those who may
see the dossier's applicant (a confidential person stays hidden from other teams).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from guichet.agents.models import Agent

from .base import Grant, Kind, L, R, grant, in_teams, via_person

CASHBOOK_ROLES = (R.FRONT_OFFICE, R.SUPERVISOR)


class Action(StrEnum):
    CASHBOOK_VIEW = "cashbook.view"
    COUNTER_CREATE = "cashbook.counter_create"
    PAYMENT_RECORD = "cashbook.payment_record"
    REFUND_RECORD = "cashbook.refund_record"
    CASH_DAY_CLOSE = "cashbook.day_close"
    CASH_DAY_CHECK = "cashbook.day_check"


@dataclass(frozen=True)
class AnyOf(Grant):
    """Admitted by the first grant or by `other` (level C, or a supervisor)."""

    other: Grant | None = None

    def admits(self, agent: Agent) -> bool:
        return super().admits(agent) or (
            self.other is not None and self.other.admits(agent)
        )


_SUPERVISOR = grant(R.SUPERVISOR)

GRANTS: dict[str, Grant] = {
    Action.CASHBOOK_VIEW: grant(*CASHBOOK_ROLES),
    Action.COUNTER_CREATE: _SUPERVISOR,
    Action.PAYMENT_RECORD: grant(*CASHBOOK_ROLES),
    Action.REFUND_RECORD: AnyOf(
        roles=frozenset({R.FRONT_OFFICE}), min_level=L.C, other=_SUPERVISOR
    ),
    Action.CASH_DAY_CLOSE: grant(*CASHBOOK_ROLES),
    Action.CASH_DAY_CHECK: _SUPERVISOR,
}

_COUNTER_ACTIONS = frozenset(
    {
        Action.CASHBOOK_VIEW,
        Action.PAYMENT_RECORD,
        Action.REFUND_RECORD,
        Action.CASH_DAY_CLOSE,
        Action.CASH_DAY_CHECK,
    }
)

KINDS: dict[str, Kind] = {
    "cashbook.counter": Kind(
        view_action=Action.CASHBOOK_VIEW,
        rule=in_teams("team_id"),
        actions=_COUNTER_ACTIONS,
    ),
    "cashbook.cashday": Kind(
        view_action=Action.CASHBOOK_VIEW,
        rule=in_teams("counter__team_id"),
        actions=_COUNTER_ACTIONS,
    ),
    "cashbook.payment": Kind(
        view_action=Action.CASHBOOK_VIEW,
        rule=in_teams("counter__team_id") & via_person("fee__dossier__person"),
        actions=frozenset({Action.CASHBOOK_VIEW, Action.REFUND_RECORD}),
    ),
    "cashbook.refund": Kind(
        view_action=Action.CASHBOOK_VIEW,
        rule=in_teams("counter__team_id") & via_person("payment__fee__dossier__person"),
        actions=frozenset({Action.CASHBOOK_VIEW}),
    ),
}
