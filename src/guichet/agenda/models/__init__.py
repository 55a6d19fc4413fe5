"""The agenda's models, one module per part."""

from __future__ import annotations

from .absences import Absence, AbsenceKind, FeedToken
from .minutes import ActionItem, ActionStatus, Minutes

__all__ = [
    "Absence",
    "AbsenceKind",
    "ActionItem",
    "ActionStatus",
    "FeedToken",
    "Minutes",
]
