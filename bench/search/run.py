#!/usr/bin/env python3
"""Measure person search through the API on the production server.

    .venv/bin/python bench/search/run.py --requests 1000 \\
        --database-url postgres://postgres@127.0.0.1:5432/guichet_bench

Starts gunicorn as production runs it (GUICHET_DEBUG=false, a random secret key,
2 workers with threads) on a database filled by generate.py, waits until it
answers, then sends K requests per kind over keep-alive connections, the kinds
shuffled together so that noise on this shared machine hits them alike:

- number: an existing person's national number, typed with dots and a dash;
- phone: their mobile in national format ("0470 12 34 56"), normalised by the server;
- email: their e-mail address in upper case (exact, case-insensitive);
- name: their "given names surname", lower case, without accents, with one letter
  substituted, deleted or inserted at a random position;
- hidden: the number of a person confidential to another team (must find nothing).

Every answer is checked: the wanted person must be in it (for names: in the first
page of 20), the hidden one must not. Latencies are measured by the client, from
sending the request to reading the whole body. The report (p50, p95, p99, max per
kind, hits, the commands, the machine and what else used its CPU) is printed and,
with --results, written into bench/RESULTS.md under "Finding a person".
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import math
import os
import platform
import queue
import random
import re
import secrets
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import database
from population import national_format, typed_name

KINDS = ("number", "phone", "email", "name", "hidden")
SECTION = "## Finding a person"
TARGET_MS = 50.0


@dataclass(frozen=True)
class Job:
    kind: str
    path: str
    wanted: str  # the person's public id; for "hidden", the one that must not appear
    wanted_name: str  # folded full name, to recognise homonyms


@dataclass
class Outcome:
    kind: str
    milliseconds: float
    status: int
    found: bool
    rank: int | None  # 1-based position of the wanted person, if found
    homonyms_only: bool  # not found, but the page is full of exact homonyms
    reconnected: bool


@dataclass
class Report:
    label: str
    started_at: str
    database: str
    persons: int
    commit: str
    requests_per_kind: int
    concurrency: int
    warmup: int
    server_command: str
    client_command: str
    machine: dict[str, Any]
    kinds: dict[str, dict[str, Any]] = field(default_factory=dict)
    wall_seconds: float = 0.0
    errors: list[str] = field(default_factory=list)


def parse_arguments(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", required=True)
    parser.add_argument(
        "--requests", type=int, default=1000, help="Measured requests per kind (K)."
    )
    parser.add_argument(
        "--concurrency",
        type=int,
        default=1,
        help="Client threads, each with its own keep-alive connection.",
    )
    parser.add_argument(
        "--warmup", type=int, default=50, help="Unmeasured requests per kind first."
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers.")
    parser.add_argument(
        "--threads", type=int, default=4, help="gunicorn threads per worker."
    )
    parser.add_argument("--port", type=int, default=0, help="0: any free port.")
    parser.add_argument("--seed", type=int, default=7, help="Seed of the queries.")
    parser.add_argument(
        "--kinds", default=",".join(KINDS), help=f"Comma-separated, of {KINDS}."
    )
    parser.add_argument("--label", default="", help="Title of this run in the report.")
    parser.add_argument(
        "--results",
        type=Path,
        default=None,
        help="Markdown file to write the report into (bench/RESULTS.md).",
    )
    parser.add_argument("--token", default="", help="API token (default: bench/out/).")
    options = parser.parse_args(argv)
    options.kinds = [kind.strip() for kind in options.kinds.split(",") if kind.strip()]
    unknown = set(options.kinds) - set(KINDS)
    if unknown:
        parser.error(f"unknown kinds: {sorted(unknown)}")
    return options


# --- Queries drawn from the data ---------------------------------------------------


_PERSON_QUERY = (
    "SELECT p.id, p.uuid, p.given_names, p.surname, p.national_number, p.search_name, "
    "ph.e164, e.address FROM parties_person p "
    "JOIN parties_phonenumber ph ON ph.person_id = p.id "
    "LEFT JOIN parties_emailaddress e ON e.person_id = p.id "
)


def sample_persons(
    count: int, rng: random.Random, *, hidden: bool
) -> list[dict[str, Any]]:
    """`count` random persons (visible to the agent, or confidential), with contacts."""
    from django.db import connection

    rows: dict[int, tuple[Any, ...]] = {}
    with connection.cursor() as cursor:
        if hidden:
            # Few persons are confidential: take them all, then sample.
            cursor.execute(_PERSON_QUERY + "WHERE p.confidential_team_id IS NOT NULL")
            rows = {row[0]: row for row in cursor.fetchall()}
        else:
            cursor.execute("SELECT min(id), max(id) FROM parties_person")
            low, high = cursor.fetchone()
            if low is None:
                raise SystemExit(
                    "The database holds no persons: run generate.py first."
                )
            for _ in range(20):
                if len(rows) >= count:
                    break
                ask = min(2 * (count - len(rows)) + 10, high - low + 1)
                ids = rng.sample(range(low, high + 1), ask)
                cursor.execute(
                    _PERSON_QUERY + "WHERE p.confidential_team_id IS NULL AND p.id IN "
                    f"({', '.join(['%s'] * len(ids))})",
                    ids,
                )
                for row in cursor.fetchall():
                    rows.setdefault(row[0], row)
    ordered = [rows[key] for key in sorted(rows)]
    rng.shuffle(ordered)
    persons = []
    for _, uuid, given, surname, number, search_name, e164, email in ordered[:count]:
        persons.append(
            {
                "uuid": str(uuid) if "-" in str(uuid) else _dashed(str(uuid)),
                "given_names": given,
                "surname": surname,
                "national_number": number,
                "search_name": search_name,
                "e164": e164,
                "email": email,
            }
        )
    return persons


def _dashed(hex_uuid: str) -> str:
    return str(__import__("uuid").UUID(hex_uuid))


def dotted(number: str) -> str:
    """11 digits as printed on an eID: 85.07.30-033.28."""
    return f"{number[:2]}.{number[2:4]}.{number[4:6]}-{number[6:9]}.{number[9:]}"


def jobs_for(kind: str, count: int, rng: random.Random) -> list[Job]:
    from guichet.core.text import fold

    def path(**query: str) -> str:
        return "/api/v1/persons?" + urllib.parse.urlencode(query)

    if kind == "hidden":
        persons = sample_persons(count, rng, hidden=True)
        # A small database has few confidential persons: ask for them again.
        persons = (
            [persons[index % len(persons)] for index in range(count)] if persons else []
        )
    elif kind == "email":
        persons = [
            person
            for person in sample_persons(count * 3, rng, hidden=False)
            if person["email"]
        ][:count]
    else:
        persons = sample_persons(count, rng, hidden=False)
    jobs = []
    for person in persons:
        full_name = fold(f"{person['given_names']} {person['surname']}")
        if kind in ("number", "hidden"):
            query = path(national_number=dotted(person["national_number"]))
        elif kind == "phone":
            query = path(phone=national_format(person["e164"]))
        elif kind == "email":
            query = path(email=person["email"].upper())
        else:
            query = path(name=typed_name(person["given_names"], person["surname"], rng))
        jobs.append(Job(kind, query, person["uuid"], full_name))
    if len(jobs) < count:
        raise SystemExit(f"Found only {len(jobs)} persons for {kind!r} queries.")
    return jobs


# --- The server ----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Server:
    """gunicorn as production runs it, on the bench database; stopped by its pid."""

    def __init__(self, url: str, *, port: int, workers: int, threads: int) -> None:
        self.port = port
        self.visible_env = {
            "DATABASE_URL": url,
            "GUICHET_DEBUG": "false",
            "GUICHET_SECRET_KEY": "$(openssl rand -base64 48)",
            "GUICHET_ALLOWED_HOSTS": "127.0.0.1",
            "GUICHET_AUDIT_KEYS": "bench=$(openssl rand -base64 32)",
        }
        self.env = database.environment(
            url,
            GUICHET_DEBUG="false",
            GUICHET_SECRET_KEY=secrets.token_urlsafe(48),
            GUICHET_ALLOWED_HOSTS="127.0.0.1",
            GUICHET_AUDIT_KEYS=f"bench={secrets.token_urlsafe(32)}",
        )
        self.command = [
            str(database.BIN / "gunicorn"),
            "guichet.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--access-logfile",
            "-",
        ]
        database.OUT.mkdir(parents=True, exist_ok=True)
        self.log_path = database.OUT / f"search-server-{port}.log"
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def shown(self) -> str:
        return database.shown(self.command, self.visible_env)

    def start(self, token: str) -> None:
        print(
            f"$ {self.shown} > {self.log_path.relative_to(database.ROOT)}", flush=True
        )
        log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            self.command, env=self.env, cwd=database.ROOT, stdout=log, stderr=log
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn stopped; see {self.log_path}")
            try:
                connection = http.client.HTTPConnection(
                    "127.0.0.1", self.port, timeout=5
                )
                connection.request(
                    "GET",
                    "/api/v1/persons?national_number=0",
                    headers={"Authorization": f"Bearer {token}"},
                )
                status = connection.getresponse().status
                connection.close()
            except OSError:
                time.sleep(0.2)
                continue
            if status != 200:
                raise SystemExit(f"The server answers {status}; see {self.log_path}")
            return
        raise SystemExit("gunicorn did not answer within 60 s")

    def pids(self) -> set[int]:
        if self.process is None:
            return set()
        pids = {self.process.pid}
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    parent = int(
                        (entry / "stat").read_text().rsplit(")", 1)[1].split()[1]
                    )
                except (OSError, IndexError, ValueError):
                    continue
                if parent == self.process.pid:
                    pids.add(int(entry.name))
        return pids

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


# --- What else ran -------------------------------------------------------------------


def _ticks(pid: str) -> tuple[int, str] | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[1].split()
    name = (
        command.decode(errors="replace").strip() or stat.split("(", 1)[1].split(")")[0]
    )
    return int(fields[11]) + int(fields[12]), name


class CpuWatch:
    """CPU time used during the run: by the whole machine, and by each process."""

    def __init__(self) -> None:
        self.hertz = os.sysconf("SC_CLK_TCK")
        self.start_total = self._machine()
        self.start = self._processes()
        self.started = time.monotonic()
        self.load_before = os.getloadavg()

    @staticmethod
    def _machine() -> tuple[int, int]:
        values = [
            int(v) for v in Path("/proc/stat").read_text().split("\n")[0].split()[1:]
        ]
        idle = values[3] + values[4]
        return sum(values) - idle, sum(values)

    @staticmethod
    def _processes() -> dict[str, tuple[int, str]]:
        found = {}
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                ticks = _ticks(entry.name)
                if ticks is not None:
                    found[entry.name] = ticks
        return found

    def report(self, ours: set[int], our_database: str) -> dict[str, Any]:
        busy_end, total_end = self._machine()
        busy = busy_end - self.start_total[0]
        total = total_end - self.start_total[1]
        seconds = time.monotonic() - self.started
        end = self._processes()
        used: dict[str, float] = {}
        our_ticks = 0
        for pid, (ticks, name) in end.items():
            before = self.start.get(pid, (0, name))[0]
            delta = ticks - before
            if delta <= 0:
                continue
            is_ours = (
                int(pid) in ours
                or int(pid) == os.getpid()
                or (name.startswith("postgres:") and f" {our_database} " in name)
            )
            if is_ours:
                our_ticks += delta
                continue
            label = re.sub(r"\s+", " ", name)[:70]
            used[label] = used.get(label, 0.0) + delta / self.hertz
        others = sorted(used.items(), key=lambda item: -item[1])[:6]
        cores = os.cpu_count() or 1
        return {
            "cores": cores,
            "busy_percent": round(100 * busy / total, 1) if total else 0.0,
            "ours_percent": round(100 * our_ticks / self.hertz / seconds / cores, 1),
            "others_percent": round(
                max(
                    0.0,
                    100 * busy / total - 100 * our_ticks / self.hertz / seconds / cores,
                ),
                1,
            )
            if total
            else 0.0,
            "others_top": [
                {"process": name, "cpu_seconds": round(value, 1)}
                for name, value in others
                if value >= 0.5
            ],
            "load_before": [round(value, 2) for value in self.load_before],
            "load_after": [round(value, 2) for value in os.getloadavg()],
        }


def other_database_activity(our_database: str) -> dict[str, int]:
    """Backends of other databases on the same PostgreSQL (other engineers' runs)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT datname, count(*) FROM pg_stat_activity WHERE datname IS NOT NULL "
            "AND datname <> %s AND pid <> pg_backend_pid() GROUP BY datname",
            [our_database],
        )
        return dict(cursor.fetchall())


