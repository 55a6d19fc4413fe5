#!/usr/bin/env python3
"""Measure the audit trail's cost on reads and writes, before and after a change.

    .venv/bin/python bench/audit/run.py \\
        --before-src /work/wt-audit-before/src \\
        --before-url postgres://postgres@127.0.0.1:5432/wt_audit_bench_before \\
        --after-url postgres://postgres@127.0.0.1:5432/wt_audit_bench_after

Both databases are copies of one database filled by bench/search/generate.py
(1,000,000 persons; `CREATE DATABASE ... TEMPLATE ...`), the "after" one migrated
by this tree's `guichet migrate`. "before" runs another checkout's code (its src/
first on PYTHONPATH, with this tree's virtual environment); "after" runs this tree.

Both codes are served at once by gunicorn as production runs it
(GUICHET_DEBUG=false, 2 workers x 4 threads; bench/search's runner), and beside
"after" a sealer loop runs as the worker would (`chain_seal` every 2 s). Then, for
each round, operation and client count, each code is measured in turn, right
after the other, the first one alternating between rounds, so that drift of this
shared machine hits both alike. Keep-alive clients send for --seconds (after
--warmup seconds not counted):

- read: GET /api/v1/persons/{id} of a random visible person (logged in the
  access chain);
- write: POST /api/v1/persons, a new person with a phone and an e-mail (one
  change, then the read-back logged in the access chain).

Meanwhile a sampler asks PostgreSQL every 20 ms which backends hold a lock on
audit_chainhead (a head locked to append, or to seal) and which of them wait
for a lock. Reported: requests/s, p50 and p95 latency (client side, all rounds
together), the share of samples in which a head was held, and the mean number of
backends waiting on the head divided by the clients (the share of request time
spent waiting for it). The machine's load and what else used its CPU are noted.

`appends` (a second mode) times audit appends alone: --threads writers, each
appending one row per transaction for --seconds, plus a sealer for "after".
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import importlib.util
import json
import os
import platform
import random
import secrets
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SEARCH = Path(__file__).resolve().parents[1] / "search"
sys.path.insert(0, str(SEARCH))

import database  # noqa: E402 - bench/search's helpers, put on the path above


def _search_run() -> Any:
    """bench/search/run.py, for its CPU accounting (a module named like this one)."""
    spec = importlib.util.spec_from_file_location("search_run", SEARCH / "run.py")
    assert spec is not None
    assert spec.loader is not None
    if "search_run" not in sys.modules:
        module = importlib.util.module_from_spec(spec)
        sys.modules["search_run"] = module
        spec.loader.exec_module(module)
    return sys.modules["search_run"]


SECTION = "## Audit trail"
GIVEN = ["Anne", "Luc", "Fatima", "Jan", "Sofie", "Mehmet", "Claire", "Pieter"]
SURNAMES = ["Dubois", "Peeters", "Janssens", "El Amrani", "Maes", "Lambert", "Yilmaz"]


@dataclass
class Run:
    variant: str
    operation: str
    clients: int
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    samples: int = 0
    head_held: int = 0
    head_waiters: int = 0
    load: list[float] = field(default_factory=list)
    busy_percent: float = 0.0
    others_percent: float = 0.0
    server_cpu: float = 0.0  # seconds of CPU used by gunicorn (and the sealer)
    database_cpu: float = 0.0  # seconds of CPU used by PostgreSQL for our database


def parse_arguments(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("mode", nargs="?", choices=["http", "appends"], default="http")
    parser.add_argument(
        "--before-src", required=True, help="src/ of the 'before' code."
    )
    parser.add_argument("--before-url", required=True, help="Database of 'before'.")
    parser.add_argument("--after-url", required=True, help="Database of 'after'.")
    parser.add_argument("--clients", default="1,4,8", help="Client counts.")
    parser.add_argument("--operations", default="read,write", help="read, write.")
    parser.add_argument("--seconds", type=float, default=15.0, help="Measured.")
    parser.add_argument("--warmup", type=float, default=2.0, help="Not counted.")
    parser.add_argument("--rounds", type=int, default=2, help="Rounds of each code.")
    parser.add_argument("--threads", type=int, default=8, help="appends: writers.")
    parser.add_argument("--token", default="", help="API token of bench.agent.")
    parser.add_argument(
        "--results", action="store_true", help="Write into bench/RESULTS.md."
    )
    parser.add_argument("--append-worker", default="", help=argparse.SUPPRESS)
    parser.add_argument("--sealer-loop", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    options.clients = [int(value) for value in options.clients.split(",")]
    options.operations = [value for value in options.operations.split(",") if value]
    if set(options.operations) - {"read", "write"}:
        parser.error("operations are read and write")
    return options


def environment(variant: str, options: argparse.Namespace) -> dict[str, str]:
    url = options.before_url if variant == "before" else options.after_url
    env = database.environment(
        url,
        GUICHET_DEBUG="false",
        GUICHET_SECRET_KEY=secrets.token_urlsafe(48),
        GUICHET_ALLOWED_HOSTS="127.0.0.1",
        GUICHET_AUDIT_KEYS="bench=" + "b" * 43,
    )
    if variant == "before":
        env["PYTHONPATH"] = str(Path(options.before_src).resolve())
    return env


# --- Sampling the heads' locks ---------------------------------------------------------

_HEAD_LOCKS = (
    "SELECT coalesce(a.wait_event_type = 'Lock', false), count(DISTINCT l.pid) "
    "FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
    "WHERE l.relation = 'audit_chainhead'::regclass AND l.granted "
    "AND l.pid <> pg_backend_pid() GROUP BY 1"
)


class LockSampler(threading.Thread):
    def __init__(self, url: str) -> None:
        super().__init__(daemon=True)
        self.url = url
        self.stop = threading.Event()
        self.counting = threading.Event()
        self.samples = self.held = self.waiters = 0
        self.backend_pid = 0

    def run(self) -> None:
        import psycopg

        settings = database.dj_database_url.parse(self.url)
        with psycopg.connect(
            dbname=settings["NAME"],
            host=settings["HOST"],
            port=settings["PORT"] or 5432,
            user=settings["USER"],
            autocommit=True,
        ) as connection:
            self.backend_pid = connection.info.backend_pid
            while not self.stop.is_set():
                rows = dict(connection.execute(_HEAD_LOCKS).fetchall())
                if self.counting.is_set():
                    self.samples += 1
                    self.held += 1 if rows.get(False, 0) else 0
                    self.waiters += rows.get(True, 0)
                time.sleep(0.02)


# --- The load ----------------------------------------------------------------------


def person_ids(url: str, count: int) -> list[str]:
    import psycopg

    settings = database.dj_database_url.parse(url)
    with psycopg.connect(
        dbname=settings["NAME"],
        host=settings["HOST"],
        port=settings["PORT"] or 5432,
        user=settings["USER"],
    ) as connection:
        rows = connection.execute(
            "SELECT uuid FROM parties_person WHERE confidential_team_id IS NULL "
            "ORDER BY id LIMIT %s OFFSET 1000",
            [count * 50],
        ).fetchall()
    return [str(row[0]) for row in random.Random(7).sample(rows, count)]


def new_person(rng: random.Random) -> bytes:
    return json.dumps(
        {
            "given_names": rng.choice(GIVEN),
            "surname": f"{rng.choice(SURNAMES)} {rng.randrange(10**6)}",
            "birth_date": dt.date(
                1940 + rng.randrange(70), 1 + rng.randrange(12), 1
            ).isoformat(),
            "sex": rng.choice("MF"),
            "language": rng.choice(["fr", "nl"]),
            "phones": [
                {"number": f"+3247{rng.randrange(10**7):07d}", "kind": "mobile"}
            ],
            "emails": [{"address": f"p{rng.randrange(10**9)}@example.org"}],
            "acknowledge_duplicates": True,
        }
    ).encode()


def load(
    run: Run,
    *,
    served: Served,
    token: str,
    ids: list[str],
    options: argparse.Namespace,
) -> None:
    port, sampler = served.port, served.sampler
    warmup, seconds = options.warmup, options.seconds
    headers = {
        "Authorization": f"Bearer {token}",
        "Accept": "application/json",
        "Content-Type": "application/json",
    }
    start = time.monotonic()
    counted_from, ends = start + warmup, start + warmup + seconds
    lock = threading.Lock()

    def client(number: int) -> None:
        rng = random.Random(number * 7919 + run.clients)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine: list[float] = []
        errors = 0
        while (now := time.monotonic()) < ends:
            if run.operation == "read":
                method, path, body = "GET", f"/api/v1/persons/{rng.choice(ids)}", None
                expected = 200
            else:
                method, path, body = "POST", "/api/v1/persons", new_person(rng)
                expected = 201
            began = time.perf_counter()
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            elapsed = (time.perf_counter() - began) * 1000
            if response.will_close:
                connection.close()
            if now >= counted_from:
                mine.append(elapsed)
                errors += response.status != expected
        connection.close()
        with lock:
            run.latencies.extend(mine)
            run.errors += errors

    watch = _search_run().CpuWatch()
    ours = served.pids()
    cpu_before = cpu_ticks(ours, served.database_name, besides=sampler.backend_pid)
    threads = [threading.Thread(target=client, args=(n,)) for n in range(run.clients)]
    for thread in threads:
        thread.start()
    time.sleep(max(0.0, counted_from - time.monotonic()))
    sampler.samples = sampler.held = sampler.waiters = 0
    sampler.counting.set()
    for thread in threads:
        thread.join()
    sampler.counting.clear()
    run.server_cpu, run.database_cpu = cpu_used(
        cpu_before, cpu_ticks(ours, served.database_name, besides=sampler.backend_pid)
    )
    run.seconds = seconds
    run.samples, run.head_held, run.head_waiters = (
        sampler.samples,
        sampler.held,
        sampler.waiters,
    )
    cpu = watch.report(ours, served.database_name)
    run.load = cpu["load_after"]
    run.busy_percent = cpu["busy_percent"]
    run.others_percent = max(0.0, cpu["busy_percent"] - cpu["ours_percent"])


def cpu_ticks(
    server: set[int], database_name: str, *, besides: int = 0
) -> dict[int, tuple[bool, int]]:
    """CPU ticks used so far by each of the server's processes (True) and each of
    PostgreSQL's backends of our database (False), but `besides` (the sampler's)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        ticks = int(fields[11]) + int(fields[12])
        if int(entry.name) in server:
            found[int(entry.name)] = (True, ticks)
        elif int(entry.name) == besides:
            continue
        elif command.startswith("postgres:") and f" {database_name} " in command:
            found[int(entry.name)] = (False, ticks)
    return found


