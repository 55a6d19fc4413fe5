"""Errors of the debts app, with stable codes."""

from __future__ import annotations

from enum import StrEnum

from guichet.core.errors import Conflict, ValidationFailed


class Code(StrEnum):
    REQUIRED = "required"
    NOT_AN_AMOUNT = "not_an_amount"
    TOO_MANY_DECIMALS = "too_many_decimals"
    NEGATIVE_AMOUNT = "negative_amount"
    AMOUNT_TOO_LARGE = "amount_too_large"
    NOT_ZERO = "must_not_be_zero"
    NOT_A_DATE = "not_a_date"
    DATE_IN_FUTURE = "date_in_future"
    DATE_AFTER_PAYMENT = "notified_after_payment"
    PERIOD_REVERSED = "period_reversed"
    NOT_A_COUNT = "not_a_count"
    NOT_A_BOOLEAN = "not_a_boolean"
    INVALID_CHOICE = "invalid_choice"
    UNKNOWN_FIELD = "unknown_field"
    DUPLICATE_ID = "duplicate_id"
    INVALID_ID = "invalid_id"
    NOT_AN_OBJECT = "not_an_object"
    NOT_A_LIST = "not_a_list"
    NO_INCOME = "no_income"
    FRAUD_ONLY_RECOVERY = "fraud_only_for_recovery"
    PERIOD_REQUIRED = "period_required"
    TOO_LONG = "too_long"
    INVALID_PERIOD = "invalid_period"
    BALANCE_WOULD_BE_NEGATIVE = "balance_would_be_negative"
    NOT_RECOVERY = "plan_only_for_recovery"
    NOT_YOUR_TEAM = "not_your_team"
    TEAM_AMBIGUOUS = "team_ambiguous"
    STATUS_NEEDS_ZERO_BALANCE = "status_needs_zero_balance"
    NOT_ACTIVE = "not_active"
    NO_TABLE_IN_FORCE = "no_table_in_force"
    TABLES_OVERLAP = "tables_overlap"
    TABLE_EXISTS = "table_exists"
    ALREADY_POSTED = "already_posted"
    UNKNOWN_MAIL = "unknown_mail"


class NoTableInForce(ValidationFailed):
    """No bracket table is in force on the date asked for this kind of income.

    Never answered with another period's figures. The command line answers it with
    exit code 1 (a negative answer, not a usage error).
    """

    default_code = Code.NO_TABLE_IN_FORCE


class AlreadyPosted(Conflict):
    """This month's allocation was already posted for this person, with other figures."""

    default_code = Code.ALREADY_POSTED
