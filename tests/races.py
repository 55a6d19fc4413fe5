"""Running calls at the same instant, each in its own thread and connection."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.db import connections

from guichet.core.errors import GuichetError


def race(
    calls: list[Callable[[], Any]],
    refused: type[Exception] | tuple[type[Exception], ...] = GuichetError,
) -> list[Any]:
    """Each call's result, or the `refused` error it raised, in order."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(index: int) -> None:
        try:
            barrier.wait()
            results[index] = calls[index]()
        except refused as error:
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results
