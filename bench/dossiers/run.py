#!/usr/bin/env python3
"""Measure a team's dossier queue, a dossier's workbench and transitions.

    .venv/bin/python bench/dossiers/run.py \\
        --database-url postgres://postgres@127.0.0.1:5432/bench_dossiers
    .venv/bin/python bench/dossiers/run.py --database-url ... --operations queue_page \\
        --profile 50       # cProfile, the queries and their plans instead

The database is one filled by bench/dossiers/generate.py. Every operation runs in
this process through the real code paths, one call after the other (a single
agent, `bench.agent`: dossier handler level B in the four teams), with
production settings (GUICHET_DEBUG=false), after --warmup calls not counted:

- queue: `selectors.queue` for payment-office (the largest team), pages 1 to 4
  of 50 open dossiers by deadline, no other filter;
- queue_filtered: the same with one of the common filters at random: a status,
  a case type, unowned, the agent's own, overdue;
- queue_page: the UI page `/dossiers/?team=payment-office[&filter]&page=P`
  through Django's test client (middleware, the filter form, the template), a
  filter at random as above or none;
- workbench: `selectors.workbench` of a random dossier of any team (most are
  closed with their whole history; the others stop at any step);
- workbench_page: the UI page `/dossiers/<reference>/` of such a dossier;
- transition_task: `services.dossier_transition` "plan_appointment" of a passport
  dossier under checking (guard checks_passed; effects create_task, queue_letter:
  the appointment letter drafted by correspondence);
- transition_letter: "inform_parties" of a decided legalisation dossier (effect
  queue_letter: the document_ready letter drafted);
- transition_documents: "conclude_complete" of a benefit dossier just received
  with its documents (guards documents_complete, checklist_answered).

Each transition takes a different dossier (and commits: the dossiers move on, so
each run uses fresh ones). Reported per operation: N, p50/p95/p99 wall time, the
CPU each call cost in this process and in its PostgreSQL backend (the operating
system's accounting, from /proc), the queries per call, and the machine's load
and the share of its CPU other processes used meanwhile.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import os
import random
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

SEARCH = Path(__file__).resolve().parents[1] / "search"
sys.path.insert(0, str(SEARCH))

import database  # noqa: E402 - bench/search's helpers

AGENT = "bench.agent"
TEAM = "payment-office"
TARGETS = {
    "queue": 50.0,
    "queue_filtered": 50.0,
    "queue_page": 50.0,
    "workbench": 50.0,
    "workbench_page": 50.0,
    "transition_task": 30.0,
    "transition_letter": 30.0,
    "transition_documents": 30.0,
}
TITLES = {
    "queue": "queue: `selectors.queue`, team payment-office, 50 by deadline",
    "queue_filtered": "queue with a filter (status, case type, mine, unowned, overdue)",
    "queue_page": "queue page `/dossiers/?team=payment-office[&filter]` (test client)",
    "workbench": "workbench: `selectors.workbench` of a random dossier",
    "workbench_page": "workbench page `/dossiers/<reference>/` (test client)",
    "transition_task": "transition plan_appointment (checks_passed; create_task, letter)",
    "transition_letter": "transition inform_parties (queue_letter: letter drafted)",
    "transition_documents": "transition conclude_complete (documents_complete, checklist)",
}


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
    parser.add_argument("--operations", default=",".join(TARGETS))
    parser.add_argument("--calls", type=int, default=200, help="Counted calls.")
    parser.add_argument(
        "--transitions", type=int, default=150, help="Counted calls of a transition."
    )
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--label", default="")
    parser.add_argument(
        "--profile", type=int, default=0, help="cProfile N calls of each operation."
    )
    return parser.parse_args(argv)


def _settings() -> None:
    os.environ.setdefault("GUICHET_DEBUG", "false")
    os.environ.setdefault("GUICHET_SECRET_KEY", "bench-dossiers-" + "x" * 40)
    os.environ.setdefault("GUICHET_ALLOWED_HOSTS", "127.0.0.1,testserver")
    os.environ.setdefault("GUICHET_AUDIT_KEYS", "bench=" + "k" * 43)


class Samples:
    """What the operations pick from, read once before measuring."""

    def __init__(self, rng: random.Random, need: int) -> None:
        from django.db.models import Max

        from guichet.agents.models import Agent
        from guichet.dossiers.models import Dossier

        self.rng = rng
        self.agent = Agent.objects.get(username=AGENT)
        top = Dossier.objects.aggregate(top=Max("id"))["top"] or 0
        ids = rng.sample(range(1, top + 1), min(3000, top))
        self.dossiers = list(
            Dossier.objects.filter(id__in=ids).values_list("uuid", "id", "created_at")
        )
        self.statuses = list(
            Dossier.objects.filter(team__code=TEAM, closed_at__isnull=True)
            .values_list("status", flat=True)
            .distinct()
        )
        self.need = need
        self.pools: dict[str, list[Any]] = {}

    def filters(self) -> dict[str, str]:
        choice = self.rng.randrange(5)
        if choice == 0:
            return {"status": self.rng.choice(self.statuses)}
        if choice == 1:
            return {"case_type": "unemployment-benefit"}
        if choice == 2:
            return {"owner": "none"}
        if choice == 3:
            return {"owner": "me"}
        return {"overdue": "on"}

    def dossier(self) -> tuple[Any, int, dt.datetime]:
        return self.rng.choice(self.dossiers)

    def pool(self, operation: str) -> list[Any]:
        """Dossiers a transition may take, the ones its guards let through."""
        if operation not in self.pools:
            self.pools[operation] = _candidates(operation, self.agent, self.need)
        return self.pools[operation]


TRANSITIONS = {
    "transition_task": ("consular-passport", "checking", "plan_appointment"),
    "transition_letter": ("consular-legalisation", "decided", "inform_parties"),
    "transition_documents": ("unemployment-benefit", "received", "conclude_complete"),
}


def _candidates(operation: str, agent: Any, need: int) -> list[Any]:
    from guichet.dossiers import services
    from guichet.dossiers.models import Dossier

    case_type, status, code = TRANSITIONS[operation]
    found = []
    rows = (
        Dossier.objects.filter(
            case_type__code=case_type, status=status, closed_at__isnull=True
        )
        .select_related("team", "case_type_version", "person")
        .order_by("?")[: need * 4]
    )
    for dossier in rows:
        offered = services.transitions_offered(
            actor=agent, dossier=dossier, checklist=_checklist(dossier)
        )
        if any(o.transition.code == code and o.ready for o in offered):
            found.append(dossier)
        if len(found) >= need:
            break
    return found


def _checklist(dossier: Any) -> dict[str, bool]:
    from guichet.dossiers import services

    definition = services.definition_of(dossier)
    return {item.code: True for item in definition.status(dossier.status).checklist}


def _operation(operation: str, samples: Samples) -> Callable[[], None]:
    from django.test import Client

    from guichet.dossiers import selectors, services
    from guichet.dossiers.models import reference_of

    agent = samples.agent
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    client.force_login(agent)

    if operation in ("queue", "queue_filtered"):

        def call() -> None:
            given = samples.filters() if operation == "queue_filtered" else {}
            page = selectors.queue(
                agent=agent,
                filters=selectors.QueueFilter(
                    team=TEAM,
                    status=given.get("status", ""),
                    case_type=given.get("case_type", ""),
                    owner=given.get("owner", ""),
                    overdue="overdue" in given,
                    page=samples.rng.randint(1, 4),
                ),
            )
            assert page.rows or given, "an empty queue"

        return call
    if operation == "queue_page":

        def call() -> None:
            query: dict[str, Any] = {"team": TEAM, "page": samples.rng.randint(1, 4)}
            if samples.rng.random() < 0.5:
                query.update(samples.filters())
            response = client.get("/dossiers/", query)
            assert response.status_code == 200, response.status_code

        return call
    if operation == "workbench":

        def call() -> None:
            key, _pk, _created = samples.dossier()
            selectors.workbench(agent=agent, key=key)

        return call
    if operation == "workbench_page":

        def call() -> None:
            _key, pk, created = samples.dossier()
            response = client.get(f"/dossiers/{reference_of(pk, created.year)}/")
            assert response.status_code == 200, response.status_code

        return call
    code = TRANSITIONS[operation][2]
    pool = samples.pool(operation)

    def call() -> None:
        dossier = pool.pop()
        services.dossier_transition(
            actor=agent,
            dossier=dossier,
            expected_version=dossier.version,
            transition=code,
            checklist=_checklist(dossier),
        )

    return call


def _backend_ticks() -> tuple[str, int | None]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = str(cursor.fetchone()[0])
    ticks = _search_run()._ticks(backend)
    return backend, ticks[0] if ticks else None


def _queries(call: Callable[[], None]) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured.captured_queries)


def measure(operation: str, samples: Samples, options: argparse.Namespace) -> dict:
    call = _operation(operation, samples)
    transition = operation.startswith("transition")
    count = options.transitions if transition else options.calls
    if transition and len(samples.pool(operation)) < count + options.warmup + 1:
        count = max(0, len(samples.pool(operation)) - options.warmup - 1)
    for _ in range(options.warmup):
        call()
    queries = _queries(call)
    watch = _search_run().CpuWatch()
    _backend, before = _backend_ticks()
    cpu = time.process_time()
    times = []
    for _ in range(count):
        began = time.perf_counter()
        call()
        times.append((time.perf_counter() - began) * 1000)
    cpu = time.process_time() - cpu
    _backend, after = _backend_ticks()
    hertz = os.sysconf("SC_CLK_TCK")
    machine = watch.report(set(), "")
    times.sort()
    percentile = _search_run().percentile
    return {
        "operation": operation,
        "calls": count,
        "p50": round(percentile(times, 0.50), 1) if times else None,
        "p95": round(percentile(times, 0.95), 1) if times else None,
        "p99": round(percentile(times, 0.99), 1) if times else None,
        "mean": round(statistics.fmean(times), 1) if times else None,
        "cpu_ms": round(1000 * cpu / count, 2) if count else None,
        "database_cpu_ms": round(1000 * (after - before) / hertz / count, 2)
        if count and after is not None and before is not None
        else None,
        "queries": queries,
        "busy_percent": machine["busy_percent"],
        "others_percent": machine["others_percent"],
        "load": machine["load_before"],
    }


def profile(operation: str, samples: Samples, count: int) -> None:
    """cProfile (CPU time) of `count` calls, and the queries of one call with the
    plan of each SELECT."""
    import cProfile
    import pstats

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call = _operation(operation, samples)
    for _ in range(3):
        call()
    with CaptureQueriesContext(connection) as captured:
        call()
    print(f"== {operation}: {len(captured.captured_queries)} queries")
    for query in captured.captured_queries:
        sql = query["sql"]
        print(f"-- {query['time']} s: {sql[:600]}")
        if sql.lstrip().upper().startswith("SELECT") and "FOR UPDATE" not in sql:
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                plan = [row[0] for row in cursor.fetchall()]
            print("   " + "\n   ".join(plan[:25]))
    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    for _ in range(count):
        call()
    profiler.disable()
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats(40)
    stats.sort_stats("tottime").print_stats(20)


def markdown(rows: list[dict], *, title: str, note: str, commands: list[str]) -> str:
    lines = [
        f"### {title}",
        "",
        note,
        "",
        "| operation | N | p50 ms | p95 ms | p99 ms | target p95 | queries | CPU ms/call: Python, PostgreSQL | machine busy (others) | load (1, 5, 15 min) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | --- |",
    ]
    for row in rows:
        load = ", ".join(f"{value:.1f}" for value in row["load"] or [])
        target = TARGETS[row["operation"]]
        verdict = "met" if row["p95"] is not None and row["p95"] < target else "NOT met"
        lines.append(
            f"| {TITLES[row['operation']]} | {row['calls']} | {row['p50']} | "
            f"{row['p95']} | {row['p99']} | < {target:.0f} ({verdict}) | "
            f"{row['queries']} | {row['cpu_ms']}, {row['database_cpu_ms']} | "
            f"{row['busy_percent']}% ({row['others_percent']}%) | {load} |"
        )
    lines += ["", "```sh", *commands, "```"]
    return "\n".join(lines)


def main(argv: Sequence[str]) -> int:
    options = parse_arguments(argv)
    url = options.database_url
    _settings()
    database.django_setup(url)
    from django.core.management import call_command

    from guichet.dossiers.models import Dossier

    # Production settings serve hashed static files: the manifest must exist.
    call_command("collectstatic", interactive=False, verbosity=0)

    rng = random.Random(options.seed)
    operations = [name for name in options.operations.split(",") if name]
    samples = Samples(rng, options.transitions + options.warmup + 5)
    if options.profile:
        for operation in operations:
            profile(operation, samples, options.profile)
        return 0
    began = dt.datetime.now(dt.UTC)
    total = Dossier.objects.count()
    rows = []
    for operation in operations:
        row = measure(operation, samples, options)
        rows.append(row)
        print(json.dumps(row), flush=True)
    title = options.label or f"{database.label(url)}, {total:,} dossiers"
    note = (
        f"{began:%Y-%m-%d %H:%M} UTC, {total:,} dossiers, commit "
        f"{_search_run().git_commit()}; one agent, calls one after the other in one "
        f"process, {options.warmup} not counted first; production settings."
    )
    command = (
        f".venv/bin/python bench/dossiers/run.py --database-url {url} "
        f"--calls {options.calls} --transitions {options.transitions}"
    )
    print()
    print(markdown(rows, title=title, note=note, commands=[command]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
