#!/usr/bin/env python3
"""Measure contacts and requests through the production server.

    .venv/bin/python bench/requests/run.py \\
        --database-url postgres://postgres@127.0.0.1:5432/bench_requests

The database is one filled by bench/requests/generate.py. gunicorn serves it as
production runs it (GUICHET_DEBUG=false, 2 workers x 4 threads; bench/search's
runner). Then each operation in turn is sent by --clients keep-alive clients for
--seconds (after --warmup seconds not counted), as `bench.agent` (first line of
cc-fr) with its token:

- create: POST /api/v1/requests/with-contact, a phone contact and the question it
  turns into, for a random visible person of the population (routed by topic and
  language over the 50 teams, deadlines in business hours);
- queue: GET /api/v1/requests?team=cc-fr&page=P, a page of 50 open requests of the
  agent's team sorted by resolution due (P from 1 to 4);
- open: GET /api/v1/requests/{reference} of a random visible request.

Reported per operation: requests per second, p50/p95/p99 latency (client side), the
errors, and the CPU each request cost (the operating system's accounting of the
gunicorn processes and of PostgreSQL's backends for this database, divided by the
requests), with the machine's load and what else used the CPU: on this shared
machine the CPU per request is the figure that holds; throughput follows the share
of the two cores the run got. `--profile N` instead runs N calls of the first of
--operations in this process (through Django's test client): their CPU here and in
the connection's PostgreSQL backend, their queries, and cProfile's top.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import importlib.util
import json
import os
import random
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SEARCH = Path(__file__).resolve().parents[1] / "search"
sys.path.insert(0, str(SEARCH))

import database  # noqa: E402 - bench/search's helpers

TARGET_MS = 50.0
TARGET_CREATIONS = 300.0


def _search_run() -> Any:
    spec = importlib.util.spec_from_file_location("search_run", SEARCH / "run.py")
    assert spec is not None
    assert spec.loader is not None
    if "search_run" not in sys.modules:
        module = importlib.util.module_from_spec(spec)
        sys.modules["search_run"] = module
        spec.loader.exec_module(module)
    return sys.modules["search_run"]


@dataclass
class Phase:
    operation: str
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0
    server_cpu: float = 0.0
    database_cpu: float = 0.0
    machine: dict[str, Any] = field(default_factory=dict)
    samples: list[str] = field(default_factory=list)


def parse_arguments(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--operations", default="create,queue,open")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--label", default="", help="A name for this run's block.")
    parser.add_argument(
        "--profile",
        type=int,
        default=0,
        help="cProfile N calls of the first of --operations in-process.",
    )
    return parser.parse_args(argv)


def _samples(rng: random.Random) -> tuple[list[str], list[str], list[str]]:
    """Visible persons' ids, visible requests' references, topic codes."""
    from django.db.models import Max

    from guichet.parties.models import Person
    from guichet.servicerequests.models import Request, RoutingRule, reference_of

    top_person = Person.objects.aggregate(top=Max("id"))["top"] or 0
    persons = [
        str(value)
        for value in Person.objects.filter(
            id__in=rng.sample(range(1, top_person + 1), min(3000, top_person)),
            confidential_team__isnull=True,
        ).values_list("uuid", flat=True)
    ]
    top = Request.objects.aggregate(top=Max("id"))["top"] or 0
    references = [
        reference_of(pk, created.year)
        for pk, created in Request.objects.filter(
            id__in=rng.sample(range(1, top + 1), min(3000, top)),
            person__confidential_team__isnull=True,
        ).values_list("id", "created_at")
    ]
    topics = sorted(
        set(
            RoutingRule.objects.filter(topic__isnull=False).values_list(
                "topic__code", flat=True
            )
        )
    )
    return persons, references, topics


def _creation(rng: random.Random, persons: list[str], topics: list[str]) -> str:
    person = rng.choice(persons)
    topic = rng.choice(topics)
    return json.dumps(
        {
            "contact": {
                "channel": "phone",
                "person": person,
                "topic": topic,
                "summary": "Asked about the file; a request is opened.",
                "address_used": "+32470123456",
            },
            "request": {
                "kind": "question",
                "subject": "Question about the file",
                "description": "The caller asks when the file will be handled.",
                "topic": topic,
                "channel": "phone",
                "person": person,
                "priority": rng.choice(["low", "normal", "high", "urgent"]),
            },
        }
    )


def _job(
    operation: str,
    rng: random.Random,
    persons: list[str],
    references: list[str],
    topics: list[str],
) -> tuple[str, str, str | None, int]:
    if operation == "create":
        return (
            "POST",
            "/api/v1/requests/with-contact",
            _creation(rng, persons, topics),
            201,
        )
    if operation == "queue":
        return "GET", f"/api/v1/requests?team=cc-fr&page={rng.randint(1, 4)}", None, 200
    return "GET", f"/api/v1/requests/{rng.choice(references)}", None, 200


def _ticks(pids: set[int], our_database: str) -> dict[int, tuple[str, int]]:
    """Ticks of each gunicorn process ("server") and of each PostgreSQL backend
    serving our database ("database"; autovacuum workers left out)."""
    found: dict[int, tuple[str, int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        ticks = _search_run()._ticks(entry.name)
        if ticks is None:
            continue
        count, name = ticks
        pid = int(entry.name)
        if pid in pids:
            found[pid] = ("server", count)
        elif (
            name.startswith("postgres:")
            and f" {our_database} " in name
            and "autovacuum" not in name
        ):
            found[pid] = ("database", count)
    return found


def _used(
    before: dict[int, tuple[str, int]], after: dict[int, tuple[str, int]]
) -> tuple[int, int]:
    """(server, database) ticks used in between: a process that ended is not
    counted (persistent connections keep the backends), a new one fully."""
    used = {"server": 0, "database": 0}
    for pid, (kind, count) in after.items():
        used[kind] += count - before.get(pid, (kind, 0))[1]
    return used["server"], used["database"]


def measure(
    operation: str,
    *,
    port: int,
    token: str,
    options: argparse.Namespace,
    samples: tuple[list[str], list[str], list[str]],
    server: Any,
    our_database: str,
) -> Phase:
    phase = Phase(operation)
    persons, references, topics = samples
    headers = {
        "Authorization": f"Bearer {token}",
        "Accept": "application/json",
        "Content-Type": "application/json",
        "Accept-Language": "fr",
    }
    started = time.monotonic()
    counting = started + options.warmup
    stop = counting + options.seconds
    lock = threading.Lock()
    marks: dict[str, Any] = {}

    def client(seed: int) -> None:
        rng = random.Random(seed)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine: list[float] = []
        errors = 0
        while (now := time.monotonic()) < stop:
            method, path, body, expected = _job(
                operation, rng, persons, references, topics
            )
            began = time.perf_counter()
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
            elapsed = (time.perf_counter() - began) * 1000
            if response.will_close:
                connection.close()
            if now >= counting:
                mine.append(elapsed)
                if response.status != expected:
                    errors += 1
                    if len(phase.samples) < 3:
                        phase.samples.append(content[:300].decode(errors="replace"))
        connection.close()
        with lock:
            phase.latencies.extend(mine)
            phase.errors += errors

    def start_counting() -> None:
        time.sleep(max(0.0, counting - time.monotonic()))
        marks["cpu"] = _search_run().CpuWatch()
        marks["ticks"] = _ticks(server.pids(), our_database)

    threads = [
        threading.Thread(target=client, args=(options.seed * 100 + n,))
        for n in range(options.clients)
    ]
    marker = threading.Thread(target=start_counting)
    marker.start()
    for thread in threads:
        thread.start()
    marker.join()
    for thread in threads:
        thread.join()
    end_ticks = _ticks(server.pids(), our_database)
    hertz = os.sysconf("SC_CLK_TCK")
    phase.seconds = time.monotonic() - counting
    server_ticks, database_ticks = _used(marks["ticks"], end_ticks)
    phase.server_cpu = server_ticks / hertz
    phase.database_cpu = database_ticks / hertz
    phase.machine = marks["cpu"].report(server.pids(), our_database)
    return phase


def summary(phase: Phase) -> dict[str, Any]:
    percentile = _search_run().percentile
    times = sorted(phase.latencies)
    count = len(times)
    return {
        "operation": phase.operation,
        "requests": count,
        "per_second": round(count / phase.seconds, 1) if phase.seconds else 0.0,
        "p50": round(percentile(times, 0.50), 1) if times else None,
        "p95": round(percentile(times, 0.95), 1) if times else None,
        "p99": round(percentile(times, 0.99), 1) if times else None,
        "errors": phase.errors,
        "server_cpu_ms": round(1000 * phase.server_cpu / count, 1) if count else None,
        "database_cpu_ms": round(1000 * phase.database_cpu / count, 1)
        if count
        else None,
        "busy_percent": phase.machine.get("busy_percent"),
        "others_percent": phase.machine.get("others_percent"),
        "load": phase.machine.get("load_before"),
        "samples": phase.samples,
    }


TITLES = {
    "create": "contact + request (POST /requests/with-contact)",
    "queue": "queue page of 50 by deadline (GET /requests?team=cc-fr)",
    "open": "open a request (GET /requests/{reference})",
}


def markdown(
    rows: list[dict[str, Any]], *, title: str, note: str, commands: list[str]
) -> str:
    lines = [
        f"### {title}",
        "",
        note,
        "",
        "| operation | requests/s | p50 ms | p95 ms | p99 ms | errors | CPU ms/request: server, PostgreSQL | machine busy (others) | load (1, 5, 15 min) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- | --- | --- |",
    ]
    for row in rows:
        load = ", ".join(f"{value:.1f}" for value in row["load"] or [])
        lines.append(
            f"| {TITLES[row['operation']]} | {row['per_second']} | {row['p50']} | "
            f"{row['p95']} | {row['p99']} | {row['errors']} | {row['server_cpu_ms']}, "
            f"{row['database_cpu_ms']} | {row['busy_percent']}% ({row['others_percent']}%) "
            f"| {load} |"
        )
    lines += ["", "```sh", *commands, "```"]
    return "\n".join(lines)


def profile(
    url: str,
    count: int,
    samples: tuple[list[str], list[str], list[str]],
    operation: str = "create",
) -> None:
    """One operation's handler in this process, through Django's test client: the
    CPU it costs here and in this connection's PostgreSQL backend, its queries, and
    cProfile's top."""
    import cProfile
    import pstats

    from django.db import connection, reset_queries
    from django.test import Client

    token = token_path(url).read_text().strip()
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_ACCEPT_LANGUAGE="fr")
    rng = random.Random(11)
    persons, references, topics = samples

    def call() -> None:
        method, path, body, expected = _job(operation, rng, persons, references, topics)
        if method == "POST":
            response = client.post(
                path, body, content_type="application/json", HTTP_HOST="127.0.0.1"
            )
        else:
            response = client.get(path, HTTP_HOST="127.0.0.1")
        assert response.status_code == expected, response.content

    for _ in range(20):
        call()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = str(cursor.fetchone()[0])
    hertz = os.sysconf("SC_CLK_TCK")
    ticks = _search_run()._ticks(backend)
    began = time.process_time()
    wall = time.perf_counter()
    for _ in range(count):
        call()
    plain = (time.process_time() - began) / count * 1000
    spent = (time.perf_counter() - wall) / count * 1000
    after = _search_run()._ticks(backend)
    backend_ms = (
        f"{(after[0] - ticks[0]) / hertz / count * 1000:.2f}"
        if ticks is not None and after is not None
        else "?"
    )
    print(
        f"{count} {operation}: {plain:.2f} ms CPU each in this process, "
        f"{backend_ms} ms in its PostgreSQL backend, {spent:.1f} ms wall"
    )
    from django.conf import settings

    settings.DEBUG = True
    reset_queries()
    call()
    print(f"queries per {operation}: {len(connection.queries)}")
    for query in connection.queries:
        print("   ", query["sql"][:160])
    settings.DEBUG = False
    profiler = cProfile.Profile(time.process_time)  # CPU, not waiting
    profiler.enable()
    for _ in range(count):
        call()
    profiler.disable()
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats(45)
    stats.sort_stats("tottime").print_stats(25)


