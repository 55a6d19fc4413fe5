"""The agenda's models, one module per part."""

from .meetings import (
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

__all__ = [
    "Answer",
    "Booking",
    "Event",
    "EventKind",
    "Meeting",
    "Participant",
    "Registration",
    "RegistrationStatus",
    "Resource",
    "ResourceKind",
]
