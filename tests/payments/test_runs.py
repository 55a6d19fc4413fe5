from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from guichet.core.errors import Forbidden
from guichet.payments import runs, selectors, services
from guichet.payments.errors import MonthAlreadyRun
from guichet.payments.models import (
    LedgerLine,
    Payment,
    PaymentState,
    RunItem,
    RunState,
    SepaFile,
)
from guichet.payments.sepa import SepaVersion, validate
from tests.payments.factories import pay_beneficiary, pay_debt

PAID_ON = dt.date(2026, 2, 3)


def _approved(agent: Any, second: Any, month: str = "2026-01") -> Any:
    run = runs.run_prepare(actor=agent, month=month, paid_on=PAID_ON)
    run = services.run_review(actor=agent, run_id=run.uuid)
    return services.run_approve(actor=second, run_id=run.uuid)


def test_pays_net_and_creditors_and_balances(
    pay_agent: Any, pay_second: Any, tmp_path: Path
) -> None:
    plain = pay_beneficiary(agent=pay_agent, confirmer=pay_second, rate="0.1009")
    seized = pay_beneficiary(agent=pay_agent, confirmer=pay_second, daily="80.00")
    debt = pay_debt(agent=pay_agent, beneficiary=seized, ogm="+++090/9337/55493+++")
    pay_beneficiary(agent=pay_agent, confirmer=pay_second, account=False)

    run = _approved(pay_agent, pay_second)
    result = runs.run_execute(actor=pay_agent, run=run, out_dir=tmp_path)

    item = RunItem.objects.get(run=run, beneficiary=plain)
    assert item.gross == Decimal("1320.00")  # 22 x 60.00
    assert item.withholding == Decimal("133.19")  # 1320 x 0.1009 = 133.188
    assert item.net == Decimal("1186.81")
    seized_item = RunItem.objects.get(run=run, beneficiary=seized)
    assert seized_item.gross == Decimal("1760.00")
    assert seized_item.deductions > 0
    assert seized_item.gross == seized_item.net + seized_item.deductions
    creditor = Payment.objects.get(run=run, debt=debt)
    assert creditor.amount == seized_item.deductions
    assert creditor.ogm == "090933755493"
    assert (
        RunItem.objects.filter(run=run, exception="no_confirmed_account").count() == 1
    )
    assert result.payments == 3
    assert result.total == item.net + seized_item.gross
    assert len(result.files) == 1
    validate(Path(result.files[0]), SepaVersion.V09)
    assert set(Payment.objects.filter(run=run).values_list("state", flat=True)) == {
        PaymentState.RELEASED
    }
    run.refresh_from_db()
    assert run.state == RunState.EXECUTED
    assert run.transfers == 3
    check = selectors.ledger_check()
    assert check.balanced
    assert check.accounts["bank"] == -result.total
    assert check.accounts["beneficiary_payable"] == 0
    assert check.accounts["creditor_payable"] == 0
    assert check.accounts["withholding_payable"] == Decimal("-133.19")
    assert debt.entries.filter(kind="retention", period="2026-01").get().amount == (
        -seized_item.deductions
    )


def test_a_second_execution_pays_nobody(
    pay_agent: Any, pay_second: Any, tmp_path: Path
) -> None:
    pay_beneficiary(agent=pay_agent, confirmer=pay_second)
    run = _approved(pay_agent, pay_second)
    first = runs.run_execute(actor=pay_agent, run=run, out_dir=tmp_path)
    lines = LedgerLine.objects.count()

    again = runs.run_execute(actor=pay_agent, run=run, out_dir=tmp_path / "again")

    assert first.payments == 1
    assert again.payments == 0
    assert again.files == []
    assert LedgerLine.objects.count() == lines
    assert SepaFile.objects.count() == 1


def test_a_month_is_run_once(pay_agent: Any, pay_second: Any) -> None:
    pay_beneficiary(agent=pay_agent, confirmer=pay_second)
    runs.run_prepare(actor=pay_agent, month="2026-01", paid_on=PAID_ON)

    with pytest.raises(MonthAlreadyRun) as refused:
        runs.run_prepare(actor=pay_agent, month="2026-01", paid_on=PAID_ON)

    assert refused.value.code == "month_already_run"