# --- The load client -----------------------------------------------------------------


def send(jobs: list[Job], *, port: int, token: str, concurrency: int) -> list[Outcome]:
    """Send the jobs over `concurrency` keep-alive connections; one thread each."""
    work: queue.Queue[Job | None] = queue.Queue()
    for job in jobs:
        work.put(job)
    for _ in range(concurrency):
        work.put(None)
    outcomes: list[Outcome] = []
    lock = threading.Lock()
    headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine: list[Outcome] = []
        while (job := work.get()) is not None:
            reconnected = connection.sock is None
            began = time.perf_counter()
            connection.request("GET", job.path, headers=headers)
            response = connection.getresponse()
            body = response.read()
            elapsed = (time.perf_counter() - began) * 1000
            if response.will_close:
                connection.close()
            mine.append(check(job, response.status, body, elapsed, reconnected))
        connection.close()
        with lock:
            outcomes.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def check(
    job: Job, status: int, body: bytes, elapsed: float, reconnected: bool
) -> Outcome:
    from guichet.core.text import fold

    items = json.loads(body).get("items", []) if status == 200 else []
    ids = [item["id"] for item in items]
    rank = ids.index(job.wanted) + 1 if job.wanted in ids else None
    names = [fold(f"{item['given_names']} {item['surname']}") for item in items]
    homonyms_only = (
        rank is None
        and len(items) >= 20
        and all(name == job.wanted_name for name in names)
    )
    found = rank is not None if job.kind != "hidden" else (status == 200 and not items)
    return Outcome(job.kind, elapsed, status, found, rank, homonyms_only, reconnected)


