#!/usr/bin/env python3
"""One month's payment run on the data of bench/payments/generate.py, timed.

    .venv/bin/python bench/payments/run.py --month 2026-11 --out bench/out/payments \\
        --database-url postgres://postgres@127.0.0.1:5432/bench_payments

Prepares, reviews (bench.preparer), approves (bench.approver), executes and writes
the SEPA files, then checks the ledger: the same code paths as `guichet payments
run --execute`, in this process, production settings. Prints one JSON line: the
seconds of each phase and in all, the beneficiaries, exceptions, transfers, files,
and the process's peak memory (maximum resident set size). `--reset` deletes the
month's run first (its transfers, ledger, files and the debts' retentions), so the
same data can be measured again.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import setup


def reset(month: str) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
        cursor.execute(
            "DELETE FROM payments_ledgerline WHERE transaction_id IN (SELECT t.id FROM "
            "payments_ledgertransaction t JOIN payments_paymentrun r ON r.id = t.run_id "
            "WHERE r.month = %s)",
            [month],
        )
        for table in (
            "payments_ledgertransaction",
            "payments_payment",
            "payments_runitem",
        ):
            cursor.execute(
                f"DELETE FROM {table} WHERE run_id IN "  # noqa: S608 - our table names
                "(SELECT id FROM payments_paymentrun WHERE month = %s)",
                [month],
            )
        cursor.execute(
            "DELETE FROM payments_sepafile WHERE run_id IN "
            "(SELECT id FROM payments_paymentrun WHERE month = %s)",
            [month],
        )
        cursor.execute("DELETE FROM payments_paymentrun WHERE month = %s", [month])
        cursor.execute(
            "DELETE FROM debts_debtentry WHERE kind = 'retention' AND period = %s",
            [month],
        )
        cursor.execute("DELETE FROM debts_allocationposting WHERE period = %s", [month])
        cursor.execute("UPDATE debts_debt SET status = 'active'")
        cursor.execute("SET session_replication_role = DEFAULT")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--month", default="2026-11")
    parser.add_argument("--out", default="bench/out/payments")
    parser.add_argument("--reset", action="store_true")
    options = parser.parse_args()
    setup(options.database_url)

    import datetime as dt

    from guichet.agents.models import Agent
    from guichet.payments import runs, selectors, services

    if options.reset:
        reset(options.month)
        shutil.rmtree(options.out, ignore_errors=True)
    preparer = Agent.objects.get(username="bench.preparer")
    approver = Agent.objects.get(username="bench.approver")
    seconds: dict[str, float] = {}
    start = time.monotonic()
    run = runs.run_open(
        actor=preparer, month=options.month, paid_on=dt.date(2026, 12, 3)
    )
    for _done in runs.prepare_batches(actor=preparer, run=run):
        pass
    seconds["prepare"] = time.monotonic() - start
    mark = time.monotonic()
    run = services.run_review(actor=preparer, run_id=run.uuid)
    run = services.run_approve(actor=approver, run_id=run.uuid)
    seconds["review_approve"] = time.monotonic() - mark
    mark = time.monotonic()
    written: list = []
    for _done in runs.execute_steps(
        actor=preparer, run=run, out_dir=Path(options.out), written=written
    ):
        pass
    seconds["execute"] = time.monotonic() - mark
    seconds["total"] = time.monotonic() - start
    mark = time.monotonic()
    check = selectors.ledger_check()
    seconds["ledger_check"] = time.monotonic() - mark
    run.refresh_from_db()
    print(
        json.dumps(
            {
                "month": run.month,
                "beneficiaries": run.beneficiaries,
                "exceptions": run.exceptions,
                "transfers": run.transfers,
                "total": str(run.transfers_total),
                "files": len(written),
                "balanced": check.balanced,
                "seconds": {name: round(value, 1) for name, value in seconds.items()},
                "peak_rss_mib": round(
                    resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
                ),
            }
        )
    )


if __name__ == "__main__":
    main()
