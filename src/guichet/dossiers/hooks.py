"""What the apps above dossiers plug in (ARCHITECTURE.md, dependency inversion).

`documents` and `correspondence` sit above this app and point at dossiers; a
guard that must know the dossier's documents, or an effect that queues a letter,
asks them through these registries, which they fill at start-up (their
`AppConfig.ready`), as `servicerequests.services.complaint_registered` does.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from guichet.agents.models import Agent

    from .models import Dossier


@dataclass(frozen=True)
class DocumentState:
    """One document of a dossier as a guard needs it: which required document of
    the case type it answers (`code`, "" when none), its type, and the checks it
    passed (the kinds of `checks` whose latest verification is valid) or failed."""

    code: str
    document_type: str
    passed: frozenset[str]
    failed: frozenset[str]

    @property
    def verified(self) -> bool:
        return bool(self.passed) and not self.failed


DocumentSource = Callable[["Dossier"], Sequence[DocumentState]]
# Filled by `documents` (one source): the dossier's documents with their checks.
document_sources: list[DocumentSource] = []


@dataclass(frozen=True)
class LetterOrder:
    """Letters a transition sends: template codes of `correspondence`."""

    dossier: Dossier
    actor: Agent
    transition: str
    letters: tuple[str, ...]


# Filled by `correspondence`: each is called inside the transition's transaction.
letter_queuers: list[Callable[[LetterOrder], None]] = []


def dossier_documents(dossier: Dossier) -> list[DocumentState]:
    states: list[DocumentState] = []
    for source in document_sources:
        states.extend(source(dossier))
    return states


# Filled by the apps above that hold a dossier's personal content (`documents`):
# each is called inside the destruction's transaction (`retention.py`), erases what
# it holds that is only this dossier's, and returns how many rows it removed (for
# the destruction's audit record). Files are removed from storage after commit.
dossier_erasers: dict[str, Callable[[Dossier], int]] = {}