def test_the_preparer_never_approves(pay_agent: Any, pay_second: Any) -> None:
    pay_beneficiary(agent=pay_agent, confirmer=pay_second)
    run = runs.run_prepare(actor=pay_agent, month="2026-01", paid_on=PAID_ON)
    run = services.run_review(actor=pay_agent, run_id=run.uuid)

    with pytest.raises(Forbidden):
        services.run_approve(actor=pay_agent, run_id=run.uuid)

    run.refresh_from_db()
    assert run.state == RunState.REVIEWED


def test_incomplete_documents_are_exceptions(pay_agent: Any, pay_second: Any) -> None:
    unsigned = pay_beneficiary(agent=pay_agent, confirmer=pay_second, signed=False)
    gap = pay_beneficiary(
        agent=pay_agent,
        confirmer=pay_second,
        starts_on=dt.date(2025, 11, 1),
        months=("2025-11", "2026-01"),
    )

    run = runs.run_prepare(actor=pay_agent, month="2026-01", paid_on=PAID_ON)

    assert RunItem.objects.get(run=run, beneficiary=unsigned).exception == (
        "declaration_not_signed"
    )
    item = RunItem.objects.get(run=run, beneficiary=gap)
    assert item.exception == "earlier_month_missing"
    assert item.detail["missing"] == [
        {"code": "earlier_month_missing", "month": "2025-12"}
    ]
    assert run.exceptions == 2
    assert run.beneficiaries == 0
    assert Payment.objects.filter(run=run).count() == 0


def test_a_recovery_is_kept_back_not_transferred(
    pay_agent: Any, pay_second: Any, tmp_path: Path
) -> None:
    beneficiary = pay_beneficiary(agent=pay_agent, confirmer=pay_second)
    pay_debt(agent=pay_agent, beneficiary=beneficiary, kind="recovery")
    run = _approved(pay_agent, pay_second)

    runs.run_execute(actor=pay_agent, run=run, out_dir=tmp_path)

    item = RunItem.objects.get(run=run)
    assert item.deductions == Decimal("132.00")  # 10 % of 1320.00
    assert Payment.objects.get(run=run).amount == Decimal("1188.00")
    assert selectors.ledger_check().accounts["recovery_receivable"] == Decimal(
        "-132.00"
    )


def test_review_shows_largest_changes(
    pay_agent: Any, pay_second: Any, tmp_path: Path
) -> None:
    beneficiary = pay_beneficiary(
        agent=pay_agent, confirmer=pay_second, months=("2026-01",)
    )
    run = _approved(pay_agent, pay_second)
    runs.run_execute(actor=pay_agent, run=run, out_dir=tmp_path)
    services.declaration_record(
        actor=pay_agent,
        beneficiary_id=beneficiary.uuid,
        month="2026-02",
        days_payable=10,
        days_worked=12,
        days_sick=0,
        days_holiday=0,
        received_on=dt.date(2026, 2, 28),
        signed=True,
        dated_on=dt.date(2026, 2, 28),
    )
    second = runs.run_prepare(actor=pay_agent, month="2026-02", paid_on=PAID_ON)

    review = selectors.run_review_data(agent=pay_agent, run_id=second.uuid)

    assert [change.difference for change in review.largest_changes] == [
        Decimal("-720.00")
    ]


def test_a_file_that_fails_the_xsd_is_never_recorded_nor_released(
    pay_agent: Any, pay_second: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from guichet.payments import sepa

    pay_beneficiary(agent=pay_agent, confirmer=pay_second)
    run = _approved(pay_agent, pay_second)

    def refuse(path: Path, version: Any) -> None:
        raise sepa.SepaError(sepa.SepaErrorCode.INVALID, "refused by the test")

    monkeypatch.setattr(sepa, "validate", refuse)
    with pytest.raises(sepa.SepaError):
        runs.run_execute(actor=pay_agent, run=run, out_dir=tmp_path)
    assert not SepaFile.objects.exists()
    assert not Payment.objects.filter(state=PaymentState.RELEASED).exists()

    monkeypatch.undo()  # the file is valid after all: resuming records it once
    result = runs.run_execute(actor=pay_agent, run=run, out_dir=tmp_path)
    assert (result.payments, SepaFile.objects.count()) == (1, 1)
    assert selectors.ledger_check().balanced


def test_amounts_are_whole_cents_or_refused() -> None:
    from guichet.core.money import cents

    assert cents(Decimal("12.30")) == 1230
    assert cents(Decimal("0.01")) == 1
    with pytest.raises(ValueError, match="whole number of cents"):
        cents(Decimal("12.305"))
