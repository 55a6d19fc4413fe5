"""The demo month (issue #18 item 8): `guichet payments run --month <current>
--execute --out DIR --json` pays the demo beneficiaries, their creditors too."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

from django.core.management import call_command

from guichet.core import clock
from guichet.payments.models import Beneficiary, Payment, RunItem
from guichet.payments.sepa import SepaVersion, validate


def test_the_demo_month_is_paid_once(demo: Any, tmp_path: Path) -> None:
    today = clock.today()
    month = f"{today.year:04d}-{today.month:02d}"
    arguments = (
        "payments",
        "run",
        "--month",
        month,
        "--execute",
        "--out",
        str(tmp_path),
        "--json",
    )

    first, again = io.StringIO(), io.StringIO()
    call_command(*arguments, stdout=first)
    call_command(*arguments, stdout=again)

    answer = json.loads(first.getvalue())
    assert Beneficiary.objects.filter(team__code="payment-office").count() == 30
    assert answer["payments"] == Payment.objects.count() > 30
    assert set(Payment.objects.values_list("debt__kind", flat=True)) >= {
        None,
        "maintenance",
        "seizure",
        "assignment",
    }
    kinds = {
        deduction["kind"]
        for detail in RunItem.objects.values_list("detail", flat=True)
        for deduction in detail.get("deductions", [])
    }
    assert kinds == {"maintenance", "seizure", "assignment", "recovery"}
    assert list(
        RunItem.objects.exclude(exception="").values_list("exception", flat=True)
    ) == ["declaration_not_signed"]
    for path in answer["files"]:
        validate(Path(path), SepaVersion.V09)
    assert json.loads(again.getvalue())["payments"] == 0
    ledger = io.StringIO()
    call_command("payments", "ledger", "check", "--json", stdout=ledger)
    assert json.loads(ledger.getvalue())["balanced"] is True
