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


# Absences, presence, feed, minutes
class AbsenceCode(StrEnum):
    """Codes of absences and feeds (minutes keep correspondence's codes)."""

    INVALID_KIND = "invalid_kind"
    PERIOD_REQUIRED = "period_required"
    TOO_LONG = "too_long"
    OVERLAP = "absence_overlap"
    ALREADY_CANCELLED = "already_cancelled"
    ALREADY_REVOKED = "already_revoked"
