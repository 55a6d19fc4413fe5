"""Periodic background work: which tasks run on their own, and how often.

A domain app declares a periodic task in its `tasks.py`, next to the task itself:

    @task(queue_name="audit")
    def chain_seal() -> int: ...

    periodic(chain_seal, every=dt.timedelta(seconds=10))

The worker's scheduler (`guichet worker`) enqueues each declared task when it is
due; the claim of a due run is made in the database, so several workers never
enqueue one run twice. Tasks declared here take no arguments and are idempotent:
a run that is late, doubled or retried does no harm.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Periodic:
    """A task enqueued every `every`, under a stable `name`."""

    name: str
    task: Any  # a django_tasks Task taking no arguments
    every: dt.timedelta


PERIODIC: dict[str, Periodic] = {}


def periodic(task: Any, *, every: dt.timedelta, name: str = "") -> Any:
    """Declare `task` periodic; returns it unchanged. A name is declared once."""
    if every <= dt.timedelta(0):
        raise ValueError("a periodic task needs a positive interval")
    key = name or f"{task.module_path}"
    existing = PERIODIC.get(key)
    if existing is not None and existing.task is not task:
        raise ValueError(f"periodic task {key!r} is declared twice")
    PERIODIC[key] = Periodic(name=key, task=task, every=every)
    return task
