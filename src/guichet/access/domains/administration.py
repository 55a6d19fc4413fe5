"""The audit trail, reference data and accounts.

Administrators keep reference data and accounts; they see no citizen data.
Supervisors read the audit trail of their service.
"""

from __future__ import annotations

from enum import StrEnum

from .base import Grant, Kind, R, grant


class Action(StrEnum):
    AUDIT_VIEW = "audit.view"
    AUDIT_VERIFY = "audit.verify"
    REFERENCE_MANAGE = "reference.manage"
    AGENT_MANAGE = "agent.manage"
    TEAM_ACCESS_HISTORY = "agent.team_access_history"


GRANTS: dict[str, Grant] = {
    Action.AUDIT_VIEW: grant(R.SUPERVISOR, R.ADMIN),
    Action.AUDIT_VERIFY: grant(R.ADMIN),
    Action.REFERENCE_MANAGE: grant(R.ADMIN),
    Action.AGENT_MANAGE: grant(R.ADMIN),
    # A team's supervisors see who was given access in their team (docs/adr/0004).
    Action.TEAM_ACCESS_HISTORY: grant(R.SUPERVISOR),
}

KINDS: dict[str, Kind] = {}

# Django admin's model permissions for the reference data administrators keep.
ADMIN_MODELS: dict[str, str] = {
    "agents.team": Action.REFERENCE_MANAGE,
    "agents.role": Action.REFERENCE_MANAGE,
    "agents.membership": Action.AGENT_MANAGE,
    "agents.agent": Action.AGENT_MANAGE,
    "agents.apitoken": Action.AGENT_MANAGE,
    "agents.accessrequest": Action.AGENT_MANAGE,
    "correspondence.lettertype": Action.REFERENCE_MANAGE,
    "correspondence.lettertemplate": Action.REFERENCE_MANAGE,
    "correspondence.lettertemplateversion": Action.REFERENCE_MANAGE,
    "correspondence.letterhead": Action.REFERENCE_MANAGE,
    "correspondence.brochure": Action.REFERENCE_MANAGE,
    "casetypes.casetype": Action.REFERENCE_MANAGE,
    "casetypes.casetypeversion": Action.REFERENCE_MANAGE,
}
