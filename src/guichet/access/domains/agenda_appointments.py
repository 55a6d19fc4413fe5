"""Appointment slots for citizens (issue #17, part 1).

From the seeds (docs/sources.md §5): the consular front office books citizens for
passport biometrics and hand-overs (seed 000), the payment office books visits
(seed 004), the support agents keep a service's agenda (seed 001). Whoever books
for a team sees and changes that team's appointments, if they may see the person
(a confidential person stays hidden: 404 as a missing record). Dossier handlers
book from the dossier workbench. The offers (slot length, places, hours) are set
up by the team's supervisors.
"""

from __future__ import annotations

from enum import StrEnum

from .base import Grant, Kind, R, grant, in_teams, via_person

BOOKING_ROLES = (
    R.FRONT_OFFICE,
    R.SUPPORT_AGENT,
    R.DOSSIER_HANDLER,
    R.PAYMENT_AGENT,
    R.SUPERVISOR,
)


class Action(StrEnum):
    BOOK = "agenda.appointment_book"
    OFFER_MANAGE = "agenda.offer_manage"


GRANTS: dict[str, Grant] = {
    Action.BOOK: grant(*BOOKING_ROLES),
    Action.OFFER_MANAGE: grant(R.SUPERVISOR),
}

KINDS: dict[str, Kind] = {
    "agenda.appointment": Kind(
        view_action=Action.BOOK,
        rule=in_teams("offer__team_id") & via_person("person"),
        actions=frozenset({Action.BOOK}),
    ),
    "agenda.offer": Kind(
        view_action=Action.BOOK,
        rule=in_teams("team_id"),
        actions=frozenset({Action.BOOK, Action.OFFER_MANAGE}),
    ),
}
