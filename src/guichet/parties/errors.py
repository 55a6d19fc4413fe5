"""Errors of the parties app, with stable codes."""

from __future__ import annotations

from enum import StrEnum

from guichet.core.errors import Conflict


class Code(StrEnum):
    REQUIRED = "required"
    NAME_CHARACTER = "name_character"
    NAME_NOT_SEARCHABLE = "name_not_searchable"
    TOO_MANY_CONTACT_POINTS = "too_many_contact_points"
    TOO_LONG = "too_long"
    INVALID_NATIONAL_NUMBER = "invalid_national_number"
    NATIONAL_NUMBER_TAKEN = "national_number_taken"
    BIRTH_DATE_MISMATCH = "birth_date_mismatch"
    SEX_MISMATCH = "sex_mismatch"
    BIRTH_DATE_IN_FUTURE = "birth_date_in_future"
    BIRTH_DATE_TOO_OLD = "birth_date_too_old"
    INVALID_ENTERPRISE_NUMBER = "invalid_enterprise_number"
    ENTERPRISE_NUMBER_TAKEN = "enterprise_number_taken"
    INVALID_PHONE = "invalid_phone"
    INVALID_EMAIL = "invalid_email"
    INVALID_POSTAL_CODE = "invalid_postal_code"
    INVALID_COUNTRY = "invalid_country"
    INVALID_CHOICE = "invalid_choice"
    UNKNOWN_FIELD = "unknown_field"
    LIKELY_DUPLICATE = "likely_duplicate"
    NO_CRITERION = "no_criterion"
    PERSON_MERGED = "person_merged"
    MERGE_REFUSED = "merge_refused"
    SAME_PERSON = "same_person"


class LikelyDuplicate(Conflict):
    """A person with a similar name and the same birth date already exists."""

    default_code = Code.LIKELY_DUPLICATE