def percentile(sorted_values: list[float], share: float) -> float:
    """Nearest-rank percentile."""
    index = max(0, math.ceil(share * len(sorted_values)) - 1)
    return sorted_values[index]


def summarise(outcomes: list[Outcome], kind: str) -> dict[str, Any]:
    mine = [outcome for outcome in outcomes if outcome.kind == kind]
    times = sorted(outcome.milliseconds for outcome in mine)
    misses = [outcome for outcome in mine if not outcome.found]
    return {
        "requests": len(mine),
        "p50": round(percentile(times, 0.50), 1),
        "p95": round(percentile(times, 0.95), 1),
        "p99": round(percentile(times, 0.99), 1),
        "max": round(times[-1], 1),
        "mean": round(sum(times) / len(times), 1),
        "found": len(mine) - len(misses),
        "first": sum(1 for outcome in mine if outcome.rank == 1),
        "homonym_misses": sum(1 for outcome in misses if outcome.homonyms_only),
        "errors": sum(1 for outcome in mine if outcome.status != 200),
        "reconnects": sum(1 for outcome in mine if outcome.reconnected) - 0,
    }


# --- The report ----------------------------------------------------------------------


def git_commit() -> str:
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607 - git from PATH
            cwd=database.ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "src/guichet/parties"],  # noqa: S607
            cwd=database.ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{head}{' + uncommitted changes to parties/' if dirty else ''}"


