#!/usr/bin/env python3
"""Where a write request's CPU goes: POST /api/v1/persons under cProfile.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wt_audit_bench_after \\
        .venv/bin/python bench/audit/cpu.py --requests 300

Production settings (GUICHET_DEBUG=false), the bench agent's token, the whole
stack from the first middleware to the JSON answer, through Django's test client
in this process (gunicorn's own share is not in it). Prints the CPU per request
(process time, without the profiler), then, profiled, the CPU of each layer
(cumulative, so layers nest) and the functions that cost most by their own time.
Reads the same way with --read.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import random
import secrets
import sys
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "search"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import database  # bench/search's helpers, put on the path above

# Functions whose cumulative time is a layer of the request: (file, function).
LAYERS = {
    "whole request (middleware and view)": (
        "django/core/handlers/base.py",
        "get_response",
    ),
    "view (ninja operation)": ("ninja/operation.py", "run"),
    "token authentication": ("guichet/api/auth.py", "authenticate"),
    "input parsing and validation": ("ninja/operation.py", "_get_values"),
    "person_create service": ("guichet/parties/services.py", "person_create"),
    "access policy: may": ("guichet/access/policy.py", "may"),
    "access policy: visible": ("guichet/access/policy.py", "visible"),
    "audit: audit_record": ("guichet/audit/services.py", "audit_record"),
    "audit: access_record": ("guichet/audit/services.py", "access_record"),
    "audit: row MAC": ("guichet/audit/chain.py", "row_mac"),
    "read-back person_get_for_agent": (
        "guichet/parties/selectors.py",
        "person_get_for_agent",
    ),
    "output serialization": ("ninja/operation.py", "_result_to_response"),
}


def parse_arguments(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--read", action="store_true", help="GET a person instead.")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--dump", default="", help="Write the raw profile here.")
    return parser.parse_args(argv)


def main(argv: Sequence[str]) -> int:
    options = parse_arguments(argv)
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        raise SystemExit("Set DATABASE_URL to the bench database (PostgreSQL).")
    os.environ.update(
        GUICHET_DEBUG="false",
        GUICHET_SECRET_KEY=secrets.token_urlsafe(48),
        GUICHET_ALLOWED_HOSTS="testserver",
        GUICHET_AUDIT_KEYS=os.environ.get("GUICHET_AUDIT_KEYS", "bench=" + "b" * 43),
    )
    database.django_setup(url)
    from django.test import Client

    from run import new_person, person_ids  # bench/audit/run.py

    base = url.rsplit("_after", 1)[0].rsplit("_before", 1)[0]
    token = database.token_file(base).read_text().strip()
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    rng = random.Random(3)
    ids = person_ids(url, 200) if options.read else []

    def one() -> None:
        if options.read:
            response = client.get(f"/api/v1/persons/{rng.choice(ids)}")
            assert response.status_code == 200, response.content
        else:
            response = client.post(
                "/api/v1/persons",
                data=new_person(rng),
                content_type="application/json",
            )
            assert response.status_code == 201, response.content

    for _ in range(20):  # warm caches and connections
        one()
    began = time.process_time()
    for _ in range(options.requests):
        one()
    plain_ms = (time.process_time() - began) * 1000 / options.requests
    profiler = cProfile.Profile(time.process_time)
    began = time.process_time()
    profiler.enable()
    for _ in range(options.requests):
        one()
    profiler.disable()
    cpu_ms = (time.process_time() - began) * 1000 / options.requests
    if options.dump:
        profiler.dump_stats(options.dump)
    stats = pstats.Stats(profiler)
    per_request: dict[str, float] = {}
    for (path, _, name), (_, _, _, cumulative, _) in stats.stats.items():  # type: ignore[attr-defined]
        for layer, (fragment, function) in LAYERS.items():
            if fragment in path and name == function:
                per_request[layer] = per_request.get(layer, 0.0) + cumulative
    print(
        f"{options.requests} {'reads' if options.read else 'writes'}: "
        f"{plain_ms:.1f} ms CPU per request ({cpu_ms:.1f} with the profiler on)"
    )
    for layer in LAYERS:
        milliseconds = per_request.get(layer, 0.0) * 1000 / options.requests
        print(f"  {layer:<38} {milliseconds:6.2f} ms (profiled)")
    text = io.StringIO()
    pstats.Stats(profiler, stream=text).sort_stats("tottime").print_stats(options.top)
    print(text.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