def cpu_used(
    before: dict[int, tuple[bool, int]], after: dict[int, tuple[bool, int]]
) -> tuple[float, float]:
    """Seconds of CPU (server, PostgreSQL) between two readings. A backend that
    ended in between (gunicorn renews its connections every 60 s) is not counted."""
    hertz = os.sysconf("SC_CLK_TCK")
    used = {True: 0, False: 0}
    for pid, (is_server, ticks) in after.items():
        used[is_server] += ticks - before.get(pid, (is_server, 0))[1]
    return used[True] / hertz, used[False] / hertz


class Served:
    """One code served by bench/search's gunicorn runner, with a sealer for "after"."""

    def __init__(self, variant: str, options: argparse.Namespace) -> None:
        search_run = _search_run()
        self.variant = variant
        self.url = options.before_url if variant == "before" else options.after_url
        self.database_name = str(database.dj_database_url.parse(self.url)["NAME"])
        self.server = search_run.Server(
            self.url, port=search_run.free_port(), workers=2, threads=4
        )
        self.server.env = environment(variant, options)
        self.server.visible_env.update(
            {"GUICHET_AUDIT_KEYS": "bench=..."}
            | ({"PYTHONPATH": options.before_src} if variant == "before" else {})
        )
        self.server.log_path = database.OUT / f"audit-server-{variant}.log"
        self.sealer: subprocess.Popen[bytes] | None = None
        self.sampler = LockSampler(self.url)

    @property
    def port(self) -> int:
        return int(self.server.port)

    def start(self, token: str) -> None:
        self.sampler.start()
        self.server.start(token)
        if self.variant == "after":
            command = [sys.executable, __file__, "--sealer-loop", *_forwarded()]
            self.sealer = subprocess.Popen(command, env=self.server.env)

    def pids(self) -> set[int]:
        sealer = {self.sealer.pid} if self.sealer is not None else set()
        return set(self.server.pids()) | sealer

    def stop(self) -> None:
        self.server.stop()
        if self.sealer is not None and self.sealer.poll() is None:
            self.sealer.terminate()
            self.sealer.wait(timeout=20)
        self.sampler.stop.set()
        self.sampler.join()


