"""Errors of the knowledge base, with stable codes."""

from __future__ import annotations

from enum import StrEnum


class Code(StrEnum):
    REQUIRED = "required"
    TOO_LONG = "too_long"
    INVALID_CHOICE = "invalid_choice"
    TRANSITION_NOT_ALLOWED = "transition_not_allowed"
    OWN_SUBMISSION = "own_submission"
    NOT_EDITABLE = "not_editable"
    UNKNOWN_REVISION = "unknown_revision"
    PROPOSAL_DECIDED = "proposal_decided"
    OWN_PROPOSAL = "own_proposal"
    NO_TEAM = "no_team"
    PLACE_INCOMPLETE = "place_incomplete"
    PLACE_EXISTS = "place_exists"
    UNCHANGED = "unchanged"
