"""Errors of the cash book, with stable codes."""

from __future__ import annotations

from enum import StrEnum


class Code(StrEnum):
    REQUIRED = "required"
    NOT_AN_AMOUNT = "not_an_amount"
    TOO_MANY_DECIMALS = "too_many_decimals"
    NOT_POSITIVE = "must_be_positive"
    AMOUNT_TOO_LARGE = "amount_too_large"
    INVALID_CHOICE = "invalid_choice"
    TOO_LONG = "too_long"
    DAY_CLOSED = "day_closed"
    DAY_NOT_OPEN = "day_not_open"
    DAY_NOT_CLOSED = "day_not_closed"
    FEE_EXEMPTED = "fee_exempted"
    FEE_ALREADY_PAID = "fee_already_paid"
    MORE_THAN_DUE = "more_than_due"
    MORE_THAN_PAID = "more_than_paid"
    OTHER_COUNTER = "other_counter"
    DIFFERENCE_NEEDS_NOTE = "difference_needs_supervisor_note"
    DIFFERENCE_NEEDS_SUPERVISOR = "difference_needs_supervisor"
    CHECK_BY_CLOSER = "check_by_closer"
    CODE_TAKEN = "code_taken"
    INVALID_OGM = "invalid_ogm"
