"""Errors of the agenda, with stable codes (one block per part)."""

from __future__ import annotations

from enum import StrEnum


class Code(StrEnum):
    """Codes every part of the agenda uses."""

    NOT_YOUR_TEAM = "not_your_team"
    ENDS_BEFORE_START = "ends_before_start"
    IN_THE_PAST = "in_the_past"

    # Appointments (offers, slots, bookings)

    # Meetings, rooms and equipment, events
    RESOURCE_TAKEN = "resource_taken"
    RESOURCE_INACTIVE = "resource_inactive"
    RESOURCE_CODE_TAKEN = "resource_code_taken"
    MEETING_CANCELLED = "meeting_cancelled"
    PARTICIPANT_TWICE = "participant_twice"
    NOT_INVITED = "not_invited"
    EVENT_CANCELLED = "event_cancelled"
    ALREADY_REGISTERED = "already_registered"
    NOT_REGISTERED = "not_registered"
    NOT_AN_AGENT = "not_an_agent"


# Absences, presence, feed, minutes
