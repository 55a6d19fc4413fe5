"""Every write of the payments app (planned signatures; bodies follow).

Beneficiaries and accounts
    beneficiary_register(*, actor, person_id, team_code=None, dossier_id=None,
        children=0) -> Beneficiary
    beneficiary_from_dossier(*, actor, dossier) -> Beneficiary
        (the unemployment-benefit case type's `hand_over_to_payments`)
    beneficiary_update(*, actor, beneficiary_id, expected_version, children)
    beneficiary_stop(*, actor, beneficiary_id, expected_version, reason)
    beneficiary_resume(*, actor, beneficiary_id, expected_version)
    account_change_request(*, actor, beneficiary_id, iban, holder, bic="",
        effective_on, reason="") -> AccountChange   (checked with check_iban)
    account_change_confirm(*, actor, change_id) -> AccountChange  (never the
        agent who entered it; the beneficiary's paid account changes then)
    account_change_refuse(*, actor, change_id, reason) -> AccountChange
    creditor_account_set(*, actor, debt_id, name, iban, bic="", ogm="", text="")
        -> CreditorAccount

Entitlements, declarations, documents
    entitlement_add(*, actor, beneficiary_id, category, daily_amount, starts_on,
        ends_on, withholding_rate, decided_on, decision_reference="") -> Entitlement
        (an overlap with another of the same category is refused)
    entitlement_end(*, actor, entitlement_id, expected_version, ends_on)
    declaration_record(*, actor, beneficiary_id, month, days_payable, days_worked,
        days_sick, days_holiday, received_on, signed, dated_on) -> Declaration
    declaration_correct(*, actor, declaration_id, expected_version, **same fields)
    documents_request_letter(*, actor, beneficiary_id, month) -> DocumentsRequest
        (the `payment_documents_missing` letter, once per month)

Runs (each phase resumable: a cursor in the run, one audit record per step)
    run_prepare(*, actor, month, team_code=None, paid_on=None, chunk_size=2000,
        progress=None) -> PaymentRun
    run_review(*, actor, run_id, expected_version=None) -> PaymentRun
    run_approve(*, actor, run_id, expected_version=None) -> PaymentRun
        (never the preparer)
    run_execute(*, actor, run_id, out_dir, chunk_size=2000, progress=None)
        -> ExecuteResult(run, payments, total, files)
"""

from __future__ import annotations

from typing import Any


def run_prepare(**kwargs: Any) -> Any:
    raise NotImplementedError


def run_review(**kwargs: Any) -> Any:
    raise NotImplementedError


def run_approve(**kwargs: Any) -> Any:
    raise NotImplementedError


def run_execute(**kwargs: Any) -> Any:
    raise NotImplementedError
