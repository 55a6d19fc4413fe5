"""Benchmark: render and number N one-page letters with `guichet letters render`.

    .venv/bin/python bench/letters/run.py --count 10000
    .venv/bin/python bench/letters/run.py --count 10000 \
        --database-url postgres://postgres@127.0.0.1:5432/guichet_bench_letters

The database is the benchmark's own (default: bench/out/letters.sqlite3); it is
migrated, then given what the run needs if it lacks it: a service with its letterhead,
the shipped templates, an agent, and `count` persons with a postal address in the
municipality `Benchville<count>` (bulk-inserted: synthetic recipients, not demo data
an agent would browse). The measured part is the real command, in a subprocess,
with production settings (GUICHET_DEBUG=false, a random secret key), rendering with one
process per core:

    guichet letters render --template acknowledgement --for municipality=Benchville<count>

Each run starts a new batch, so every run numbers `count` new letters. The script
reads the peak resident memory (VmHWM) of the command and each of its child processes
every 0.5 s and adds them up (never below the tree's true peak), checks that the batch's numbers have no gap and that every letter has its PDF,
and writes the figures in bench/RESULTS.md, section "## Letters".
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import secrets
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from guichet.correspondence import pdf

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "bench" / "out"
RESULTS = ROOT / "bench" / "RESULTS.md"
BIN = Path(sys.executable).parent
AGENT = "bench.letters"
TEAM = "bench-letters"
SECTION = "## Letters"


def _setup_django(url: str, media: Path) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["GUICHET_MEDIA_DIR"] = str(media)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guichet.settings")
    import django

    django.setup()


def _ensure_postgres_database(url: str) -> None:
    import dj_database_url
    import psycopg
    from psycopg import sql

    params = dj_database_url.parse(url)
    with psycopg.connect(
        host=params["HOST"],
        port=params["PORT"] or 5432,
        user=params["USER"],
        password=params["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    ) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [params["NAME"]]
        ).fetchone()
        if not exists:
            connection.execute(
                sql.SQL("CREATE DATABASE {}").format(sql.Identifier(params["NAME"]))
            )


def prepare(count: int) -> str:
    """Create what the run needs, once; return the query selecting the recipients."""
    from django.core.management import call_command
    from django.db import transaction

    from guichet.agents.models import Agent
    from guichet.agents.services import agent_create, team_ensure
    from guichet.core.text import fold
    from guichet.correspondence.services import letterhead_ensure, templates_load
    from guichet.parties.models import Person, PostalAddress

    call_command("migrate", verbosity=0)
    team = team_ensure(actor=None, code=TEAM, name="Bench letters", language="fr")
    letterhead_ensure(
        actor=None,
        team=team,
        prefix="BENCH",
        names={
            "fr": "Service de test",
            "nl": "Testdienst",
            "de": "Testdienst",
            "en": "Test service",
        },
        places={"fr": "Bruxelles", "nl": "Brussel", "de": "Brüssel", "en": "Brussels"},
        address_lines="Boulevard du Guichet 1\n1000 Bruxelles",
        email="bench@guichet.example",
    )
    templates_load(actor=None)
    if not Agent.objects.filter(username=AGENT).exists():
        agent_create(
            actor=None,
            username=AGENT,
            password=None,
            level="C",
            roles=["support_agent"],
            teams=[TEAM],
            first_name="Bench",
            last_name="Writer",
            email="bench.writer@guichet.example",
        )
    municipality = f"Benchville{count}"
    have = (
        Person.objects.filter(addresses__municipality=municipality).distinct().count()
    )
    languages = ("fr", "nl", "de", "en")
    with transaction.atomic():
        for start in range(have, count, 1000):
            persons = [
                Person(
                    given_names="Alex",
                    surname=f"Bench{count}x{index:06d}",
                    sex="FM"[index % 2],
                    language=languages[index % 4],
                    search_name=fold(f"Bench{count}x{index:06d} Alex"),
                )
                for index in range(start, min(start + 1000, count))
            ]
            Person.objects.bulk_create(persons)
            created = Person.objects.filter(
                surname__in=[person.surname for person in persons]
            )
            PostalAddress.objects.bulk_create(
                PostalAddress(
                    person=person,
                    is_primary=True,
                    street="Rue du Test",
                    house_number=str(index % 200 + 1),
                    postal_code="1000",
                    municipality=municipality,
                )
                for index, person in enumerate(created)
            )
    return f"municipality={municipality}"


def _tree_peaks(root: int) -> dict[int, int]:
    """The peak resident memory (VmHWM) of a process and each of its descendants,
    in bytes, by process id.

    Reads every process's short `stat` for its parent, and `status` only for the
    tree: reading both for every process took 14 ms of CPU a sample, 7% of this
    2-core machine at ten samples a second, taken from the run it measures.
    """
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as stat:
                parent = int(stat.read().rsplit(b")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(parent, []).append(int(entry.name))
    peaks: dict[int, int] = {}
    todo = [root]
    while todo:
        pid = todo.pop()
        todo += children.get(pid, [])
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        found = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
        if found:
            peaks[pid] = int(found.group(1)) * 1024
    return peaks


def _machine() -> str:
    cpu = "unknown CPU"
    try:
        found = re.search(
            r"^model name\s*:\s*(.+)$", Path("/proc/cpuinfo").read_text(), re.MULTILINE
        )
        cpu = found.group(1).strip() if found else cpu
    except OSError:
        pass
    memory = ""
    try:
        found = re.search(
            r"^MemTotal:\s+(\d+) kB", Path("/proc/meminfo").read_text(), re.MULTILINE
        )
        memory = f", {int(found.group(1)) / 1024 / 1024:.0f} GiB RAM" if found else ""
    except OSError:
        pass
    return (
        f"{os.cpu_count()} cores ({cpu}){memory}, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}"
    )


def measure(
    url: str, media: Path, query: str, workers: int, chunk: int
) -> dict[str, Any]:
    command = [
        str(BIN / "guichet"),
        "letters",
        "render",
        "--template",
        "acknowledgement",
        "--for",
        query,
        "--agent",
        AGENT,
        "--workers",
        str(workers),
        "--chunk",
        str(chunk),
        "--json",
    ]
    # As production runs it: debug off (Django then keeps no log of every query).
    env = dict(
        os.environ,
        DATABASE_URL=url,
        GUICHET_MEDIA_DIR=str(media),
        GUICHET_DEBUG="false",
        GUICHET_SECRET_KEY=secrets.token_urlsafe(48),
        GUICHET_ALLOWED_HOSTS="127.0.0.1",
        GUICHET_AUDIT_KEYS=f"bench={secrets.token_urlsafe(32)}",
    )
    peaks: dict[int, int] = {}
    started = time.perf_counter()
    process = subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    done = threading.Event()

    def sample() -> None:
        # Each process's own high-water mark: a sample every half second misses no
        # peak, and the sum over the processes is never below the tree's peak.
        while not done.is_set():
            for pid, peak in _tree_peaks(process.pid).items():
                peaks[pid] = max(peaks.get(pid, 0), peak)
            done.wait(0.5)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output, _error = process.communicate()
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"the command failed ({process.returncode}): {output}")
    report = json.loads(output)
    return {"report": report, "seconds": seconds, "peak_rss": sum(peaks.values())}


def check(batch_id: str, count: int) -> dict[str, Any]:
    """The batch's letters: count, numbers without gap, every PDF stored, one page."""
    from guichet.correspondence.models import Letter

    letters = Letter.objects.filter(batch__uuid=batch_id)
    sequences = sorted(letters.values_list("sequence", flat=True))
    assert len(sequences) == count, (len(sequences), count)
    assert sequences == list(range(sequences[0], sequences[0] + count)), "gap"
    assert not letters.filter(pdf_sha256="").exists(), "a letter has no PDF"
    return {"first": sequences[0], "last": sequences[-1]}


