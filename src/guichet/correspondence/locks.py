"""The numbering counters' locks, and the lock order of correspondence.

A service locks the row it changes first (the letter, the mail, the action item or
the template, where the service reads it with `select_for_update(of=("self",))`),
then the counter row of its series here. Keeping this order everywhere means two
services never wait for each other in a cycle.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction

from .models import Counter


def next_number(*, team: Any, series: str, year: int) -> int:
    """The next number of a service's series for a year (see `next_numbers`)."""
    return next_numbers(team=team, series=series, year=year, count=1)[0]


def next_numbers(*, team: Any, series: str, year: int, count: int) -> range:
    """The next `count` numbers of a service's series for a year; call inside the
    transaction that stores the numbered records, and store all of them.

    The counter row is locked until that transaction ends: a concurrent writer waits,
    and if the transaction rolls back the number is given back, so numbers have no gap
    and no duplicate. SQLite has no row locks; there the IMMEDIATE transactions of the
    settings serialise writers instead.
    """
    if count < 1:
        raise ValueError("count must be at least 1")
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError(
            "next_number must run inside the numbered record's transaction"
        )
    counter = (
        Counter.objects.select_for_update()
        .filter(team=team, series=series, year=year)
        .first()
    )
    if counter is None:
        try:
            with transaction.atomic():
                Counter.objects.create(team=team, series=series, year=year, last=0)
        except IntegrityError:
            pass  # another transaction created it a moment ago: lock theirs
        counter = Counter.objects.select_for_update().get(
            team=team, series=series, year=year
        )
    first = counter.last + 1
    counter.last += count
    counter.save(update_fields=["last"])
    return range(first, counter.last + 1)
