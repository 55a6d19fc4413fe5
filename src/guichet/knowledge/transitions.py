"""Which state an article may move to, and who may move it (pure, no ORM).

    draft --submit--> in review --publish--> published --archive--> archived
      ^                  |                                            |
      +---send back------+                      reopen (back to draft)+

Authors (`knowledge.write`) write drafts and submit them; reviewers
(`knowledge.publish`) send a submission back with a reason, publish it (never the
one they submitted themselves: four eyes), archive a published article and reopen
an archived one as a draft. A text is edited by an author while it is a draft, by
a reviewer while it is in review or published (a published article stays
published: a reviewer's change is a reviewed change); an archived article is
reopened first.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Move(StrEnum):
    SUBMIT = "submit"
    SEND_BACK = "send_back"
    PUBLISH = "publish"
    ARCHIVE = "archive"
    REOPEN = "reopen"


class Who(StrEnum):
    AUTHOR = "author"
    REVIEWER = "reviewer"


@dataclass(frozen=True)
class Transition:
    move: Move
    source: str
    target: str
    who: Who
    needs_reason: bool = False


TRANSITIONS: tuple[Transition, ...] = (
    Transition(Move.SUBMIT, "draft", "in_review", Who.AUTHOR),
    Transition(Move.SEND_BACK, "in_review", "draft", Who.REVIEWER, needs_reason=True),
    Transition(Move.PUBLISH, "in_review", "published", Who.REVIEWER),
    Transition(Move.ARCHIVE, "published", "archived", Who.REVIEWER, needs_reason=True),
    Transition(Move.REOPEN, "archived", "draft", Who.REVIEWER),
)

# Who edits the text in each state.
EDITORS: dict[str, Who] = {
    "draft": Who.AUTHOR,
    "in_review": Who.REVIEWER,
    "published": Who.REVIEWER,
}


def transition(source: str, move: str) -> Transition | None:
    """The transition `move` from `source`, or None when there is none."""
    for item in TRANSITIONS:
        if item.source == source and item.move == move:
            return item
    return None


def moves_from(source: str, *, is_author: bool, is_reviewer: bool) -> list[Transition]:
    """The transitions from `source` an agent with these grants may take."""
    return [
        item
        for item in TRANSITIONS
        if item.source == source
        and (is_reviewer or (item.who is Who.AUTHOR and is_author))
    ]


def may_edit(state: str, *, is_author: bool, is_reviewer: bool) -> bool:
    """Whether an agent with these grants may change the text in `state`. A
    reviewer may do whatever an author may."""
    who = EDITORS.get(state)
    if who is None:
        return False
    return is_reviewer or (who is Who.AUTHOR and is_author)
