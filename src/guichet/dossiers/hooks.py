"""What the apps above dossiers plug in (ARCHITECTURE.md, dependency inversion).

`documents` and `correspondence` sit above this app and point at dossiers; a
guard that must know the dossier's documents, or an effect that queues a letter,
asks them through these registries, which they fill at start-up (their
`AppConfig.ready`), as `servicerequests.services.complaint_registered` does.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

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


@dataclass(frozen=True)
class TransitionDone:
    """A dossier moved by a transition (its code), inside that transaction."""

    dossier: Dossier
    actor: Agent
    transition: str


# Filled by the apps above that follow a dossier's steps (`payments`: the
# unemployment benefit's `hand_over_to_payments` makes its applicant a
# beneficiary); each is called inside the transition's transaction, after its
# effects, and may refuse it by raising.
transition_listeners: list[Callable[[TransitionDone], None]] = []


def dossier_documents(dossier: Dossier) -> list[DocumentState]:
    return [state for source in document_sources for state in source(dossier)]


@dataclass(frozen=True)
class ExportCheck:
    """One verification of a document, as the export package lists it."""

    kind: str
    valid: bool
    outcome: str
    checked_on: str
    verified_at: str


@dataclass(frozen=True)
class ExportDocument:
    """One stored document of a dossier, for its export package (`dossiers.export`):
    what the manifest says of it and how to read its stored content."""

    description: str
    kind: str
    kind_label: Any  # a lazily translated label: the title when nothing better
    required_document: str
    language: str | None
    media_type: str
    extension: str
    size: int
    sha256: str
    issued_on: str | None
    expires_on: str | None
    checks: tuple[ExportCheck, ...]
    read: Callable[[], bytes]


# Filled by `documents` (one source): the dossier's documents in the order they
# were handed in, with their stored content.
export_document_sources: list[Callable[[Dossier], Sequence[ExportDocument]]] = []


@dataclass(frozen=True)
class SummarySection:
    """A part of the export package's summary: a heading, column titles (none for
    a list of labels and values) and rows of text."""

    heading: str
    rows: tuple[tuple[str, ...], ...]
    columns: tuple[str, ...] = ()


@dataclass(frozen=True)
class SummarySheet:
    """What the PDF/A summary of an export package shows, already in its language."""

    language: str
    title: str
    author: str
    footer: str
    sections: tuple[SummarySection, ...]


# Filled by `correspondence`, which renders PDF/A: the summary sheet to PDF bytes.
summary_renderers: list[Callable[[SummarySheet], bytes]] = []


def dossier_export_documents(dossier: Dossier) -> list[ExportDocument]:
    return [
        document for source in export_document_sources for document in source(dossier)
    ]


# Filled by the apps above that hold a dossier's personal content (`documents`):
# each is called inside the destruction's transaction (`retention.py`), erases what
# it holds that is only this dossier's, and returns how many rows it removed (for
# the destruction's audit record). Files are removed from storage after commit.
dossier_erasers: dict[str, Callable[[Dossier], int]] = {}
