"""The payments screens (issue #18, items 7 and 9): a month run from the screens,
the refusals (the preparer's approval, a stale version, an overlap, what the agent
may not see), the beneficiary's page, attestations and the office's lists."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.test import Client

import pytest

from guichet.audit.models import AuditEvent
from guichet.payments import services
from guichet.payments.models import Entitlement, PaymentRun, RunState, SepaFile
from tests.factories import PersonFactory
from tests.payments.conftest import pay_agent, pay_second
from tests.payments.factories import pay_beneficiary, pay_debt

__all__ = ["pay_agent", "pay_second"]

pytestmark = pytest.mark.django_db


@pytest.fixture
def pay_ui_var(settings: Any, tmp_path: Path) -> Path:
    settings.PAYMENTS_OUT_DIR = tmp_path
    return tmp_path


def _run_page(client: Client, run: PaymentRun) -> Any:
    return client.get(f"/payments/runs/{run.uuid}/")


def test_a_month_is_prepared_reviewed_approved_by_another_and_executed(
    client_for: Callable[[Any], Client],
    pay_agent: Any,
    pay_second: Any,
    pay_ui_var: Path,
) -> None:
    paid = pay_beneficiary(agent=pay_agent, confirmer=pay_second, daily="80.00")
    pay_debt(agent=pay_agent, beneficiary=paid)
    pay_beneficiary(agent=pay_agent, confirmer=pay_second, signed=False)
    preparer, second = client_for(pay_agent), client_for(pay_second)

    response = preparer.post(
        "/payments/",
        {"month": "2026-01", "team": "payment-office", "paid_on": "2026-02-03"},
    )
    run = PaymentRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/payments/runs/{run.uuid}/"
    page = _run_page(preparer, run).content.decode()
    assert run.state == RunState.PREPARED
    assert "Totals" in page
    assert "To creditors" in page
    assert "seizure" in page
    assert "The month&#x27;s declaration is not signed." in page

    # The preparer reviews; approving their own run is refused, with the reason.
    preparer.post(
        f"/payments/runs/{run.uuid}/", {"step": "review", "version": run.version}
    )
    run.refresh_from_db()
    assert run.state == RunState.REVIEWED
    refused = preparer.post(
        f"/payments/runs/{run.uuid}/", {"step": "approve", "version": run.version}
    )
    assert refused.status_code == 422
    assert "A second agent must approve a run you prepared." in refused.content.decode()
    run.refresh_from_db()
    assert run.state == RunState.REVIEWED
    assert run.approved_by is None

    second.post(
        f"/payments/runs/{run.uuid}/", {"step": "approve", "version": run.version}
    )
    run.refresh_from_db()
    assert run.state == RunState.APPROVED
    second.post(
        f"/payments/runs/{run.uuid}/", {"step": "execute", "version": run.version}
    )
    run.refresh_from_db()
    assert run.state == RunState.EXECUTED
    sepa = SepaFile.objects.get(run=run)
    assert Path(sepa.path).parent == pay_ui_var / "2026-01"
    page = _run_page(second, run).content.decode()
    assert sepa.sha256 in page
    download = second.get(f"/payments/runs/{run.uuid}/files/{sepa.sequence}/")
    assert download.status_code == 200
    assert download.content == Path(sepa.path).read_bytes()
    assert AuditEvent.objects.filter(action="payment.sepa_file_download").exists()
    progress = second.get(f"/payments/runs/{run.uuid}/progress/")
    assert progress["HX-Refresh"] == "true"  # done: the page reloads
    # a file altered on disk is never handed out
    Path(sepa.path).write_bytes(Path(sepa.path).read_bytes() + b" ")
    altered = second.get(f"/payments/runs/{run.uuid}/files/{sepa.sequence}/")
    assert altered.status_code == 409


def test_a_month_already_run_is_refused_on_the_form(
    client_for: Callable[[Any], Client],
    pay_agent: Any,
    pay_second: Any,
    pay_ui_var: Path,
) -> None:
    pay_beneficiary(agent=pay_agent, confirmer=pay_second)
    client = client_for(pay_agent)
    data = {"month": "2026-01", "team": "payment-office", "paid_on": "2026-02-03"}
    client.post("/payments/", data)
    again = client.post("/payments/", data)
    assert again.status_code == 422
    assert "a month is paid once" in again.content.decode()
    assert PaymentRun.objects.count() == 1


def test_a_stale_version_is_refused_and_nothing_changes(
    client_for: Callable[[Any], Client], pay_agent: Any, pay_second: Any
) -> None:
    beneficiary = pay_beneficiary(agent=pay_agent, confirmer=pay_second)
    entitlement = Entitlement.objects.get(beneficiary=beneficiary)
    url = f"/persons/{beneficiary.person.uuid}/payments/"
    response = client_for(pay_agent).post(
        url,
        {
            "step": "end",
            "beneficiary": str(beneficiary.uuid),
            "entitlement": str(entitlement.uuid),
            "version": entitlement.version + 1,
            "ends_on": "2026-06-30",
        },
    )
    assert response.status_code == 422
    assert "Another agent changed this record meanwhile" in response.content.decode()
    entitlement.refresh_from_db()
    assert entitlement.ends_on is None


def test_an_overlapping_entitlement_is_refused_on_its_field(
    client_for: Callable[[Any], Client], pay_agent: Any, pay_second: Any
) -> None:
    beneficiary = pay_beneficiary(agent=pay_agent, confirmer=pay_second)
    response = client_for(pay_agent).post(
        f"/persons/{beneficiary.person.uuid}/payments/",
        {
            "step": "entitlement",
            "beneficiary": str(beneficiary.uuid),
            "category": "full_unemployment",
            "daily_amount": "50.00",
            "starts_on": "2026-03-01",
            "withholding_rate": "0",
            "decided_on": "2026-02-20",
        },
    )
    assert response.status_code == 422
    assert 'class="field has-error' in response.content.decode()
    assert Entitlement.objects.filter(beneficiary=beneficiary).count() == 1


def test_a_change_of_account_needs_a_second_agent(
    client_for: Callable[[Any], Client], pay_agent: Any, pay_second: Any
) -> None:
    beneficiary = pay_beneficiary(agent=pay_agent, confirmer=pay_second)
    url = f"/persons/{beneficiary.person.uuid}/payments/"
    common = {"beneficiary": str(beneficiary.uuid)}
    bad = client_for(pay_agent).post(
        url,
        {
            **common,
            "step": "account",
            "iban": "BE00 0000",
            "holder": "X",
            "effective_on": "2026-03-01",
        },
    )
    assert bad.status_code == 422
    client_for(pay_agent).post(
        url,
        {
            **common,
            "step": "account",
            "iban": "BE71096123456769",
            "holder": "Louise Lambert",
            "effective_on": "2026-03-01",
        },
    )
    change = beneficiary.account_changes.get(status="pending")
    page = client_for(pay_agent).get(url).content.decode()
    assert "You entered this change: a second agent confirms or refuses it." in page
    client_for(pay_second).post(
        url, {**common, "step": "confirm", "change": str(change.uuid)}
    )
    beneficiary.refresh_from_db()
    assert beneficiary.account_iban == "BE71096123456769"


def test_what_the_agent_may_not_see_is_not_found(
    client_for: Callable[[Any], Client],
    make_agent: Callable[..., Any],
    pay_agent: Any,
    pay_second: Any,
) -> None:
    beneficiary = pay_beneficiary(agent=pay_agent, confirmer=pay_second)
    run = services.run_prepare(actor=pay_agent, month="2026-01")
    other = client_for(
        make_agent("payment_agent", level="C", teams=("other-office",), username="o")
    )
    person = beneficiary.person
    assert other.get(f"/payments/runs/{run.uuid}/").status_code == 404
    attestation = (
        f"/persons/{person.uuid}/payments/{beneficiary.uuid}/attestation/"
        "?kind=cpas&first=2026-01&last=2026-01&language=fr"
    )
    assert other.get(attestation).status_code == 404
    page = other.get(f"/persons/{person.uuid}/payments/").content.decode()
    assert "not a beneficiary of your payment office" in page
    hidden = PersonFactory(confidential_team=None)
    stranger = client_for(
        make_agent("first_line", level="C", teams=("cc-fr",), username="first")
    )
    assert stranger.get(f"/persons/{hidden.uuid}/payments/").status_code == 403


def test_attestations_are_pdf_and_logged(
    client_for: Callable[[Any], Client],
    pay_agent: Any,
    pay_second: Any,
    tmp_path: Path,
) -> None:
    from guichet.payments import runs

    beneficiary = pay_beneficiary(agent=pay_agent, confirmer=pay_second, rate="0.1009")
    run = runs.run_prepare(
        actor=pay_agent, month="2026-01", paid_on=dt.date(2026, 2, 3)
    )
    services.run_review(actor=pay_agent, run_id=run.uuid)
    services.run_approve(actor=pay_second, run_id=run.uuid)
    runs.run_execute(actor=pay_agent, run=run, out_dir=tmp_path)
    client = client_for(pay_agent)
    base = (
        f"/persons/{beneficiary.person.uuid}/payments/{beneficiary.uuid}/attestation/"
    )
    for query in (
        "?kind=cpas&first=2026-01&last=2026-03&language=fr",
        "?kind=mutuality&first=2026-01&last=2026-01&language=nl",
        "?kind=tax&year=2026&language=de",
    ):
        response = client.get(base + query)
        assert response.status_code == 200, query
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
    reversed_period = client.get(
        base + "?kind=cpas&first=2026-03&last=2026-01&language=fr"
    )
    assert reversed_period.status_code == 422
    assert AuditEvent.objects.filter(action="payment.attestation").count() == 3


def test_attestation_figures(pay_agent: Any, pay_second: Any, tmp_path: Path) -> None:
    from guichet.payments import attestations, runs

    beneficiary = pay_beneficiary(
        agent=pay_agent, confirmer=pay_second, rate="0.1009", daily="50.00", days=20
    )
    run = runs.run_prepare(
        actor=pay_agent, month="2026-01", paid_on=dt.date(2026, 2, 3)
    )
    services.run_review(actor=pay_agent, run_id=run.uuid)
    services.run_approve(actor=pay_second, run_id=run.uuid)
    runs.run_execute(actor=pay_agent, run=run, out_dir=tmp_path)
    tax = attestations.attestation_data(
        agent=pay_agent, beneficiary_id=beneficiary.uuid, kind="tax", year=2026
    )
    assert tax.gross == Decimal("1000.00")
    assert tax.withholding + tax.deductions + tax.net == tax.gross
    assert tax.lines[0].daily_amount == Decimal("50.00")
    before = attestations.attestation_data(
        agent=pay_agent, beneficiary_id=beneficiary.uuid, kind="tax", year=2025
    )
    assert before.lines == []
    assert before.gross == 0


def test_the_lists_filter_and_export_with_their_filters(
    client_for: Callable[[Any], Client], pay_agent: Any, pay_second: Any
) -> None:
    low = pay_beneficiary(agent=pay_agent, confirmer=pay_second, daily="40.00")
    top = pay_beneficiary(agent=pay_agent, confirmer=pay_second, daily="70.00")
    stopped = pay_beneficiary(agent=pay_agent, confirmer=pay_second, daily="55.00")
    services.beneficiary_stop(
        actor=pay_agent,
        beneficiary_id=stopped.uuid,
        expected_version=stopped.version,
        reason="=Moved abroad",
    )
    services.entitlement_add(
        actor=pay_agent,
        beneficiary_id=low.uuid,
        category="bridge_pension",
        daily_amount=Decimal("20.00"),
        starts_on=dt.date(2026, 1, 1),
        ends_on=None,
        withholding_rate=Decimal(0),
        decided_on=dt.date(2025, 12, 1),
    )
    client = client_for(pay_agent)
    prepension = client.get("/payments/lists/?kind=prepension&month=2026-01")
    assert str(low.person) in prepension.content.decode()
    assert str(top.person) not in prepension.content.decode()
    page = client.get(
        "/payments/lists/?kind=maximum&month=2026-01&category=full_unemployment"
    ).content.decode()
    assert str(top.person) in page
    assert str(low.person) not in page
    exported = client.get("/payments/lists/?kind=stopped&month=2026-01&format=csv")
    assert exported["Content-Type"].startswith("text/csv")
    rows = list(
        csv.reader(io.StringIO(exported.content.decode("utf-8-sig")), delimiter=";")
    )
    assert rows[0] == ["List", "Payments stopped"]
    assert rows[-1][-1] == "'=Moved abroad"  # never run as a formula
    workbook = client.get("/payments/lists/?kind=maximum&month=2026-01&format=xlsx")
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(workbook.content)).active
    assert sheet["A1"].value == "Beneficiaries at the maximum daily amount"
    assert sheet["A2"].value == "List"
    assert sheet["B3"].value == "2026-01"
    bad = client.get("/payments/lists/?kind=prepension&month=2026-13")
    assert bad.status_code == 422


def test_the_deductions_are_split_by_kind_from_the_database(
    pay_agent: Any, pay_second: Any
) -> None:
    from guichet.payments import runs, workflow
    from guichet.payments.models import RunItem

    seized = pay_beneficiary(agent=pay_agent, confirmer=pay_second, daily="80.00")
    pay_debt(agent=pay_agent, beneficiary=seized)
    recovered = pay_beneficiary(agent=pay_agent, confirmer=pay_second, daily="80.00")
    pay_debt(agent=pay_agent, beneficiary=recovered, kind="recovery")
    run = runs.run_prepare(
        actor=pay_agent, month="2026-01", paid_on=dt.date(2026, 2, 3)
    )
    figures = workflow.run_figures(agent=pay_agent, run_id=run.uuid)
    expected: dict[str, Decimal] = {}
    for detail in RunItem.objects.filter(run=run).values_list("detail", flat=True):
        for line in detail.get("deductions", []):
            expected[line["kind"]] = expected.get(line["kind"], Decimal(0)) + Decimal(
                line["amount"]
            )
    assert set(expected) == {"seizure", "recovery"}
    assert figures.deductions_by_kind == expected
    assert figures.to_creditors == expected["seizure"]
    assert figures.creditor_transfers == 1


def test_payments_stop_with_a_reason_and_resume(
    client_for: Callable[[Any], Client], pay_agent: Any, pay_second: Any
) -> None:
    beneficiary = pay_beneficiary(agent=pay_agent, confirmer=pay_second)
    client = client_for(pay_agent)
    url = f"/persons/{beneficiary.person.uuid}/payments/"
    common = {"beneficiary": str(beneficiary.uuid), "version": beneficiary.version}
    no_reason = client.post(url, {**common, "step": "stop", "reason": ""})
    assert no_reason.status_code == 422
    assert "This field is required." in no_reason.content.decode()
    client.post(url, {**common, "step": "stop", "reason": "Left the country."})
    beneficiary.refresh_from_db()
    assert beneficiary.status == "stopped"
    assert beneficiary.stop_reason == "Left the country."
    listed = client.get("/payments/lists/?kind=stopped").content.decode()
    assert "Left the country." in listed
    stale = client.post(url, {**common, "step": "resume"})  # the old version
    assert stale.status_code == 422
    client.post(url, {**common, "step": "resume", "version": beneficiary.version})
    beneficiary.refresh_from_db()
    assert beneficiary.status == "active"
