"""Races for the tests that need a real one (PostgreSQL's row locks): each call
runs in its own thread and database connection, all released at once."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.db import connections


def race(
    calls: list[Callable[[], Any]],
    refusals: tuple[type[BaseException], ...] = (Exception,),
) -> list[Any]:
    """What each call returned, or the refusal it raised, in the calls' order."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(index: int) -> None:
        try:
            barrier.wait()
            results[index] = calls[index]()
        except refusals as refused:
            results[index] = refused
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results