KIND_TITLES = {
    "number": "national number",
    "phone": "phone, national format",
    "email": "e-mail, upper case",
    "name": "name, no accents, one typo",
    "hidden": "confidential person's number",
}


def markdown(report: Report) -> str:
    machine = report.machine
    lines = [
        f"### {report.label}",
        "",
        f"{report.started_at}, {report.database}, {report.persons:,} persons, "
        f"commit {report.commit}. {report.requests_per_kind:,} requests per kind after "
        f"{report.warmup} of warm-up, shuffled together, {report.concurrency} client "
        f"thread(s) on keep-alive connections; {report.wall_seconds:.0f} s in all.",
        "",
        "| query | p50 ms | p95 ms | p99 ms | max ms | found |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for kind, figures in report.kinds.items():
        found = f"{figures['found']}/{figures['requests']}"
        if kind == "name":
            found += f" in top 20 ({figures['first']} first"
            if figures["homonym_misses"]:
                found += (
                    f"; {figures['homonym_misses']} missed behind 20 exact homonyms"
                )
            found += ")"
        if kind == "hidden":
            found = f"{figures['found']}/{figures['requests']} not shown (must be all)"
        if figures["errors"]:
            found += f", {figures['errors']} errors"
        p95 = (
            f"**{figures['p95']}**"
            if figures["p95"] >= TARGET_MS
            else f"{figures['p95']}"
        )
        lines.append(
            f"| {KIND_TITLES[kind]} | {figures['p50']} | {p95} | {figures['p99']} "
            f"| {figures['max']} | {found} |"
        )
    others = ", ".join(
        f"{item['process']} ({item['cpu_seconds']} s)" for item in machine["others_top"]
    )
    databases = ", ".join(
        f"{name} ({count})"
        for name, count in sorted(machine["other_databases"].items())
    )
    lines += [
        "",
        f"Machine: {machine['cores']} cores, {machine['platform']}; CPU busy "
        f"{machine['busy_percent']}% during the run, {machine['ours_percent']}% by this "
        f"benchmark (server, client, its PostgreSQL backends), {machine['others_percent']}% "
        f"by other work; load average {machine['load_before'][0]} before, "
        f"{machine['load_after'][0]} after.",
    ]
    if others:
        lines.append(f"Other processes that used CPU: {others}.")
    if databases:
        lines.append(
            f"Connections to other databases on the same PostgreSQL: {databases}."
        )
    lines += [
        "",
        "```sh",
        report.server_command,
        report.client_command,
        "```",
    ]
    return "\n".join(lines)


def write_results(path: Path, key: str, block: str) -> None:
    """Put the block under "Finding a person", replacing the run with the same key."""
    text = path.read_text() if path.exists() else "# Benchmark results\n"
    begin, end = f"<!-- search-run: {key} -->", f"<!-- /search-run: {key} -->"
    wrapped = f"{begin}\n{block}\n{end}"
    if begin in text and end in text:
        before, rest = text.split(begin, 1)
        after = rest.split(end, 1)[1]
        text = before + wrapped + after
    else:
        if SECTION not in text:
            text = text.rstrip("\n") + f"\n\n{SECTION}\n"
        head, tail = text.split(SECTION, 1)
        next_section = re.search(r"^## ", tail, flags=re.MULTILINE)
        cut = next_section.start() if next_section else len(tail)
        section = tail[:cut].rstrip("\n")
        text = (
            head
            + SECTION
            + section
            + f"\n\n{wrapped}\n"
            + ("\n" + tail[cut:] if next_section else "")
        )
    path.write_text(text)


def main(argv: Sequence[str]) -> int:
    options = parse_arguments(argv)
    url = options.database_url
    database.django_setup(url)

    from django.db import connection

    from guichet.parties.models import Person

    token = options.token
    token_path = database.token_file(url)
    if not token and token_path.exists():
        token = token_path.read_text().strip()
    if not token:
        command = [
            database.GUICHET,
            "token",
            "create",
            database.AGENT,
            "--name",
            "bench",
            "--json",
        ]
        token = json.loads(database.run_captured(command, url))["token"]

    rng = random.Random(options.seed)
    print("Drawing queries from the data ...", flush=True)
    measured: list[Job] = []
    warmup: list[Job] = []
    for kind in options.kinds:
        jobs = jobs_for(kind, options.requests + options.warmup, rng)
        warmup += jobs[: options.warmup]
        measured += jobs[options.warmup :]
    rng.shuffle(warmup)
    rng.shuffle(measured)
    persons = Person.objects.count()
    our_database = str(connection.settings_dict["NAME"])
    connection.close()

    port = options.port or free_port()
    server = Server(url, port=port, workers=options.workers, threads=options.threads)
    client_command = database.shown([sys.executable, "bench/search/run.py", *argv], {})
    report = Report(
        label=options.label
        or f"{database.vendor(url)}, {persons:,} persons, concurrency {options.concurrency}",
        started_at=dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        database=_database_version(url),
        persons=persons,
        commit=git_commit(),
        requests_per_kind=options.requests,
        concurrency=options.concurrency,
        warmup=options.warmup,
        server_command=server.shown,
        client_command=client_command,
        machine={},
    )
    try:
        server.start(token)
        send(warmup, port=port, token=token, concurrency=options.concurrency)
        watch = CpuWatch()
        began = time.monotonic()
        outcomes = send(
            measured, port=port, token=token, concurrency=options.concurrency
        )
        report.wall_seconds = time.monotonic() - began
        report.machine = watch.report(server.pids(), our_database)
    finally:
        server.stop()
    report.machine["platform"] = platform.platform(terse=True)
    report.machine["other_databases"] = other_database_activity(our_database)
    for kind in options.kinds:
        report.kinds[kind] = summarise(outcomes, kind)
    block = markdown(report)
    print()
    print(block)
    database.OUT.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().astimezone().strftime("%Y%m%d-%H%M%S")
    raw = database.OUT / f"search-{database.label(url)}-{stamp}.json"
    raw.write_text(json.dumps(asdict(report), indent=2))
    print(f"\nRaw figures: {raw.relative_to(database.ROOT)}")
    if options.results:
        key = re.sub(r"[^a-z0-9]+", "-", report.label.lower()).strip("-")
        write_results(options.results, key, block)
        print(f"Written into {options.results}")
    failed = any(
        figures["found"] + figures["homonym_misses"] < figures["requests"]
        or figures["errors"]
        for figures in report.kinds.values()
    )
    return 1 if failed else 0


def _database_version(url: str) -> str:
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0].split()[0]}"
    import sqlite3

    return f"SQLite {sqlite3.sqlite_version}"


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
