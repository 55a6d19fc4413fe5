"""The kill test (issue #18 item 4): a run killed at random points, and once while
it writes its files, then resumed, pays exactly what an uninterrupted run pays:
the same transfers, the same ledger, the same file bytes.

The data is built once in the test database, then copied into two SQLite files:
one is paid by an uninterrupted `guichet payments run`, the other by the same
command killed (SIGKILL) several times and run again until it finishes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from django.db import connection

import pytest

from tests.payments.factories import pay_beneficiary, pay_debt

ROOT = Path(__file__).resolve().parents[2]
MONTH = "2026-01"


def _environment(path: Path, tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "guichet.settings",
        "DATABASE_URL": f"sqlite:///{path}",
        "GUICHET_VAR_DIR": str(tmp_path),
        "GUICHET_PAYMENTS_BATCH_SIZE": "3",
        "GUICHET_PAYMENTS_MAX_PER_FILE": "5",
        "GUICHET_PAYMENTS_SYSTEM_APPROVER": "pay.b",
        "PYTHONPATH": str(ROOT),
    }


def _command(out: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "guichet",
        "payments",
        "run",
        "--month",
        MONTH,
        "--execute",
        "--out",
        str(out),
        "--agent",
        "pay.c",
        "--json",
    ]


def _query(path: Path, sql: str) -> list[Any]:
    with sqlite3.connect(path, timeout=10) as database:
        return sorted(database.execute(sql).fetchall())


def _state(path: Path, out: Path) -> dict[str, Any]:
    return {
        "payments": _query(
            path,
            "SELECT p.end_to_end_id, p.amount, p.state, f.message_id "
            "FROM payments_payment p LEFT JOIN payments_sepafile f ON f.id = p.file_id",
        ),
        "items": _query(
            path,
            "SELECT beneficiary_id, gross, withholding, deductions, net, exception "
            "FROM payments_runitem",
        ),
        "ledger": _query(
            path,
            "SELECT t.key, l.account, l.beneficiary_id, l.debt_id, l.debit, l.credit "
            "FROM payments_ledgerline l JOIN payments_ledgertransaction t "
            "ON t.id = l.transaction_id",
        ),
        "files": _query(
            path, "SELECT message_id, sha256, count, total FROM payments_sepafile"
        ),
        "retentions": _query(
            path,
            "SELECT debt_id, amount, period FROM debts_debtentry WHERE kind = 'retention'",
        ),
        "bytes": {
            file.name: hashlib.sha256(file.read_bytes()).hexdigest()
            for file in sorted(out.glob("*.xml"))
        },
        "run": _query(
            path, "SELECT state, transfers, transfers_total FROM payments_paymentrun"
        ),
    }


def _copy_database(target: Path) -> None:
    connection.ensure_connection()
    with sqlite3.connect(target) as copy:
        connection.connection.backup(copy)
    copy.close()


def _progress(path: Path) -> int:
    """How far the run written into the database has gone: its rows so far."""
    try:
        rows = _query(
            path,
            "SELECT (SELECT count(*) FROM payments_runitem)"
            " + (SELECT count(*) FROM payments_ledgerline)"
            " + (SELECT count(*) FROM payments_sepafile)",
        )
    except sqlite3.OperationalError:  # pragma: no cover - locked a moment
        return -1
    return int(rows[0][0])


def _files(path: Path) -> int:
    try:
        rows = _query(path, "SELECT count(*) FROM payments_sepafile")
    except sqlite3.OperationalError:  # pragma: no cover - locked a moment
        return -1
    return int(rows[0][0])


@pytest.mark.django_db(transaction=True)
def test_a_killed_run_resumed_pays_like_an_uninterrupted_one(
    pay_agent: Any, pay_second: Any, tmp_path: Path
) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("copies the database file; the PostgreSQL run is the race test")
    for index in range(14):
        beneficiary = pay_beneficiary(
            agent=pay_agent,
            confirmer=pay_second,
            daily=f"{70 + index}.00",
            rate="0.1009" if index % 3 == 0 else "0",
            starts_on=dt.date(2026, 1, 1),
            months=(MONTH,),
        )
        if index % 4 == 0:
            pay_debt(agent=pay_agent, beneficiary=beneficiary)
        if index % 5 == 0:
            pay_debt(agent=pay_agent, beneficiary=beneficiary, kind="recovery")
    whole, killed = tmp_path / "whole.sqlite3", tmp_path / "killed.sqlite3"
    _copy_database(whole)
    _copy_database(killed)
    whole_out, killed_out = tmp_path / "whole", tmp_path / "killed"

    uninterrupted = subprocess.Popen(  # noqa: S603 - our own command; meanwhile, the other copy
        _command(whole_out),
        env=_environment(whole, tmp_path),
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    chance = random.Random(18)
    kills = 0
    for attempt in range(4):
        files_before = _files(killed)
        process = subprocess.Popen(  # noqa: S603 - our own command
            _command(killed_out),
            env=_environment(killed, tmp_path),
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        if attempt == 3:  # once while the files are written: one more recorded
            deadline = time.monotonic() + 60
            while _files(killed) <= files_before and process.poll() is None:
                assert time.monotonic() < deadline
                time.sleep(0.01)
        else:
            # Killed mid-run: once the run has written more than before (a clock
            # alone let a quick run finish first on a quiet machine), after a
            # random moment more.
            before = _progress(killed)
            deadline = time.monotonic() + 60
            while _progress(killed) <= before and process.poll() is None:
                assert time.monotonic() < deadline
                time.sleep(0.01)
            time.sleep(chance.uniform(0.0, 0.05))
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            kills += 1
        process.wait(timeout=60)
    finished = subprocess.run(  # noqa: S603 - our own command
        _command(killed_out),
        env=_environment(killed, tmp_path),
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=120,
    )

    assert uninterrupted.wait(timeout=120) == 0
    assert kills >= 3
    assert b'"month": "2026-01"' in finished.stdout
    expected, got = _state(whole, whole_out), _state(killed, killed_out)
    assert got == expected
    assert len(expected["files"]) >= 3
    assert expected["run"] == [
        ("executed", len(expected["payments"]), expected["run"][0][2])
    ]
