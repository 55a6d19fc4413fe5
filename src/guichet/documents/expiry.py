"""Expiry of documents against a dossier's dates (pure; no database).

A document supports a decision only if it is still valid on the decision date: one
that expires before it is flagged, so the agent asks for a valid one before deciding.
The expiry date is the last day of validity (as printed, and as in ICAO Doc 9303
zones), so a document expiring on the decision date itself is still valid.
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol


class Expiring(Protocol):
    @property
    def expires_on(self) -> dt.date | None: ...


def expires_before(*, expires_on: dt.date | None, decision_date: dt.date) -> bool:
    """True when a document with this expiry is no longer valid on `decision_date`.

    A document without an expiry date (a birth certificate, a bank statement) never
    expires.
    """
    return expires_on is not None and expires_on < decision_date


def document_expires_before(document: Expiring, decision_date: dt.date) -> bool:
    """`expires_before` for a document (anything with an `expires_on` date).

    The dossier issue calls this for each document of a dossier, with the dossier's
    (planned) decision date.
    """
    return expires_before(expires_on=document.expires_on, decision_date=decision_date)
