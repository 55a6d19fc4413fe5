"""Errors of the agenda, with stable codes (one block per part)."""

from __future__ import annotations

from enum import StrEnum


class Code(StrEnum):
    """Codes every part of the agenda uses."""

    NOT_YOUR_TEAM = "not_your_team"
    ENDS_BEFORE_START = "ends_before_start"
    IN_THE_PAST = "in_the_past"

    # Appointments (offers, slots, bookings)
    REQUIRED = "required"
    TOO_LONG = "too_long"
    INVALID_CHOICE = "invalid_choice"
    CODE_TAKEN = "code_taken"
    OUT_OF_RANGE = "out_of_range"
    INVALID_INTERVAL = "invalid_interval"
    NEVER_OPEN = "never_open"
    NOT_A_MEMBER = "not_a_member"
    OFFER_INACTIVE = "offer_inactive"
    OUTSIDE_HOURS = "outside_hours"
    HOLIDAY = "holiday"
    CLOSING_DAY = "closing_day"
    NOT_ON_GRID = "not_on_grid"
    SLOT_FULL = "slot_full"
    AGENT_AWAY = "agent_away"
    OTHER_TEAM = "other_team"
    NOT_THE_PERSON = "not_the_person"
    WRONG_STATE = "wrong_state"
    TOO_EARLY = "too_early"

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
class AbsenceCode(StrEnum):
    """Codes of absences and feeds (minutes keep correspondence's codes)."""

    INVALID_KIND = "invalid_kind"
    PERIOD_REQUIRED = "period_required"
    TOO_LONG = "too_long"
    OVERLAP = "absence_overlap"
    ALREADY_CANCELLED = "already_cancelled"
    ALREADY_REVOKED = "already_revoked"
