"""May this agent send this written answer alone, or must a supervisor approve it?

The seeds' D/C/B criteria (docs/sources.md §5.1: seed 001, "Questions ou plaintes",
and seed 003, "Contacts"; seed 000, "Autonomie"), as the access policy grants them:

| kind of letter                       | action it needs          | lowest level |
| ------------------------------------ | ------------------------ | ------------ |
| a standard letter, unchanged         | letter.send_standard     | D            |
| a standard letter, free fields filled| letter.fill_free_fields  | C            |
| a standard letter, adapted           | letter.adapt             | B            |
| no standard template                 | (none: always approved)  |              |
| flagged out of the ordinary          | (none: always approved)  |              |

`classify` is pure; `decide` asks the access policy, the only decider. A letter the
agent may not send alone is not refused: it waits in a supervisor's approval queue.
Later channels (standard answers by e-mail) classify their drafts the same way and
call `decide`.

Who approves a waiting letter: an agent of its team who holds `letter.approve` and,
for a kind that some level may send alone, the action for that kind too (a
supervisor approves only what their own level could have sent);
`approval_actions` names them, `may_approve` asks the policy.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.db.models import Model

from guichet.access import policy
from guichet.access.domains.correspondence import Action
from guichet.agents.models import Agent


class LetterKind(StrEnum):
    STANDARD = "standard"
    FREE_FIELDS = "free_fields"
    ADAPTED = "adapted"
    NO_TEMPLATE = "no_template"
    FLAGGED = "flagged"


# The action that lets an agent send each kind alone; None: never alone.
REQUIRED_ACTION: dict[LetterKind, str | None] = {
    LetterKind.STANDARD: Action.LETTER_SEND_STANDARD,
    LetterKind.FREE_FIELDS: Action.LETTER_FILL_FREE_FIELDS,
    LetterKind.ADAPTED: Action.LETTER_ADAPT,
    LetterKind.NO_TEMPLATE: None,
    LetterKind.FLAGGED: None,
}


def classify(
    *,
    has_template: bool,
    has_free_fields: bool,
    is_changed: bool,
    is_flagged: bool,
) -> LetterKind:
    """The kind of a written answer, from the most to the least demanding.

    `is_changed`: the text differs from what the template gives with the same values.
    """
    if is_flagged:
        return LetterKind.FLAGGED
    if not has_template:
        return LetterKind.NO_TEMPLATE
    if is_changed:
        return LetterKind.ADAPTED
    if has_free_fields:
        return LetterKind.FREE_FIELDS
    return LetterKind.STANDARD


@dataclass(frozen=True)
class Decision:
    kind: LetterKind
    required_action: str | None
    may_send_alone: bool

    @property
    def needs_approval(self) -> bool:
        return not self.may_send_alone


def decide(*, agent: Agent, kind: LetterKind, obj: Model | None = None) -> Decision:
    """Whether `agent` may send a letter of this kind without approval."""
    action = REQUIRED_ACTION[kind]
    allowed = action is not None and policy.may(agent, action, obj)
    return Decision(kind=kind, required_action=action, may_send_alone=allowed)


def kind_of(value: str) -> LetterKind:
    """A letter's stored kind; an empty or unknown one counts as out of the
    ordinary, which only an approver may send."""
    try:
        return LetterKind(value)
    except ValueError:
        return LetterKind.FLAGGED


def approval_actions(kind: LetterKind) -> tuple[str, ...]:
    """The actions an approver of a letter of this kind must hold."""
    required = REQUIRED_ACTION[kind]
    return (Action.LETTER_APPROVE, *((required,) if required else ()))


def may_approve(*, agent: Agent, kind: LetterKind, obj: Model | None = None) -> bool:
    """Whether `agent` may approve a letter of this kind (`obj`, when given: then
    only a supervisor of the letter's team may)."""
    return all(policy.may(agent, action, obj) for action in approval_actions(kind))