def _forwarded() -> list[str]:
    """The required arguments again, for a child run of this script."""
    keep = ("--before-src", "--before-url", "--after-url")
    words, argv = [], sys.argv[1:]
    for index, word in enumerate(argv):
        if word in keep and index + 1 < len(argv):
            words += [word, argv[index + 1]]
    return words


def sealer_loop() -> int:
    """What the worker does for the audit trail: seal every 2 seconds."""
    import django

    django.setup()
    from guichet.audit.services import chain_seal

    while True:
        chain_seal()
        time.sleep(2)


# --- Appends alone -----------------------------------------------------------------


def append_worker(threads: int, seconds: float) -> int:
    """Run in a child process with one code's PYTHONPATH: print appends/s as JSON."""
    import django

    django.setup()
    from django.db import connections, transaction

    from guichet.audit import services

    counts = [0] * threads
    stop = threading.Event()
    sealed = [0]

    def writer(number: int) -> None:
        while not stop.is_set():
            with transaction.atomic():
                services.audit_record(
                    actor=None, action="bench.append", summary={"w": number}
                )
            counts[number] += 1
        connections.close_all()

    def sealer() -> None:
        seal = getattr(services, "chain_seal", None)
        while seal is not None and not stop.is_set():
            sealed[0] += seal()
            time.sleep(0.5)
        connections.close_all()

    workers = [threading.Thread(target=writer, args=(n,)) for n in range(threads)]
    workers.append(threading.Thread(target=sealer))
    started = time.monotonic()
    for thread in workers:
        thread.start()
    time.sleep(seconds)
    stop.set()
    for thread in workers:
        thread.join()
    elapsed = time.monotonic() - started
    if hasattr(services, "chain_seal"):
        sealed[0] += services.chain_seal()
    print(
        json.dumps({"appends_per_second": sum(counts) / elapsed, "sealed": sealed[0]})
    )
    return 0


