"""Demo case types: the four shipped files, imported through the service.

Idempotent: a second run finds every file unchanged. The demo's teams own them
(`data.TEAMS`: legalisations, travel-documents, visas, payment-office).
"""

from __future__ import annotations

from guichet.casetypes.services import IMPORTED, casetypes_import, shipped_files


def build() -> int:
    """Import the shipped case types; the number of new versions."""
    outcomes = casetypes_import(agent=None, files=shipped_files())
    return sum(outcome.status == IMPORTED for outcome in outcomes)
