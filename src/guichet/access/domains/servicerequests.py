"""Requests and complaints: who sees them, works on them, routes them.

From the seeds (docs/sources.md §5): the first line "oriente vers la deuxième ligne"
what it cannot answer at once (seed 002), the second line handles the requests of its
queue, and the supervisor "répartit le travail" and follows the deadlines (seeds 002
and 001). So every function that serves citizens sees the requests of the persons it
sees (a person confidential to a team keeps their requests confidential to that
team) and creates them; working on a request (its status, notes, replies, taking
it) belongs to the team whose queue holds it and to its owner; handing it over
belongs to them and to whoever created it; reassigning is the supervisor's, within
their teams. Routing and service-level rules are reference data kept by
administrators.
"""

from __future__ import annotations

from enum import StrEnum

from .base import CITIZEN_FACING, Grant, Kind, R, grant, in_teams, is_agent, via_person


class Action(StrEnum):
    REQUEST_VIEW = "request.view"
    REQUEST_CREATE = "request.create"
    REQUEST_WORK = "request.work"
    REQUEST_HANDOVER = "request.handover"
    REQUEST_ASSIGN = "request.assign"
    ROUTING_MANAGE = "routing.manage"


GRANTS: dict[str, Grant] = {
    Action.REQUEST_VIEW: grant(*CITIZEN_FACING),
    Action.REQUEST_CREATE: grant(*CITIZEN_FACING),
    Action.REQUEST_WORK: grant(*CITIZEN_FACING),
    Action.REQUEST_HANDOVER: grant(*CITIZEN_FACING),
    Action.REQUEST_ASSIGN: grant(R.SUPERVISOR),
    Action.ROUTING_MANAGE: grant(R.ADMIN),
}

_IN_QUEUE = in_teams("team_id") | is_agent("owner_id")

KINDS: dict[str, Kind] = {
    "servicerequests.request": Kind(
        view_action=Action.REQUEST_VIEW,
        rule=via_person("person") & via_person("requester_person"),
        actions=frozenset(
            {
                Action.REQUEST_VIEW,
                Action.REQUEST_WORK,
                Action.REQUEST_HANDOVER,
                Action.REQUEST_ASSIGN,
            }
        ),
        action_rules={
            Action.REQUEST_WORK: _IN_QUEUE,
            Action.REQUEST_HANDOVER: _IN_QUEUE | is_agent("created_by_id"),
            Action.REQUEST_ASSIGN: in_teams("team_id"),
        },
    ),
}

ADMIN_MODELS: dict[str, str] = {
    "servicerequests.routingrule": Action.ROUTING_MANAGE,
    "servicerequests.servicelevelrule": Action.ROUTING_MANAGE,
}
