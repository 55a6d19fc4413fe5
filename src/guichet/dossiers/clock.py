"""A dossier's due dates from its case type's deadlines. Pure: no ORM.

`dues` computes the three stored dates (legal processing deadline, service norm,
citizen's completion deadline) from the day the dossier was received, the
suspensions so far and the extension, with `casetypes.deadlines` (calendar or
business days in the team's calendar). A figure the case type leaves to the
service (`setting`) gives no date: the dossier has no such deadline until the
service sets it (the queue sorts those last).

A suspension stops the legal clock and the service norm; the citizen's completion
deadline is theirs and is not moved. A suspension is stored from the day it
started to the day it ended; the days that do not count are the day after the
start through the end day (the day the clock stopped was a working day of the
dossier; from the next one nothing runs until it restarts).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from guichet.calendars.business_time import Calendar
from guichet.casetypes.deadlines import Suspension, deadline, extended
from guichet.casetypes.definition import Deadlines, Duration

ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Dues:
    processing: dt.date | None
    service_norm: dt.date | None
    completion: dt.date | None


def stopped_days(
    spans: Iterable[tuple[dt.date, dt.date | None]], *, today: dt.date
) -> tuple[Suspension, ...]:
    """The spans of days that do not count, from stored suspensions (`started_on`,
    `ended_on` or None while it lasts: it runs to `today` then)."""
    days: list[Suspension] = []
    for started, ended in spans:
        last = ended if ended is not None else today
        if last > started:
            days.append((started + ONE_DAY, last))
    return tuple(days)


def _due(
    start: dt.date,
    duration: Duration | None,
    calendar: Calendar,
    stops: tuple[Suspension, ...],
) -> dt.date | None:
    if duration is None or duration.amount is None:
        return None
    return deadline(start, duration, calendar, stops)


def dues(
    *,
    received_on: dt.date,
    deadlines: Deadlines,
    calendar: Calendar,
    suspensions: tuple[Suspension, ...] = (),
    is_extended: bool = False,
) -> Dues:
    """The dossier's due dates. An extension adds the case type's `extension` to the
    legal deadline (suspensions included), once."""
    processing = _due(received_on, deadlines.processing, calendar, suspensions)
    extension = deadlines.extension
    if (
        processing is not None
        and is_extended
        and extension is not None
        and extension.amount is not None
    ):
        processing = extended(processing, extension, calendar)
    return Dues(
        processing=processing,
        service_norm=_due(received_on, deadlines.service_norm, calendar, suspensions),
        completion=_due(received_on, deadlines.citizen_completion, calendar, ()),
    )
