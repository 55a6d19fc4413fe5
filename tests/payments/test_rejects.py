"""Bank rejects: recorded with the reason, the ledger takes the transfer back, and
the payment is made again, once, to a corrected account (docs/payments.md)."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.db import IntegrityError, transaction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guichet.core import clock
from guichet.core.errors import Conflict, NotFound, ValidationFailed
from guichet.payments import rejects, runs, selectors, sepa, services
from guichet.payments.models import (
    BankReject,
    LedgerLine,
    Payment,
    PaymentState,
    SepaFile,
)
from guichet.payments.sepa import SepaVersion, file_sha256, validate
from tests.payments.factories import IBANS, pay_beneficiary, pay_debt

PAID_ON = dt.date(2026, 2, 3)
RECEIVED = dt.date(2026, 2, 6)


def _executed(agent: Any, second: Any, out: Path, *, debt: bool = False) -> Any:
    beneficiary = pay_beneficiary(
        agent=agent, confirmer=second, daily="80.00" if debt else "60.00"
    )
    if debt:
        pay_debt(agent=agent, beneficiary=beneficiary)
    run = runs.run_prepare(actor=agent, month="2026-01", paid_on=PAID_ON)
    run = services.run_review(actor=agent, run_id=run.uuid)
    run = services.run_approve(actor=second, run_id=run.uuid)
    runs.run_execute(actor=agent, run=run, out_dir=out)
    run.refresh_from_db()
    return beneficiary, run


def _net(run: Any) -> Payment:
    return Payment.objects.get(run=run, kind="beneficiary")


def _correct(agent: Any, second: Any, beneficiary: Any, iban: str) -> None:
    change = services.account_change_request(
        actor=agent,
        beneficiary_id=beneficiary.uuid,
        iban=iban,
        holder="Corrected Holder",
        effective_on=RECEIVED,
    )
    services.account_change_confirm(actor=second, change_id=change.uuid)


def _reject(agent: Any, payment: Payment, reason: str = "AC04") -> BankReject:
    return rejects.payment_reject_record(
        actor=agent,
        payment_id=payment.pk,
        reason=reason,
        received_on=RECEIVED,
        bank_reference="BANKREF-1",
    )


def test_a_reject_takes_the_transfer_back(
    pay_agent: Any, pay_second: Any, tmp_path: Path
) -> None:
    _beneficiary, run = _executed(pay_agent, pay_second, tmp_path)
    payment = _net(run)

    reject = _reject(pay_agent, payment)

    payment.refresh_from_db()
    assert payment.state == PaymentState.REJECTED
    assert reject.reason == "AC04"
    assert reject.bank_reference == "BANKREF-1"
    check = selectors.ledger_check()
    assert check.balanced
    assert check.accounts["bank"] == 0  # the money came back
    assert check.accounts["beneficiary_payable"] == -payment.amount  # owed again


def test_refusals_write_nothing(
    pay_agent: Any, pay_second: Any, tmp_path: Path
) -> None:
    _beneficiary, run = _executed(pay_agent, pay_second, tmp_path)
    payment = _net(run)
    lines = LedgerLine.objects.count()

    with pytest.raises(ValidationFailed) as bad:
        rejects.payment_reject_record(
            actor=pay_agent, payment_id=payment.pk, reason="XX99", received_on=RECEIVED
        )
    assert bad.value.errors[0].code == "invalid_reject_reason"
    with pytest.raises(ValidationFailed) as other:
        rejects.payment_reject_record(
            actor=pay_agent, payment_id=payment.pk, reason="other", received_on=RECEIVED
        )
    assert other.value.errors[0].code == "required"
    with pytest.raises(ValidationFailed):
        rejects.payment_reject_record(
            actor=pay_agent,
            payment_id=payment.pk,
            reason="AC01",
            received_on=clock.today() + dt.timedelta(days=2),
        )
    with pytest.raises(NotFound):
        rejects.payment_reject_record(
            actor=pay_agent, payment_id="nope", reason="AC01", received_on=RECEIVED
        )
    with pytest.raises(Conflict) as early:
        rejects.payment_retry(actor=pay_agent, payment_id=payment.pk, out_dir=tmp_path)
    assert early.value.code == "payment_not_rejected"
    assert LedgerLine.objects.count() == lines

    _reject(pay_agent, payment)
    with pytest.raises(Conflict) as twice:
        _reject(pay_agent, payment, reason="AC01")
    assert twice.value.code == "payment_already_rejected"
    with pytest.raises(Conflict) as uncorrected:
        rejects.payment_retry(actor=pay_agent, payment_id=payment.pk, out_dir=tmp_path)
    assert uncorrected.value.code == "account_not_corrected"
    assert BankReject.objects.count() == 1
    assert Payment.objects.filter(run=run).count() == 1


def test_a_payment_not_in_a_file_is_not_rejected(
    pay_agent: Any, pay_second: Any
) -> None:
    pay_beneficiary(agent=pay_agent, confirmer=pay_second)
    run = runs.run_prepare(actor=pay_agent, month="2026-01", paid_on=PAID_ON)

    with pytest.raises(Conflict) as refused:
        _reject(pay_agent, _net(run))

    assert refused.value.code == "payment_not_executed"
    assert not BankReject.objects.exists()


def test_paid_again_once_to_the_corrected_account(
    pay_agent: Any, pay_second: Any, tmp_path: Path
) -> None:
    beneficiary, run = _executed(pay_agent, pay_second, tmp_path)
    payment = _net(run)
    _reject(pay_agent, payment)
    _correct(pay_agent, pay_second, beneficiary, IBANS[4])

    result = rejects.payment_retry(
        actor=pay_agent, payment_id=payment.pk, out_dir=tmp_path
    )
    again = rejects.payment_retry(
        actor=pay_agent, payment_id=payment.pk, out_dir=tmp_path
    )

    (new,) = result.payments
    assert again.payments == []
    assert again.file is None
    assert new.attempt == 2
    assert new.iban == IBANS[4]
    assert new.amount == payment.amount
    assert new.end_to_end_id == f"{payment.end_to_end_id}-2"
    assert result.file is not None
    assert result.file.retry
    assert result.file.message_id.endswith("-R0001")
    path = Path(result.file.path)
    validate(path, SepaVersion.V09)
    assert file_sha256(path) == result.file.sha256
    assert SepaFile.objects.filter(run=run).count() == 2
    check = selectors.ledger_check()
    assert check.balanced
    assert check.accounts["beneficiary_payable"] == 0
    assert check.accounts["bank"] == -payment.amount
    # The database keeps one payment not rejected per key.
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.filter(pk=payment.pk).update(state=PaymentState.RELEASED)


def test_a_run_retries_its_corrected_creditors(
    pay_agent: Any, pay_second: Any, tmp_path: Path
) -> None:
    _beneficiary, run = _executed(pay_agent, pay_second, tmp_path, debt=True)
    creditor = Payment.objects.get(run=run, kind="creditor")
    net = _net(run)
    _reject(pay_agent, creditor, reason="AC01")
    _reject(pay_agent, net, reason="MD07")
    services.creditor_account_set(
        actor=pay_agent,
        debt_id=creditor.debt.uuid,
        name="Huissier Dupont",
        iban=IBANS[2],
    )

    result = rejects.run_retry(actor=pay_agent, run_id=run.uuid, out_dir=tmp_path)

    assert [p.payee for p in result.payments] == [creditor.payee]
    assert [(p.pk, code) for p, code in result.refused] == [
        (net.pk, "account_not_corrected")
    ]
    assert result.payments[0].iban == IBANS[2]
    assert selectors.ledger_check().balanced
    assert rejects.rejects_of_run(agent=pay_agent, run=run)[0].retry is not None


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(steps=st.lists(st.sampled_from(["reject", "correct", "retry"]), max_size=7))
def test_any_sequence_keeps_one_live_payment_and_balances(
    pay_agent: Any, pay_second: Any, tmp_path_factory: Any, steps: list[str]
) -> None:
    out = tmp_path_factory.mktemp("rejects")
    with transaction.atomic():
        beneficiary, run = _executed(pay_agent, pay_second, out)
        ibans = iter(IBANS[1:] * 3)
        for step in steps:
            live = Payment.objects.exclude(state=PaymentState.REJECTED).filter(run=run)
            latest = Payment.objects.filter(run=run).order_by("-attempt").first()
            assert latest is not None
            try:
                if step == "reject":
                    _reject(pay_agent, latest)
                elif step == "correct":
                    _correct(pay_agent, pay_second, beneficiary, next(ibans))
                else:
                    rejects.payment_retry(
                        actor=pay_agent, payment_id=latest.pk, out_dir=out
                    )
            except (Conflict, ValidationFailed):
                pass
            assert live.count() <= 1
            assert selectors.ledger_check().balanced
        transaction.set_rollback(True)


def _pain002(rows: list[tuple[str, str, str]]) -> str:
    """A pain.002.001.10 status report: (end-to-end id, status, reason code)."""
    txs = "".join(
        f"<TxInfAndSts><StsId>ST-{n}</StsId><OrgnlEndToEndId>{e2e}</OrgnlEndToEndId>"
        f"<TxSts>{status}</TxSts>"
        + (
            f"<StsRsnInf><Rsn><Cd>{code}</Cd></Rsn><AddtlInf>Bank says {code}"
            "</AddtlInf></StsRsnInf>"
            if code
            else ""
        )
        + "</TxInfAndSts>"
        for n, (e2e, status, code) in enumerate(rows)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.10">'
        "<CstmrPmtStsRpt><GrpHdr><MsgId>STS-1</MsgId>"
        "<CreDtTm>2026-02-06T10:00:00</CreDtTm></GrpHdr>"
        "<OrgnlGrpInfAndSts><OrgnlMsgId>X</OrgnlMsgId>"
        "<OrgnlMsgNmId>pain.001.001.09</OrgnlMsgNmId></OrgnlGrpInfAndSts>"
        f"<OrgnlPmtInfAndSts><OrgnlPmtInfId>X</OrgnlPmtInfId>{txs}"
        "</OrgnlPmtInfAndSts></CstmrPmtStsRpt></Document>"
    )


def test_a_status_report_records_its_rejects_once(
    pay_agent: Any, pay_second: Any, tmp_path: Path
) -> None:
    pay_beneficiary(agent=pay_agent, confirmer=pay_second)
    _beneficiary, run = _executed(pay_agent, pay_second, tmp_path)
    first, second = Payment.objects.filter(run=run).order_by("id")
    report = tmp_path / "status.xml"
    report.write_text(
        _pain002(
            [
                (first.end_to_end_id, "RJCT", "AC04"),
                (second.end_to_end_id, "RJCT", "NARR"),
                ("P000000-0-0-N", "RJCT", "AC01"),
                ("P000000-0-0-D1", "ACSC", ""),
            ]
        )
    )

    def run_import() -> dict[str, Any]:
        out = StringIO()
        call_command(
            "payments", "rejects", "import", str(report), "--agent", "pay.c",
            "--json", stdout=out,
        )  # fmt: skip
        return json.loads(out.getvalue())

    done, again = run_import(), run_import()

    assert done["recorded"] == [first.end_to_end_id, second.end_to_end_id]
    assert done["unknown"] == ["P000000-0-0-N"]
    assert again["recorded"] == []
    assert again["already"] == done["recorded"]
    rejected = BankReject.objects.get(payment=second)
    assert rejected.reason == "other"
    assert rejected.reason_text == "NARR Bank says NARR"
    assert rejected.received_on == RECEIVED
    assert BankReject.objects.get(payment=first).bank_reference == "ST-0"
    assert selectors.ledger_check().balanced
    report.write_text("<Document/>")
    with pytest.raises(ValidationFailed):
        rejects.rejects_import(actor=pay_agent, path=report)


def test_a_retry_file_the_schema_refuses_is_not_recorded(
    pay_agent: Any, pay_second: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    beneficiary, run = _executed(pay_agent, pay_second, tmp_path)
    payment = _net(run)
    _reject(pay_agent, payment)
    _correct(pay_agent, pay_second, beneficiary, IBANS[4])
    lines = LedgerLine.objects.count()
    out = tmp_path / "retry"

    def refuse(path: Path, version: Any) -> None:
        raise sepa.SepaError(sepa.SepaErrorCode.INVALID, "refused")

    monkeypatch.setattr(sepa, "validate", refuse)
    with pytest.raises(sepa.SepaError):
        rejects.payment_retry(actor=pay_agent, payment_id=payment.pk, out_dir=out)
    monkeypatch.undo()

    assert list(out.iterdir()) == []
    assert LedgerLine.objects.count() == lines
    assert Payment.objects.filter(run=run).count() == 1
    result = rejects.payment_retry(actor=pay_agent, payment_id=payment.pk, out_dir=out)
    assert result.file is not None
    assert result.file.message_id.endswith("-R0001")
