"""The agenda's models, one module per part."""

from __future__ import annotations

from .absences import Absence, AbsenceKind, FeedToken
from .appointments import (
    Appointment,
    AppointmentMessage,
    AppointmentNumbering,
    Offer,
)
from .minutes import ActionItem, ActionStatus, Minutes

__all__ = [
    "Absence",
    "AbsenceKind",
    "ActionItem",
    "ActionStatus",
    "Appointment",
    "AppointmentMessage",
    "AppointmentNumbering",
    "FeedToken",
    "Minutes",
    "Offer",
]
