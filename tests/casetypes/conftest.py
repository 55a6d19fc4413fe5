"""Fixtures of the casetypes tests: a small valid case type, its teams."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.factories import TeamFactory

# A small valid case type; tests change one line and expect the problem there.
# Line numbers matter: keep them (the comments give each line's number).
MINIMAL = """\
code: sample
names: {fr: Exemple, nl: Voorbeeld, de: Beispiel, en: Sample}
team: legalisations
valid_from: 2026-01-01
statuses:
- code: received
  names: {fr: Reçu, nl: Ontvangen, de: Eingegangen, en: Received}
  citizen_text: {fr: Reçu., nl: Ontvangen., de: Eingegangen., en: Received.}
  initial: true
- code: checking
  names: {fr: Contrôle, nl: Controle, de: Prüfung, en: Checking}
  citizen_text: {fr: En cours., nl: Bezig., de: Läuft., en: In progress.}
- code: closed
  names: {fr: Clos, nl: Gesloten, de: Geschlossen, en: Closed}
  citizen_text: {fr: Clos., nl: Gesloten., de: Geschlossen., en: Closed.}
  final: true
transitions:
- code: start
  from: received
  to: checking
  names: {fr: Commencer, nl: Beginnen, de: Beginnen, en: Start}
  roles: [front_office]
  min_level: C
  guards: [documents_complete]
  effects: [start_deadline]
  letters: [acknowledgement]
- code: close
  from: [checking]
  to: closed
  names: {fr: Clore, nl: Sluiten, de: Schließen, en: Close}
  roles: [dossier_handler, supervisor]
  min_level: B
  requires_text: true
"""


def line_of(text: str, needle: str) -> int:
    """The 1-based line of the first line containing `needle`."""
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in the text")


@pytest.fixture
def teams(db: Any) -> list[Any]:
    return [
        TeamFactory(code=code)
        for code in ("legalisations", "travel-documents", "visas", "payment-office")
    ]


@pytest.fixture
def administrator(make_agent: Callable[..., Any]) -> Any:
    return make_agent("admin", level="B", teams=("support",), username="root.admin")
