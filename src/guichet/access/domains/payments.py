"""Benefit payments: beneficiaries, entitlements, declarations, monthly runs.

From the seeds (docs/sources.md §5.2; seed 004, VBFBSD012): the payment-office
assistant ("agent du paiement", level C) lets beneficiaries "receive what they are
owed in due time": they keep the beneficiaries' accounts, entitlements and monthly
documents and prepare the month's payments; the office is directed by "le chef du
bureau de paiement ou adjoint", hence supervisors. Nobody else works on payments:
the contact center, front office, support agents and dossier handlers see none,
administrators see no citizen data.

Four eyes: a change of account is confirmed, and a run approved, by a second agent
of the office (never the one who entered it: the services refuse it, and the tables
have a check constraint). Writes need level C, the seed function's level; reading
is open from level D. The ledger's balances are the office's: payment agents and
supervisors of the team.

Visibility: a beneficiary (and what hangs on it) is seen by the members of its
payment office (team) holding a payments role who may see the person; a run by
the members of its office holding a payments role.
"""

from __future__ import annotations

from enum import StrEnum

from .base import Grant, Kind, L, R, grant, in_teams, via_person

PAYMENT_ROLES = (R.PAYMENT_AGENT, R.SUPERVISOR)


class Action(StrEnum):
    PAYMENT_VIEW = "payment.view"
    BENEFICIARY_MANAGE = "payment.beneficiary_manage"
    ACCOUNT_CHANGE = "payment.account_change"
    ACCOUNT_CONFIRM = "payment.account_confirm"
    RUN_VIEW = "payment.run_view"
    RUN_PREPARE = "payment.run_prepare"
    RUN_REVIEW = "payment.run_review"
    RUN_APPROVE = "payment.run_approve"
    RUN_EXECUTE = "payment.run_execute"
    LEDGER_VIEW = "payment.ledger_view"


GRANTS: dict[str, Grant] = {
    Action.PAYMENT_VIEW: grant(*PAYMENT_ROLES),
    Action.BENEFICIARY_MANAGE: grant(*PAYMENT_ROLES, min_level=L.C),
    Action.ACCOUNT_CHANGE: grant(*PAYMENT_ROLES, min_level=L.C),
    Action.ACCOUNT_CONFIRM: grant(*PAYMENT_ROLES, min_level=L.C),
    Action.RUN_VIEW: grant(*PAYMENT_ROLES),
    Action.RUN_PREPARE: grant(*PAYMENT_ROLES, min_level=L.C),
    Action.RUN_REVIEW: grant(*PAYMENT_ROLES, min_level=L.C),
    Action.RUN_APPROVE: grant(*PAYMENT_ROLES, min_level=L.C),
    Action.RUN_EXECUTE: grant(*PAYMENT_ROLES, min_level=L.C),
    Action.LEDGER_VIEW: grant(*PAYMENT_ROLES),
}


KINDS: dict[str, Kind] = {
    "payments.beneficiary": Kind(
        view_action=Action.PAYMENT_VIEW,
        rule=in_teams("team_id") & via_person("person"),
        actions=frozenset(
            {
                Action.PAYMENT_VIEW,
                Action.BENEFICIARY_MANAGE,
                Action.ACCOUNT_CHANGE,
                Action.ACCOUNT_CONFIRM,
                Action.LEDGER_VIEW,
            }
        ),
    ),
    "payments.paymentrun": Kind(
        view_action=Action.RUN_VIEW,
        rule=in_teams("team_id"),
        actions=frozenset(
            {
                Action.RUN_VIEW,
                Action.RUN_PREPARE,
                Action.RUN_REVIEW,
                Action.RUN_APPROVE,
                Action.RUN_EXECUTE,
            }
        ),
    ),  # A transfer of a run (bank rejects, payments made again): seen by whoever sees
    # both its run and its beneficiary's person.
    "payments.payment": Kind(
        view_action=Action.RUN_VIEW,
        rule=in_teams("run__team_id") & via_person("beneficiary__person"),
        actions=frozenset({Action.RUN_VIEW, Action.RUN_EXECUTE}),
    ),
}
