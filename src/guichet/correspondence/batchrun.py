"""Running a letter batch: number in chunks here, render PDFs in a process pool.

The main process keeps the database work (numbering, storing); worker processes only
turn HTML into PDF/A (`pdf.render_pdfa`, no database), so every core renders while
the next chunk is numbered. `run` yields one event per person handled, for a progress
bar; a run stopped at any point is resumed by running the same batch again.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Iterator
from concurrent.futures import (
    FIRST_COMPLETED,
    Executor,
    Future,
    ProcessPoolExecutor,
    wait,
)
from dataclasses import dataclass, field
from typing import Any

from guichet.agents.models import Agent

from . import content, pdf, services
from . import workers as pool_workers
from .models import Letter, LetterBatch

# Rendered letters stored together, in one transaction: one commit and one move of
# the audit chain's head for the group. A run stopped before a group is stored
# renders those letters again when resumed.
STORE_GROUP = 25


@dataclass
class Report:
    batch: str
    selected: int = 0
    issued: int = 0
    archived: int = 0
    waiting_approval: int = 0
    # Set aside in this run: person id -> the placeholders that had no value.
    refused: dict[str, list[str]] = field(default_factory=dict)
    # Every person of the batch that got no letter, this run or an earlier one.
    exceptions: list[dict[str, Any]] = field(default_factory=list)
    finished: bool = False
    pages: int = 0
    multi_page: int = 0
    seconds: float = 0.0


class _InProcess(Executor):
    """Renders in the calling process (one worker, or tests)."""

    def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except Exception as error:  # handed to the caller through the future
            future.set_exception(error)
        return future


def _pool(workers: int) -> Executor:
    if workers <= 1:
        return _InProcess()
    # forkserver: the workers do not inherit the parent's database connections.
    # They are the forkserver's children, so each watches this process and ends
    # with it, even when it is killed outright (`workers.start`).
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(
        ["guichet.correspondence.pdf", "guichet.correspondence.workers"]
    )
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context,
        initializer=pool_workers.start,
        initargs=(os.getpid(),),
    )


def total(batch: LetterBatch) -> int:
    """How many events a run of this batch will yield."""
    return len(services.persons_waiting(batch)) + len(
        services.letters_unarchived(batch)
    )


def run(
    *,
    actor: Agent,
    batch: LetterBatch,
    report: Report,
    workers: int = 2,
    chunk: int = 100,
) -> Iterator[str]:
    """Issue the batch's missing letters and archive them; yield 'archived',
    'waiting_approval' or 'refused' (set aside as an exception) for each person
    handled."""
    started = time.perf_counter()
    waiting = services.persons_waiting(batch)
    leftovers = services.letters_unarchived(batch)
    report.selected = len(batch.selection)
    # Letters sent to the workers and not yet stored: a whole chunk more than the
    # workers' own few, so that they still have letters to render while this process
    # numbers the next chunk (about a second for 200 letters). With only their few
    # they sat idle then (measured, 1,000 letters twice each in one session: 37.2 s
    # and 34.7 s before, 35.2 s and 29.8 s after).
    window = chunk + max(4, workers * 4)
    inflight: dict[Future[pdf.Rendered], int] = {}
    ready: list[tuple[int, pdf.Rendered]] = []  # rendered, not stored yet
    with _pool(workers) as pool:

        def collect(until: int) -> Iterator[str]:
            """Wait until at most `until` letters are out; store what came back."""
            while len(inflight) > until:
                done, _pending = wait(list(inflight), return_when=FIRST_COMPLETED)
                ready.extend((inflight.pop(future), future.result()) for future in done)
                if len(ready) >= STORE_GROUP:
                    yield from store()
            if until == 0:
                yield from store()

        def store() -> Iterator[str]:
            if not ready:
                return
            services.letter_archive_store_many(
                [(pk, rendered.data, rendered.pages) for pk, rendered in ready]
            )
            for _pk, rendered in ready:
                report.archived += 1
                report.pages += rendered.pages
                report.multi_page += rendered.pages > 1
                yield "archived"
            ready.clear()

        for letter in Letter.objects.filter(pk__in=leftovers).order_by("sequence"):
            inflight[
                pool.submit(pdf.render_pdfa, content.letter_html(letter.content))
            ] = letter.pk
            yield from collect(window)
        for start in range(0, len(waiting), chunk):
            result = services.letter_batch_issue(
                actor=actor, batch=batch, person_ids=waiting[start : start + chunk]
            )
            report.issued += len(result.issued)
            report.waiting_approval += result.waiting_approval
            report.refused.update(result.refused)
            for _waiting in range(result.waiting_approval):
                yield "waiting_approval"
            for _refused in result.refused:
                yield "refused"
            for letter in result.issued:
                html = content.letter_html(letter.content)
                inflight[pool.submit(pdf.render_pdfa, html)] = letter.pk
                yield from collect(window)
        yield from collect(0)
    batch = services.letter_batch_finish(actor=actor, batch=batch)
    report.exceptions = services.batch_exceptions(batch)
    report.finished = batch.finished_at is not None
    report.seconds = time.perf_counter() - started