def write_results(text: str) -> None:
    existing = RESULTS.read_text() if RESULTS.exists() else "# Benchmark results\n"
    pattern = re.compile(
        rf"^{re.escape(SECTION)}\n.*?(?=^## |\Z)", re.DOTALL | re.MULTILINE
    )
    if pattern.search(existing):
        updated = pattern.sub(lambda _match: text.rstrip("\n") + "\n\n", existing)
    else:
        updated = existing.rstrip("\n") + "\n\n" + text
    RESULTS.write_text(updated.rstrip("\n") + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument(
        "--database-url",
        default=f"sqlite:///{OUT / 'letters.sqlite3'}",
        help="The benchmark's own database (SQLite file or PostgreSQL).",
    )
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--chunk", type=int, default=200)
    parser.add_argument(
        "--no-write", action="store_true", help="Do not touch bench/RESULTS.md."
    )
    args = parser.parse_args()
    if not pdf.subsets_with_harfbuzz():
        print(
            "libharfbuzz-subset is missing: fontTools subsets the fonts, and letters "
            "render about a third slower (apt-get install libharfbuzz-subset0).",
            file=sys.stderr,
        )
    OUT.mkdir(parents=True, exist_ok=True)
    media = OUT / "letters-media"
    if args.database_url.startswith("postgres"):
        _ensure_postgres_database(args.database_url)
    _setup_django(args.database_url, media)
    print(f"Preparing {args.count} recipients...", flush=True)
    query = prepare(args.count)
    print(f"Rendering {args.count} letters with {args.workers} workers...", flush=True)
    measured = measure(args.database_url, media, query, args.workers, args.chunk)
    report = measured["report"]
    numbers = check(report["batch"], args.count)
    seconds = measured["seconds"]
    rate = args.count / seconds
    subsetter = "HarfBuzz" if pdf.subsets_with_harfbuzz() else "fontTools"
    peak_mib = measured["peak_rss"] / 1024 / 1024
    vendor = "PostgreSQL" if args.database_url.startswith("postgres") else "SQLite"
    shown_url = (
        "bench/out/letters.sqlite3"
        if vendor == "SQLite"
        else re.sub(r"//[^@/]*@", "//", args.database_url)
    )
    summary = {
        "count": args.count,
        "seconds": round(seconds, 1),
        "letters_per_second": round(rate, 1),
        "peak_rss_mib": round(peak_mib),
        "pages": report["pages"],
        "multi_page": report["multi_page"],
        "numbers": numbers,
        "database": vendor,
        "font_subsetter": subsetter,
    }
    print(json.dumps(summary, indent=2))
    if args.no_write:
        return
    command = f".venv/bin/python bench/letters/run.py --count {args.count}"
    if vendor == "PostgreSQL":
        command += f" --database-url {args.database_url}"
    verdict = (
        "under the 5-minute target"
        if seconds < 300
        else "**slower than the 5-minute target**"
    )
    write_results(
        f"""{SECTION}

`guichet letters render` numbering and rendering {args.count} one-page letters
(acknowledgement, in four languages) as PDF/A-3b, {args.workers} rendering processes,
production settings (debug off), on {vendor} ({shown_url}); measured {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC.

    {command}

| letters | time | letters/s | peak memory (sum of each process's peak RSS) | pages | numbers |
| --- | --- | --- | --- | --- | --- |
| {args.count} | {seconds:.1f} s | {rate:.1f} | {peak_mib:.0f} MiB | {report["pages"]} | {numbers["first"]}..{numbers["last"]}, no gap |

Result: {verdict}. Fonts subset with {subsetter}. Machine: {_machine()}.
"""
    )


if __name__ == "__main__":
    main()
