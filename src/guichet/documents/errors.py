"""Errors of the documents app, with stable codes."""

from __future__ import annotations

from enum import StrEnum


class Code(StrEnum):
    REQUIRED = "required"
    TOO_LONG = "too_long"
    INVALID_CHOICE = "invalid_choice"
    FILE_EMPTY = "file_empty"
    FILE_TOO_LARGE = "file_too_large"
    FILE_TYPE_REFUSED = "file_type_refused"
    DATES_ORDER = "dates_order"
    ISSUED_IN_FUTURE = "issued_in_future"
    CHECK_NOT_FOR_TYPE = "check_not_for_type"
    UNKNOWN_FIELD = "unknown_field"
    VALUE_REQUIRED = "value_required"
    NO_SUCH_DOSSIER = "no_such_dossier"
    DOSSIER_ARCHIVED = "dossier_archived"
    DOSSIER_ITEM_UNKNOWN = "dossier_item_unknown"
    DOSSIER_ITEM_WITHOUT_DOSSIER = "dossier_item_without_dossier"
    SPECIMEN_DATES_ORDER = "specimen_dates_order"
    SPECIMEN_WITHDRAWN = "specimen_withdrawn"
    SPECIMEN_NOT_VALID_ON = "specimen_not_valid_on"
    OFFICIAL_TAKEN = "official_taken"
