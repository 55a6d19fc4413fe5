#!/usr/bin/env python3
"""Measure the dashboards per role (issue #19) through the real views.

    .venv/bin/python bench/reports/run.py \\
        --database-url postgres://postgres@127.0.0.1:5432/bench_reports \\
        --agent supervisor.cc --agent supervisor.pay --calls 50
    .venv/bin/python bench/reports/run.py --database-url ... --agent supervisor.pay \\
        --profile 1     # the queries of each figure and their plans instead

The database is one filled by bench/dossiers/generate.py, then
bench/requests/generate.py --alongside (dossiers, requests, contacts). For each
agent: the supervisor's dashboard page `/reports/dashboard/teams/` (the last 30
days, all the agent's teams) and, if the agent may, the payment office's
`/reports/dashboard/payments/`, rendered by Django's test client (middleware,
forms, templates, the SVG charts), one call after the other, with production
settings (GUICHET_DEBUG=false), after --warmup calls not counted. Then each figure
alone (`supervisor.dashboard(only=...)`, `payments.dashboard(only=...)`), so the
slow one shows. Reported: N, p50/p95/p99 in ms and the queries per call; the
target is p95 < 300 ms per dashboard page.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import os
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

SEARCH = Path(__file__).resolve().parents[1] / "search"
sys.path.insert(0, str(SEARCH))

import database  # noqa: E402 - bench/search's helpers

TARGET_MS = 300.0


def _search_run() -> Any:
    spec = importlib.util.spec_from_file_location("search_run", SEARCH / "run.py")
    assert spec is not None
    assert spec.loader is not None
    if "search_run" not in sys.modules:
        module = importlib.util.module_from_spec(spec)
        sys.modules["search_run"] = module
        spec.loader.exec_module(module)
    return sys.modules["search_run"]


def parse_arguments(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", required=True)
    parser.add_argument(
        "--agent",
        action="append",
        help="A username (repeat for several); default supervisor.cc, supervisor.pay.",
    )
    parser.add_argument("--calls", type=int, default=50, help="Counted calls.")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--days", type=int, default=30, help="The period's length.")
    parser.add_argument("--month", default="", help="The payment dashboard's month.")
    parser.add_argument("--label", default="")
    parser.add_argument(
        "--profile",
        type=int,
        default=0,
        help="Print the queries of each figure with their plans (EXPLAIN ANALYZE).",
    )
    return parser.parse_args(argv)


def _settings() -> None:
    os.environ.setdefault("GUICHET_DEBUG", "false")
    os.environ.setdefault("GUICHET_SECRET_KEY", "bench-reports-" + "x" * 40)
    os.environ.setdefault("GUICHET_ALLOWED_HOSTS", "127.0.0.1,testserver")
    os.environ.setdefault("GUICHET_AUDIT_KEYS", "bench=" + "k" * 43)


def _operations(
    agent: Any, options: argparse.Namespace
) -> dict[str, Callable[[], None]]:
    """name -> one call, for the pages and each figure the agent may see."""
    from django.test import Client

    from guichet.access import policy
    from guichet.access.domains.reports import Action
    from guichet.core import clock
    from guichet.reports.dashboards import payments, supervisor
    from guichet.reports.dashboards.common import Period

    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    client.force_login(agent)
    today = clock.today()
    period = Period(first=today - dt.timedelta(days=options.days - 1), last=today)
    query = {"first": period.first.isoformat(), "last": period.last.isoformat()}
    found: dict[str, Callable[[], None]] = {}

    def page(path: str, params: dict[str, str]) -> Callable[[], None]:
        def call() -> None:
            response = client.get(path, params)
            assert response.status_code == 200, response.status_code

        return call

    if policy.may(agent, Action.DASHBOARD_SUPERVISOR):
        found["supervisor page"] = page("/reports/dashboard/teams/", query)
        for key in supervisor.FIGURES:
            found[f"  {key}"] = _figure(
                lambda key=key: supervisor.dashboard(
                    agent=agent, team="", period=period, only=key
                )
            )
    if policy.may(agent, Action.DASHBOARD_PAYMENTS):
        month = {"month": options.month} if options.month else {}
        found["payments page"] = page("/reports/dashboard/payments/", month)
        for key in payments.FIGURES:
            found[f"  {key}"] = _figure(
                lambda key=key: payments.dashboard(
                    agent=agent, month=options.month, only=key
                )
            )
    return found


def _figure(build: Callable[[], Any]) -> Callable[[], None]:
    def call() -> None:
        build()

    return call


def _queries(call: Callable[[], None]) -> list[dict[str, Any]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        call()
    return list(captured.captured_queries)


def measure(name: str, call: Callable[[], None], options: argparse.Namespace) -> dict:
    for _ in range(options.warmup):
        call()
    queries = len(_queries(call))
    times = []
    for _ in range(options.calls):
        began = time.perf_counter()
        call()
        times.append((time.perf_counter() - began) * 1000)
    times.sort()
    percentile = _search_run().percentile
    return {
        "operation": name,
        "calls": options.calls,
        "p50": round(percentile(times, 0.50), 1),
        "p95": round(percentile(times, 0.95), 1),
        "p99": round(percentile(times, 0.99), 1),
        "mean": round(statistics.fmean(times), 1),
        "queries": queries,
    }


def profile(name: str, call: Callable[[], None]) -> None:
    """The queries of one call, each SELECT with its plan."""
    from django.db import connection

    call()
    captured = _queries(call)
    print(f"== {name}: {len(captured)} queries")
    for query in captured:
        sql = query["sql"]
        print(f"-- {query['time']} s: {sql[:800]}")
        if sql.lstrip().upper().startswith("SELECT"):
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                plan = [row[0] for row in cursor.fetchall()]
            print("   " + "\n   ".join(plan[:40]))


def markdown(rows: list[dict], *, title: str, note: str, command: str) -> str:
    lines = [
        f"### {title}",
        "",
        note,
        "",
        "| agent | dashboard or figure | N | p50 ms | p95 ms | p99 ms | queries |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        name = row["operation"]
        verdict = ""
        if name.endswith("page"):
            met = row["p95"] < TARGET_MS
            verdict = f" (target < {TARGET_MS:.0f}: {'met' if met else 'NOT met'})"
        lines.append(
            f"| {row['agent']} | {name.strip()}{verdict} | {row['calls']} | "
            f"{row['p50']} | {row['p95']} | {row['p99']} | {row['queries']} |"
        )
    lines += ["", "```sh", command, "```"]
    return "\n".join(lines)


def main(argv: Sequence[str]) -> int:
    options = parse_arguments(argv)
    url = options.database_url
    _settings()
    database.django_setup(url)
    from django.core.management import call_command

    from guichet.agents.models import Agent
    from guichet.dossiers.models import Dossier
    from guichet.servicerequests.models import Request

    # Production settings serve hashed static files: the manifest must exist.
    call_command("collectstatic", interactive=False, verbosity=0)
    usernames = options.agent or ["supervisor.cc", "supervisor.pay"]
    rows = []
    began = dt.datetime.now(dt.UTC)
    for username in usernames:
        agent = Agent.objects.get(username=username)
        for name, call in _operations(agent, options).items():
            if options.profile:
                profile(f"{username}: {name.strip()}", call)
                continue
            row = {"agent": username, **measure(name, call, options)}
            rows.append(row)
            print(json.dumps(row), flush=True)
    if options.profile:
        return 0
    dossiers, requests = Dossier.objects.count(), Request.objects.count()
    title = options.label or (
        f"{database.label(url)}, {dossiers:,} dossiers, {requests:,} requests"
    )
    note = (
        f"{began:%Y-%m-%d %H:%M} UTC, commit {_search_run().git_commit()}; the last "
        f"{options.days} days, calls one after the other in one process, "
        f"{options.warmup} not counted first; production settings."
    )
    command = " ".join(["bench/reports/run.py", *argv]).replace(url, "$DATABASE_URL")
    print(markdown(rows, title=title, note=note, command=command))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
