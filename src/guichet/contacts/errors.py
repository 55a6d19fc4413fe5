"""Stable error codes of the contacts app (the API returns them; messages vary)."""

from __future__ import annotations

from enum import StrEnum


class Code(StrEnum):
    NOT_FOUND = "not_found"
    UNKNOWN_TOPIC = "unknown_topic"
    NOT_YOUR_TEAM = "not_your_team"
    TEAM_REQUIRED = "team_required"
    NAIVE_TIME = "naive_time"
    IN_FUTURE = "in_future"
    TOO_OLD = "too_old"
    ENDS_BEFORE = "ends_before_start"
    CALLER_WITHOUT_CONCERNED = "caller_without_concerned"
    CALLER_IS_CONCERNED = "caller_is_concerned"
    ALREADY_ENDED = "already_ended"
    ALREADY_IDENTIFIED = "already_identified"
    WAIT_AFTER_START = "wait_after_start"
    SPAN_TOO_LONG = "span_too_long"
