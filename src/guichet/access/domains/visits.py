"""The counter's queue: tickets taken at a kiosk, called and served at the desks.

From the seeds (docs/sources.md §5): the consular front office receives visitors at
its counters (seed 000), and the support agents, as contact persons, receive theirs
too (seed 001); their supervisor organises the counters. Calling the next visitor,
calling them again, marking them absent and serving them is the work of whoever
staffs a desk: the front office, the support agents and the supervisors who stand
in (level D and up, as the seeds' functions). A desk calls only the tickets of the
services of the agent's own teams (a ticket is seen by the members of its service's
team), since serving registers a contact for that team. The sites, their services
and their desks are set up by supervisors, as the cash book's counters are.

The kiosk and the display of a site are public: a ticket number and a desk name
are no one's personal data (`ui.views.visits`).
"""

from __future__ import annotations

from enum import StrEnum

from .base import Grant, Kind, R, grant, in_teams

DESK_ROLES = (R.FRONT_OFFICE, R.SUPPORT_AGENT, R.SUPERVISOR)


class Action(StrEnum):
    DESK_WORK = "visits.desk_work"
    SETUP = "visits.setup"


GRANTS: dict[str, Grant] = {
    Action.DESK_WORK: grant(*DESK_ROLES),
    Action.SETUP: grant(R.SUPERVISOR),
}

KINDS: dict[str, Kind] = {
    "visits.ticket": Kind(
        view_action=Action.DESK_WORK,
        rule=in_teams("service__team_id"),
        actions=frozenset({Action.DESK_WORK}),
    ),
}