def token_path(url: str) -> Path:
    return database.OUT / f"requests-{database.label(url)}.token"


def main(argv: Sequence[str]) -> int:
    options = parse_arguments(argv)
    url = options.database_url
    if options.profile:
        os.environ.setdefault("GUICHET_DEBUG", "false")
        os.environ.setdefault("GUICHET_SECRET_KEY", "bench-profile-" + "x" * 40)
        os.environ.setdefault("GUICHET_ALLOWED_HOSTS", "127.0.0.1")
        os.environ.setdefault("GUICHET_AUDIT_KEYS", "bench=" + "k" * 43)
    database.django_setup(url)
    rng = random.Random(options.seed)
    samples = _samples(rng)
    if options.profile:
        profile(url, options.profile, samples, options.operations.split(",")[0])
        return 0
    token = token_path(url).read_text().strip()
    search_run = _search_run()
    port = search_run.free_port()
    server = search_run.Server(
        url, port=port, workers=options.workers, threads=options.threads
    )
    our_database = str(database.dj_database_url.parse(url)["NAME"])
    from guichet.servicerequests.models import Request

    before = Request.objects.count()
    rows = []
    began = dt.datetime.now(dt.UTC)
    try:
        server.start(token)
        for operation in options.operations.split(","):
            phase = measure(
                operation,
                port=port,
                token=token,
                options=options,
                samples=samples,
                server=server,
                our_database=our_database,
            )
            row = summary(phase)
            rows.append(row)
            print(json.dumps(row), flush=True)
    finally:
        server.stop()
    title = options.label or f"{database.label(url)}, {before:,} requests"
    note = (
        f"{began:%Y-%m-%d %H:%M} UTC, {before:,} requests in the database at the start, "
        f"commit {search_run.git_commit()}; {options.clients} clients on keep-alive "
        f"connections, {options.seconds:.0f} s per operation after {options.warmup:.0f} s "
        "not counted; gunicorn "
        f"{options.workers} workers x {options.threads} threads, production settings."
    )
    commands = [
        server.shown,
        f".venv/bin/python bench/requests/run.py --database-url {url} "
        f"--clients {options.clients} --seconds {options.seconds:.0f}",
    ]
    print()
    print(markdown(rows, title=title, note=note, commands=commands))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
