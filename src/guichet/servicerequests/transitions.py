"""The statuses a request may move between: one explicit table (pure, no database).

Each allowed move says whether the agent must write a text with it (what was
answered, why it waits, why it reopens). Closing a complaint needs its
classification too (checked by the service, which knows the request's kind).
"""

from __future__ import annotations

from dataclasses import dataclass

from .models import Status

S = Status


@dataclass(frozen=True)
class Move:
    to: Status
    needs_text: bool


def _moves(*moves: tuple[Status, bool]) -> dict[Status, Move]:
    return {to: Move(to, needs_text) for to, needs_text in moves}


_WORK = (
    (S.IN_PROGRESS, False),
    (S.WAITING_CITIZEN, True),
    (S.WAITING_OTHER, True),
    (S.ANSWERED, True),
    (S.CLOSED, True),
)

ALLOWED: dict[Status, dict[Status, Move]] = {
    S.NEW: _moves(*_WORK),
    S.IN_PROGRESS: _moves(*_WORK[1:]),
    S.WAITING_CITIZEN: _moves(
        (S.IN_PROGRESS, False), (S.ANSWERED, True), (S.CLOSED, True)
    ),
    S.WAITING_OTHER: _moves(
        (S.IN_PROGRESS, False), (S.ANSWERED, True), (S.CLOSED, True)
    ),
    S.ANSWERED: _moves((S.CLOSED, False), (S.REOPENED, True)),
    S.CLOSED: _moves((S.REOPENED, True)),
    S.REOPENED: _moves(*_WORK),
}

# Reaching these means the citizen got an answer (the first one stops that clock).
ANSWERING = frozenset({S.WAITING_CITIZEN, S.ANSWERED, S.CLOSED})
# Reaching these resolves the request (stops the resolution clock).
RESOLVING = frozenset({S.ANSWERED, S.CLOSED})
# In these the clock stands still.
PAUSED = frozenset({S.WAITING_CITIZEN})


def move(current: str, target: str) -> Move | None:
    """The allowed move from `current` to `target`, or None when not allowed."""
    try:
        return ALLOWED[Status(current)].get(Status(target))
    except ValueError:
        return None


def targets(current: str) -> list[Move]:
    """The moves allowed from `current`, in the table's order."""
    return list(ALLOWED.get(Status(current), {}).values())
