"""`guichet payments run|ledger check` on the test database."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from django.core.management import call_command

import pytest

from guichet.payments.models import PaymentRun, RunState
from tests.payments.factories import pay_beneficiary


def _call(*args: str) -> tuple[int, dict[str, Any]]:
    from io import StringIO

    out = StringIO()
    code = 0
    try:
        call_command("payments", *args, stdout=out)
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    return code, json.loads(out.getvalue())


def test_runs_then_pays_nothing_more(
    pay_agent: Any, pay_second: Any, tmp_path: Path, settings: Any
) -> None:
    settings.PAYMENTS_SYSTEM_APPROVER = "pay.b"
    pay_beneficiary(agent=pay_agent, confirmer=pay_second, months=("2026-01",))
    arguments = ("run", "--month", "2026-01", "--execute", "--out", str(tmp_path))

    code, first = _call(*arguments, "--agent", "pay.c", "--json")
    again_code, again = _call(*arguments, "--agent", "pay.c", "--json")
    ledger_code, ledger = _call("ledger", "check", "--json")

    assert code == 0
    assert set(first) == {"run", "month", "payments", "total", "files"}
    assert first["payments"] == 1
    assert first["total"] == "1320.00"
    assert [Path(path).parent for path in first["files"]] == [tmp_path]
    assert again_code == 0
    assert again == {**first, "payments": 0, "total": "0.00", "files": []}
    assert ledger_code == 0
    assert ledger["balanced"] is True


def test_without_an_approver_the_run_waits_for_a_second_agent(
    pay_agent: Any, pay_second: Any, tmp_path: Path, settings: Any
) -> None:
    settings.PAYMENTS_SYSTEM_APPROVER = ""
    pay_beneficiary(agent=pay_agent, confirmer=pay_second, months=("2026-01",))

    code, answer = _call(
        "run",
        "--month",
        "2026-01",
        "--execute",
        "--out",
        str(tmp_path),
        "--agent",
        "pay.c",
        "--json",
    )

    assert code == 2
    assert answer["error"]["code"] == "no_system_approver"
    assert PaymentRun.objects.get().state == RunState.REVIEWED
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("_case", ["bad month"])
def test_a_bad_month_is_refused(_case: str, pay_agent: Any) -> None:
    code, answer = _call("run", "--month", "2026-13", "--agent", "pay.c", "--json")

    assert code == 2
    assert answer["error"]["code"] == "invalid_month"
    assert not PaymentRun.objects.exists()
    assert dt.date(2026, 1, 1)
