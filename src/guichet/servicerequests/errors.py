"""Stable error codes of the requests app (the API returns them; messages vary)."""

from __future__ import annotations

from enum import StrEnum


class Code(StrEnum):
    NOT_FOUND = "not_found"
    TRANSITION_NOT_ALLOWED = "transition_not_allowed"
    TEXT_REQUIRED = "text_required"
    CLASSIFICATION_REQUIRED = "classification_required"
    COMPLAINT_ONLY = "complaint_only"
    NO_CONCERNED_PARTY = "no_concerned_party"
    NOT_A_MEMBER = "not_a_member"
    ALREADY_TAKEN = "already_taken"
    SAME_TEAM = "same_team"
    MERGE_ITSELF = "merge_itself"
    ALREADY_MERGED = "already_merged"
    LINK_CYCLE = "link_cycle"
    NO_ROUTE = "no_route"
    ALREADY_IDENTIFIED = "already_identified"
    NOT_ANONYMOUS = "not_anonymous"
    REPLY_CHANNEL = "reply_channel"
