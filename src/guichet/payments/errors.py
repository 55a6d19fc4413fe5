"""Errors of the payments app, with stable codes."""

from __future__ import annotations

from enum import StrEnum

from guichet.core.errors import Conflict, ValidationFailed


class Code(StrEnum):
    INVALID_MONTH = "invalid_month"
    INVALID_IBAN = "invalid_iban"
    INVALID_BIC = "invalid_bic"
    INVALID_OGM = "invalid_ogm"
    REQUIRED = "required"
    NEGATIVE_AMOUNT = "negative_amount"
    NOT_AN_AMOUNT = "not_an_amount"
    INVALID_RATE = "invalid_rate"
    PERIOD_REVERSED = "period_reversed"
    INVALID_DAYS = "invalid_days"
    INVALID_CHOICE = "invalid_choice"
    ENTITLEMENT_OVERLAPS = "entitlement_overlaps"
    ALREADY_BENEFICIARY = "already_beneficiary"
    CHANGE_PENDING = "account_change_pending"
    CHANGE_NOT_PENDING = "account_change_not_pending"
    SAME_AGENT = "second_agent_required"
    DECLARATION_EXISTS = "declaration_exists"
    MONTH_ALREADY_RUN = "month_already_run"
    RUN_STATE = "run_state"
    NO_SYSTEM_APPROVER = "no_system_approver"
    NOT_STOPPED = "not_stopped"
    NOT_ACTIVE = "not_active"
    DOCUMENTS_COMPLETE = "documents_complete"


class ExceptionCode(StrEnum):
    """Why a beneficiary of a run is not paid (the run's exceptions list)."""

    NO_ACCOUNT = "no_confirmed_account"
    NO_DECLARATION = "declaration_missing"
    NOT_SIGNED = "declaration_not_signed"
    NOT_DATED = "declaration_not_dated"
    MISSING_MONTH = "earlier_month_missing"
    CREDITOR_ACCOUNT = "creditor_account_missing"
    NO_TABLE = "no_garnishment_table"
    ENGINE = "engine_error"


class MonthAlreadyRun(Conflict):
    default_code = Code.MONTH_ALREADY_RUN


class RunStateError(Conflict):
    default_code = Code.RUN_STATE


class Invalid(ValidationFailed):
    default_code = "invalid"
