"""The agenda's models, one module per part."""

from __future__ import annotations

from guichet.agenda.models.absences import Absence, AbsenceKind, FeedToken
from guichet.agenda.models.appointments import (
    Appointment,
    AppointmentMessage,
    AppointmentNumbering,
    Offer,
)
from guichet.agenda.models.meetings import (
    Answer,
    Booking,
    Event,
    EventKind,
    Meeting,
    Participant,
    Registration,
    RegistrationStatus,
    Resource,
    ResourceKind,
)
from guichet.agenda.models.minutes import ActionItem, ActionStatus, Minutes

__all__ = [
    "Absence",
    "AbsenceKind",
    "ActionItem",
    "ActionStatus",
    "Answer",
    "Appointment",
    "AppointmentMessage",
    "AppointmentNumbering",
    "Booking",
    "Event",
    "EventKind",
    "FeedToken",
    "Meeting",
    "Minutes",
    "Offer",
    "Participant",
    "Registration",
    "RegistrationStatus",
    "Resource",
    "ResourceKind",
]
