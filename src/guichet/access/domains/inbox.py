"""E-mail received from citizens (issue #16, item 1).

A message is read by the service whose mailbox received it, as incoming paper mail
is, and handled there by anyone who serves citizens: naming its sender, adding it
to a request, opening one. A message from a confidential person is seen only by
that person's team. Administrators see no citizen data: the screen of messages that
could not be read shows them only what went wrong (mailbox, time, reason, attempts),
never a sender, subject or text, and lets them try again after fixing the cause;
supervisors see it too, for their service's messages.
"""

from __future__ import annotations

from enum import StrEnum

from .base import CITIZEN_FACING, Grant, Kind, R, grant, in_teams, via_person


class Action(StrEnum):
    INBOX_VIEW = "inbox.view"
    INBOX_HANDLE = "inbox.handle"
    INBOX_PROBLEMS = "inbox.problems"


GRANTS: dict[str, Grant] = {
    Action.INBOX_VIEW: grant(*CITIZEN_FACING),
    Action.INBOX_HANDLE: grant(*CITIZEN_FACING),
    Action.INBOX_PROBLEMS: grant(R.SUPERVISOR, R.ADMIN),
}

KINDS: dict[str, Kind] = {
    "inbox.inboundmessage": Kind(
        view_action=Action.INBOX_VIEW,
        rule=via_person("sender_person") & in_teams("team_id"),
        actions=frozenset({Action.INBOX_VIEW, Action.INBOX_HANDLE}),
    ),
}