def appends(options: argparse.Namespace) -> list[dict[str, Any]]:
    results = []
    for round_ in range(options.rounds):
        order = ["before", "after"] if round_ % 2 == 0 else ["after", "before"]
        for variant in order:
            command = [
                sys.executable,
                __file__,
                "--append-worker",
                f"{options.threads},{options.seconds}",
                *_forwarded(),
            ]
            load_before = os.getloadavg()
            output = subprocess.run(
                command,
                env=environment(variant, options),
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            measured = json.loads(output.strip().splitlines()[-1])
            results.append(
                {
                    "variant": variant,
                    "round": round_ + 1,
                    **measured,
                    "load": [round(v, 2) for v in load_before],
                }
            )
            print(results[-1], flush=True)
    return results


# --- Report ------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(share * len(ordered) + 0.999999) - 1)]


def table(runs: list[Run]) -> list[str]:
    merged: dict[tuple[str, str, int], list[Run]] = {}
    for run in runs:
        merged.setdefault((run.operation, run.variant, run.clients), []).append(run)
    lines = [
        "| operation | code | clients | requests/s | p50 ms | p95 ms | errors "
        "| CPU ms/request: server, PostgreSQL | head held | waiting for the head "
        "| load (1 min) | machine busy (others) |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
        "| --- | --- |",
    ]
    for (operation, variant, clients), group in sorted(
        merged.items(),
        key=lambda item: (item[0][0], item[0][2], item[0][1] != "before"),
    ):
        latencies = [value for run in group for value in run.latencies]
        seconds = sum(run.seconds for run in group)
        samples = sum(run.samples for run in group) or 1
        held = 100 * sum(run.head_held for run in group) / samples
        waiting = 100 * sum(run.head_waiters for run in group) / samples / clients
        loads = ", ".join(f"{run.load[0]:.1f}" for run in group)
        server_ms = 1000 * sum(run.server_cpu for run in group) / max(len(latencies), 1)
        database_ms = (
            1000 * sum(run.database_cpu for run in group) / max(len(latencies), 1)
        )
        busy = ", ".join(
            f"{run.busy_percent:.0f}% ({run.others_percent:.0f}%)" for run in group
        )
        lines.append(
            f"| {operation} | {variant} | {clients} | {len(latencies) / seconds:.0f} "
            f"| {percentile(latencies, 0.5):.1f} | {percentile(latencies, 0.95):.1f} "
            f"| {sum(run.errors for run in group)} "
            f"| {server_ms:.1f}, {database_ms:.1f} | {held:.0f}% | {waiting:.1f}% "
            f"| {loads} | {busy} |"
        )
    return lines


def write_results(text: str) -> None:
    path = database.ROOT / "bench" / "RESULTS.md"
    current = path.read_text()
    if SECTION in current:
        head, _, rest = current.partition(SECTION)
        following = rest.find("\n## ")
        tail = rest[following:] if following >= 0 else "\n"
        current = head + text.rstrip() + "\n" + tail
    else:
        current = current.rstrip() + "\n\n" + text.rstrip() + "\n"
    path.write_text(current)


def main(argv: Sequence[str]) -> int:
    options = parse_arguments(argv)
    if options.sealer_loop:
        return sealer_loop()
    if options.append_worker:
        threads, seconds = options.append_worker.split(",")
        return append_worker(int(threads), float(seconds))
    if options.mode == "appends":
        results = appends(options)
        print(json.dumps(results, indent=2))
        return 0
    token = (
        options.token
        or database.token_file(options.after_url.rsplit("_after", 1)[0])
        .read_text()
        .strip()
    )
    ids = person_ids(options.after_url, 2000)
    runs: list[Run] = []
    started = dt.datetime.now(dt.UTC)
    served = {variant: Served(variant, options) for variant in ("before", "after")}
    try:
        for each in served.values():
            each.start(token)
        for round_ in range(options.rounds):
            # Each measurement of one code is next to the other's, in turn first.
            order = ["before", "after"] if round_ % 2 == 0 else ["after", "before"]
            for operation in options.operations:
                for clients in options.clients:
                    for variant in order:
                        run = Run(variant, operation, clients)
                        load(
                            run,
                            served=served[variant],
                            token=token,
                            ids=ids,
                            options=options,
                        )
                        runs.append(run)
                        print(
                            f"round {round_ + 1} {variant} {operation} x{clients}: "
                            f"{len(run.latencies) / run.seconds:.0f}/s, "
                            f"p50 {percentile(run.latencies, 0.5):.1f} ms, "
                            f"head held {100 * run.head_held / max(run.samples, 1):.0f}%, "
                            f"errors {run.errors}, load {run.load[0]:.1f}",
                            flush=True,
                        )
    finally:
        for each in served.values():
            each.stop()
    lines = table(runs)
    print("\n".join(lines))
    if options.results:
        report = [
            SECTION,
            "",
            f"Run on {started:%Y-%m-%d %H:%M} UTC, {platform.machine()}, "
            f"{os.cpu_count()} cores, Python {platform.python_version()}.",
            "",
            *lines,
        ]
        write_results("\n".join(report))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
