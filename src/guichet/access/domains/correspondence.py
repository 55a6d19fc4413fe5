"""Letters, incoming mail, minutes and forms.

Autonomy follows the function levels of the seeds (001_… and 003_…, "Questions ou
plaintes"; 000_…, "Autonomie"): a level-D agent chooses a standard answer and sends it
unchanged; level C chooses among the alternatives and fills in their free fields;
level B adapts them to the case. Out-of-the-ordinary written communication needs an
authorisation (000_…): a supervisor approves it. `correspondence.autonomy` classifies
a letter and asks which of these actions the agent holds; when none fits, the letter
waits for approval instead of being refused.

Drafts and letters waiting for approval stay within the writing service (team);
issued letters are seen by every agent who sees the person. Incoming mail is seen by
the service that registered it and the one it was dispatched to.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.db.models import Q

from .base import CITIZEN_FACING, Grant, Kind, L, R, grant


class Action(StrEnum):
    LETTER_VIEW = "letter.view"
    LETTER_DRAFT = "letter.draft"
    LETTER_SEND_STANDARD = "letter.send_standard"
    LETTER_FILL_FREE_FIELDS = "letter.fill_free_fields"
    LETTER_ADAPT = "letter.adapt"
    LETTER_APPROVE = "letter.approve"
    LETTER_DISPATCH = "letter.dispatch"
    LETTER_BATCH = "letter.batch"
    MAIL_VIEW = "mail.view"
    MAIL_REGISTER = "mail.register"
    MAIL_DISPATCH = "mail.dispatch"
    MINUTES_VIEW = "minutes.view"
    MINUTES_CREATE = "minutes.create"
    ACTION_ITEM_VIEW = "action_item.view"
    ACTION_ITEM_COMPLETE = "action_item.complete"
    FORM_RENDER = "form.render"


# Who keeps the mail register (001_…: "Gérer le courrier entrant et sortant").
MAIL_CLERKS = (R.SUPPORT_AGENT, R.FRONT_OFFICE, R.SUPERVISOR)
# Who may start a mass mailing of one template.
BATCH_WRITERS = (R.SUPPORT_AGENT, R.DOSSIER_HANDLER, R.PAYMENT_AGENT, R.SUPERVISOR)

GRANTS: dict[str, Grant] = {
    Action.LETTER_VIEW: grant(*CITIZEN_FACING),
    Action.LETTER_DRAFT: grant(*CITIZEN_FACING),
    Action.LETTER_SEND_STANDARD: grant(*CITIZEN_FACING),
    Action.LETTER_FILL_FREE_FIELDS: grant(*CITIZEN_FACING, min_level=L.C),
    Action.LETTER_ADAPT: grant(*CITIZEN_FACING, min_level=L.B),
    Action.LETTER_APPROVE: grant(R.SUPERVISOR),
    Action.LETTER_DISPATCH: grant(*CITIZEN_FACING),
    Action.LETTER_BATCH: grant(*BATCH_WRITERS, min_level=L.C),
    Action.MAIL_VIEW: grant(*CITIZEN_FACING),
    Action.MAIL_REGISTER: grant(*MAIL_CLERKS),
    Action.MAIL_DISPATCH: grant(*MAIL_CLERKS),
    Action.MINUTES_VIEW: grant(*CITIZEN_FACING),
    Action.MINUTES_CREATE: grant(*CITIZEN_FACING),
    Action.ACTION_ITEM_VIEW: grant(*CITIZEN_FACING),
    Action.ACTION_ITEM_COMPLETE: grant(*CITIZEN_FACING),
    Action.FORM_RENDER: grant(*CITIZEN_FACING),
}

PUBLISHED = ("issued", "sent")


def _person_visible_q(agent: Any, path: str) -> Q:
    return Q(**{f"{path}__confidential_team__isnull": True}) | Q(
        **{f"{path}__confidential_team_id__in": agent.team_ids}
    )


def _person_is_visible(agent: Any, person: Any) -> bool:
    if person is None:
        return True
    team_id = person.confidential_team_id
    return team_id is None or team_id in agent.team_ids


def letter_visible_q(agent: Any) -> Q:
    return _person_visible_q(agent, "person") & (
        Q(status__in=PUBLISHED) | Q(team_id__in=agent.team_ids)
    )


def letter_is_visible(agent: Any, letter: Any) -> bool:
    if not _person_is_visible(agent, letter.person):
        return False
    return letter.status in PUBLISHED or letter.team_id in agent.team_ids


def mail_visible_q(agent: Any) -> Q:
    sender = Q(sender_person__isnull=True) | _person_visible_q(agent, "sender_person")
    return sender & (
        Q(team_id__in=agent.team_ids) | Q(dispatched_team_id__in=agent.team_ids)
    )


def mail_is_visible(agent: Any, mail: Any) -> bool:
    if not _person_is_visible(agent, mail.sender_person):
        return False
    return mail.team_id in agent.team_ids or mail.dispatched_team_id in agent.team_ids


KINDS: dict[str, Kind] = {
    "correspondence.letter": Kind(
        view_action=Action.LETTER_VIEW,
        visible_q=letter_visible_q,
        is_visible=letter_is_visible,
        actions=frozenset(
            {
                Action.LETTER_VIEW,
                Action.LETTER_DRAFT,
                Action.LETTER_SEND_STANDARD,
                Action.LETTER_FILL_FREE_FIELDS,
                Action.LETTER_ADAPT,
                Action.LETTER_APPROVE,
                Action.LETTER_DISPATCH,
            }
        ),
    ),
    "correspondence.incomingmail": Kind(
        view_action=Action.MAIL_VIEW,
        visible_q=mail_visible_q,
        is_visible=mail_is_visible,
        actions=frozenset({Action.MAIL_VIEW, Action.MAIL_DISPATCH}),
    ),
    "correspondence.minutes": Kind(
        view_action=Action.MINUTES_VIEW,
        visible_q=lambda agent: Q(team_id__in=agent.team_ids),
        is_visible=lambda agent, minutes: minutes.team_id in agent.team_ids,
        actions=frozenset({Action.MINUTES_VIEW}),
    ),
    "correspondence.actionitem": Kind(
        view_action=Action.ACTION_ITEM_VIEW,
        visible_q=lambda agent: (
            Q(owner_id=agent.pk) | Q(minutes__team_id__in=agent.team_ids)
        ),
        is_visible=lambda agent, item: (
            item.owner_id == agent.pk or item.minutes.team_id in agent.team_ids
        ),
        actions=frozenset({Action.ACTION_ITEM_VIEW, Action.ACTION_ITEM_COMPLETE}),
    ),
}
