"""Debts and garnishment.

From the seeds (the users' job descriptions, docs/sources.md §5.2): the
payment-office assistant (seed 004, VBFBSD012, level C, "agent du paiement" and
"gestionnaire de créances et dettes") calculates the seizable part of the benefit,
handles seizures and assignments, creates and follows third-party debts and the
office's own claims; the function is directed by "le chef du bureau de paiement ou
adjoint", hence supervisors. No other function of the seeds deals with a person's
debts, so the contact center, front office, support agents and dossier handlers see
none, and administrators see no citizen data.

Visibility of one debt: the agent holds a role that concerns debts, belongs to the
payment office (team) the claim was notified to, and may see the person (a person
confidential to a team stays hidden from other teams). A supervisor of another
service therefore sees no debts. Writes need level C, the level of the seed's
function; reading is open from level D. Commenting is working on the debt
("utiliser les zones commentaire ... pour transmettre des messages clairs et
concrets aux autres utilisateurs"): the same roles and level as its other writes. Importing bracket tables is reference data,
kept by administrators (or by the command line).
"""

from __future__ import annotations

from enum import StrEnum

from .base import Grant, Kind, L, R, grant, in_teams, via_person

DEBT_ROLES = (R.PAYMENT_AGENT, R.SUPERVISOR)


class Action(StrEnum):
    GARNISHMENT_COMPUTE = "garnishment.compute"
    GARNISHMENT_TABLES_IMPORT = "garnishment.tables_import"
    DEBT_VIEW = "debt.view"
    DEBT_REGISTER = "debt.register"
    DEBT_EDIT = "debt.edit"
    DEBT_ENTRY_ADD = "debt.entry_add"
    DEBT_PLAN_SET = "debt.plan_set"
    DEBT_COMMENT = "debt.comment"
    DEBT_ALLOCATION_POST = "debt.allocation_post"


GRANTS: dict[str, Grant] = {
    Action.GARNISHMENT_COMPUTE: grant(*DEBT_ROLES),
    Action.GARNISHMENT_TABLES_IMPORT: grant(R.ADMIN),
    Action.DEBT_VIEW: grant(*DEBT_ROLES),
    Action.DEBT_REGISTER: grant(*DEBT_ROLES, min_level=L.C),
    Action.DEBT_EDIT: grant(*DEBT_ROLES, min_level=L.C),
    Action.DEBT_ENTRY_ADD: grant(*DEBT_ROLES, min_level=L.C),
    Action.DEBT_PLAN_SET: grant(*DEBT_ROLES, min_level=L.C),
    Action.DEBT_COMMENT: grant(*DEBT_ROLES, min_level=L.C),
    Action.DEBT_ALLOCATION_POST: grant(*DEBT_ROLES, min_level=L.C),
}


KINDS: dict[str, Kind] = {
    "debts.debt": Kind(
        view_action=Action.DEBT_VIEW,
        rule=in_teams("team_id") & via_person("person"),
        actions=frozenset(
            {
                Action.DEBT_VIEW,
                Action.DEBT_EDIT,
                Action.DEBT_ENTRY_ADD,
                Action.DEBT_PLAN_SET,
                Action.DEBT_COMMENT,
                Action.DEBT_ALLOCATION_POST,
            }
        ),
    ),
}
