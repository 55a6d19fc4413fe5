"""Dossiers: who sees a case and who works on it.

From the seeds (docs/sources.md §5): the dossier handlers (seed 003) handle the
dossiers of their service; the consular front office (seed 000) receives and
follows legalisation, passport and visa files; the payment office (seed 004)
examines the admissibility of benefit applications; supervisors follow and
approve. A dossier belongs to the team that owns its case type: the members of
that team see it (and its owner, should they have left the team), provided they
may see its applicant (a person confidential to a team keeps their dossiers
confidential to that team). The contact center (first and second line) and the
support agents see no dossiers: they pass requests on (servicerequests).

Which transition an agent may take is the case type's (roles and lowest function
level per transition, `casetypes.definition.allowed_transitions`); this table only
says who works on dossiers at all. Approving a decision (four eyes) is checked
against the decision type's level by the service.
"""

from __future__ import annotations

from enum import StrEnum

from .base import Grant, Kind, R, grant, in_teams, is_agent, via_person

DOSSIER_ROLES = (
    R.FRONT_OFFICE,
    R.DOSSIER_HANDLER,
    R.PAYMENT_AGENT,
    R.SUPERVISOR,
)


class Action(StrEnum):
    DOSSIER_VIEW = "dossier.view"
    DOSSIER_OPEN = "dossier.open"
    DOSSIER_WORK = "dossier.work"
    DOSSIER_APPROVE = "dossier.approve"


GRANTS: dict[str, Grant] = {
    Action.DOSSIER_VIEW: grant(*DOSSIER_ROLES),
    Action.DOSSIER_OPEN: grant(*DOSSIER_ROLES),
    Action.DOSSIER_WORK: grant(*DOSSIER_ROLES),
    Action.DOSSIER_APPROVE: grant(R.DOSSIER_HANDLER, R.PAYMENT_AGENT, R.SUPERVISOR),
}

_IN_TEAM = in_teams("team_id")

KINDS: dict[str, Kind] = {
    "dossiers.dossier": Kind(
        view_action=Action.DOSSIER_VIEW,
        rule=(_IN_TEAM | is_agent("owner_id")) & via_person("person"),
        actions=frozenset(
            {
                Action.DOSSIER_VIEW,
                Action.DOSSIER_WORK,
                Action.DOSSIER_APPROVE,
            }
        ),
        action_rules={
            Action.DOSSIER_WORK: _IN_TEAM,
            Action.DOSSIER_APPROVE: _IN_TEAM,
        },
    ),
}
