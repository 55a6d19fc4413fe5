"""Letters, incoming mail, minutes and forms.

Autonomy follows the function levels of the seeds (docs/sources.md §5.1: seed 001,
"Questions ou plaintes", and seed 003, "Contacts"; seed 000, "Autonomie"): a level-D
agent chooses a standard answer and sends it unchanged; level C chooses among the
alternatives and fills in their free fields; level B adapts them to the case.
Out-of-the-ordinary written communication needs an authorisation (seed 000): the
head of the service approves it ("La fonction est dirigée par : chef de service"), a
supervisor of the letter's own team. Approving decides on a departure from the
standard answers, which the seeds leave to level B and above (seed 001,
"Procédures": B "dans des situations exceptionnelles, s'écarte des procédures ou
règles"); and a supervisor approves only what their own level could send alone
(`autonomy.approval_actions`). `correspondence.autonomy` classifies a letter and
asks which of these actions the agent holds; when none fits, the letter waits for
approval instead of being refused.

Drafts and letters waiting for approval stay within the writing service (team);
issued letters are seen by every agent who sees the person. Writing, approving and
sending a letter belong to its service alone, its supervisors included: an agent of
another service who reads an issued letter in a person's timeline may not e-mail it,
hand it over or print it (the letter is the writing service's correspondence, seed 001:
"Gérer le courrier ou les mails entrant et sortant d'une personne ou d'un service";
its print queue is that service's). Incoming mail is seen by the service that
registered it and the one it was dispatched to.

A letter is e-mailed to an address the person gave us (on record): choosing one of
them is following the procedure, open to every level. Sending it to any other
address (a lawyer's, a relative's, an address read in a message) departs from the
procedure and risks disclosing the letter to the wrong person; the seeds give that
to level B, who "agit de sa propre initiative dans le cadre fixé et, dans des
situations exceptionnelles, s'écarte des procédures ou règles" (seed 001, "Procédures"),
while C "choisit parmi des alternatives existantes" and D "suit de manière stricte
des instructions simples". The agent gives the reason, kept in the audit trail.
"""

from __future__ import annotations

from enum import StrEnum

from .base import (
    CITIZEN_FACING,
    Grant,
    Kind,
    L,
    R,
    grant,
    in_teams,
    is_agent,
    value_in,
    via_person,
)


class Action(StrEnum):
    LETTER_VIEW = "letter.view"
    LETTER_DRAFT = "letter.draft"
    LETTER_SEND_STANDARD = "letter.send_standard"
    LETTER_FILL_FREE_FIELDS = "letter.fill_free_fields"
    LETTER_ADAPT = "letter.adapt"
    LETTER_APPROVE = "letter.approve"
    LETTER_DISPATCH = "letter.dispatch"
    LETTER_EMAIL_ELSEWHERE = "letter.email_elsewhere"
    LETTER_BATCH = "letter.batch"
    MAIL_VIEW = "mail.view"
    MAIL_REGISTER = "mail.register"
    MAIL_DISPATCH = "mail.dispatch"
    MINUTES_VIEW = "minutes.view"
    MINUTES_CREATE = "minutes.create"
    ACTION_ITEM_VIEW = "action_item.view"
    ACTION_ITEM_COMPLETE = "action_item.complete"
    FORM_RENDER = "form.render"


# Who keeps the mail register (seed 001, docs/sources.md §5.4: "Gérer le courrier ou
# les mails entrant et sortant").
MAIL_CLERKS = (R.SUPPORT_AGENT, R.FRONT_OFFICE, R.SUPERVISOR)
# Who may start a mass mailing of one template.
BATCH_WRITERS = (R.SUPPORT_AGENT, R.DOSSIER_HANDLER, R.PAYMENT_AGENT, R.SUPERVISOR)

GRANTS: dict[str, Grant] = {
    Action.LETTER_VIEW: grant(*CITIZEN_FACING),
    Action.LETTER_DRAFT: grant(*CITIZEN_FACING),
    Action.LETTER_SEND_STANDARD: grant(*CITIZEN_FACING),
    Action.LETTER_FILL_FREE_FIELDS: grant(*CITIZEN_FACING, min_level=L.C),
    Action.LETTER_ADAPT: grant(*CITIZEN_FACING, min_level=L.B),
    Action.LETTER_APPROVE: grant(R.SUPERVISOR, min_level=L.B),
    Action.LETTER_DISPATCH: grant(*CITIZEN_FACING),
    Action.LETTER_EMAIL_ELSEWHERE: grant(*CITIZEN_FACING, min_level=L.B),
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

# Every action on a letter but reading it is its own service's.
LETTER_WORK = (
    Action.LETTER_DRAFT,
    Action.LETTER_SEND_STANDARD,
    Action.LETTER_FILL_FREE_FIELDS,
    Action.LETTER_ADAPT,
    Action.LETTER_APPROVE,
    Action.LETTER_DISPATCH,
    Action.LETTER_EMAIL_ELSEWHERE,
)


KINDS: dict[str, Kind] = {
    "correspondence.letter": Kind(
        view_action=Action.LETTER_VIEW,
        rule=via_person("person")
        & (value_in("status", PUBLISHED) | in_teams("team_id")),
        actions=frozenset({Action.LETTER_VIEW, *LETTER_WORK}),
        action_rules={action: in_teams("team_id") for action in LETTER_WORK},
    ),
    "correspondence.incomingmail": Kind(
        view_action=Action.MAIL_VIEW,
        rule=via_person("sender_person")
        & (in_teams("team_id") | in_teams("dispatched_team_id")),
        actions=frozenset({Action.MAIL_VIEW, Action.MAIL_DISPATCH}),
    ),
    # Minutes and their actions live in the agenda since issue #17; their grants
    # stay in this table (the same actions, the same agents).
    "agenda.minutes": Kind(
        view_action=Action.MINUTES_VIEW,
        rule=in_teams("team_id"),
        actions=frozenset({Action.MINUTES_VIEW}),
    ),
    "agenda.actionitem": Kind(
        view_action=Action.ACTION_ITEM_VIEW,
        rule=is_agent("owner_id") | in_teams("minutes__team_id"),
        actions=frozenset({Action.ACTION_ITEM_VIEW, Action.ACTION_ITEM_COMPLETE}),
    ),
}
