"""Reports: dashboards per role, the seeds' lists, exports and data quality.

From the seeds (docs/sources.md): every job description asks for "listes et
rapports" and to "analyser et contrôler les données encodées"; supervisors steer
queues, deadlines and workload; the payment office "anticipe les périodes de
pointe". A report never widens what an agent sees: each figure counts only rows
the policy lets the agent see (`policy.visible` over the source rows), so a grant
here opens a page, never data.

- The supervisor's dashboard: supervisors (of their teams).
- The payment office's dashboard: payment agents and supervisors.
- The lists (complaints, dossiers by status and deadline, mail registers,
  appointments per service, the payment office's lists): every role working with
  citizens; each row through its own app's visibility rule. Administrators see no
  citizen data.
- Exports of a list or report: whoever may see it (`report.export`, and the
  list's own grant); a background export is seen and downloaded only by the agent
  who asked for it.
- Data quality (contradictions to resolve): the agents who keep the data up to
  date: front office, support agents, dossier handlers, second line, supervisors.
"""

from __future__ import annotations

from enum import StrEnum

from .base import Grant, Kind, R, grant, is_agent

CITIZEN_ROLES = (
    R.FIRST_LINE,
    R.SECOND_LINE,
    R.FRONT_OFFICE,
    R.SUPPORT_AGENT,
    R.DOSSIER_HANDLER,
    R.PAYMENT_AGENT,
    R.SUPERVISOR,
)
QUALITY_ROLES = (
    R.SECOND_LINE,
    R.FRONT_OFFICE,
    R.SUPPORT_AGENT,
    R.DOSSIER_HANDLER,
    R.SUPERVISOR,
)


class Action(StrEnum):
    DASHBOARD_SUPERVISOR = "report.dashboard_supervisor"
    DASHBOARD_PAYMENTS = "report.dashboard_payments"
    LISTS_VIEW = "report.lists_view"
    QUALITY_VIEW = "report.quality_view"
    EXPORT = "report.export"


GRANTS: dict[str, Grant] = {
    Action.DASHBOARD_SUPERVISOR: grant(R.SUPERVISOR),
    Action.DASHBOARD_PAYMENTS: grant(R.PAYMENT_AGENT, R.SUPERVISOR),
    Action.LISTS_VIEW: grant(*CITIZEN_ROLES),
    Action.QUALITY_VIEW: grant(*QUALITY_ROLES),
    Action.EXPORT: grant(*CITIZEN_ROLES),
}

KINDS: dict[str, Kind] = {
    # A background export holds citizen rows chosen by one agent's view of them:
    # only that agent sees it (and downloads its file).
    "reports.exportjob": Kind(
        view_action=Action.EXPORT,
        rule=is_agent("agent_id"),
        actions=frozenset({Action.EXPORT}),
    ),
}
