"""What the dashboards share: a figure table, its drill-down, the period, SQL helpers.

A dashboard is a list of `Figure`s: a small table whose every number is the
result of one aggregate query (GROUP BY in the database) over source rows already
filtered by the access policy, and whose cells carry a `Drill`: where the rows
the number counts are listed (an existing queue with its filters, or the reports'
rows page). No URL is built here: the `ui` layer turns a drill into a link.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Func, IntegerField
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from guichet.core.validation import Problems

LONGEST_PERIOD = dt.timedelta(days=366)
DEFAULT_DAYS = 30


def zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


@dataclass(frozen=True)
class Drill:
    """Where the rows behind a number are listed: `screen` is "request_queue",
    "dossier_queue", "payment_run" or "rows" (then `figure` names the rows'
    source); `params` are the screen's filters."""

    screen: str
    params: dict[str, str] = field(default_factory=dict)
    figure: str = ""


@dataclass(frozen=True)
class Cell:
    value: Any
    drill: Drill | None = None


@dataclass(frozen=True)
class Bar:
    label: str
    values: Sequence[float]


@dataclass(frozen=True)
class Chart:
    """A bar chart of some columns of a figure (the figure is its table)."""

    title: str | Promise
    series: Sequence[str | Promise]
    bars: Sequence[Bar]
    unit: str | Promise = ""


@dataclass(frozen=True)
class Figure:
    key: str
    title: str | Promise
    description: str | Promise
    headers: Sequence[str | Promise]
    rows: list[list[Cell]]
    chart: Chart | None = None

    def plain_rows(self) -> list[list[Any]]:
        return [[cell.value for cell in row] for row in self.rows]


@dataclass(frozen=True)
class Period:
    """[first, last] days, both included, in the service's time zone."""

    first: dt.date
    last: dt.date

    @property
    def start(self) -> dt.datetime:
        return dt.datetime.combine(self.first, dt.time(), tzinfo=zone())

    @property
    def end(self) -> dt.datetime:
        """The instant after the last day (exclusive)."""
        return dt.datetime.combine(
            self.last + dt.timedelta(days=1), dt.time(), tzinfo=zone()
        )


def default_period(today: dt.date) -> Period:
    return Period(first=today - dt.timedelta(days=DEFAULT_DAYS - 1), last=today)


def period_of(*, first: dt.date | None, last: dt.date | None, today: dt.date) -> Period:
    """The period asked for (the last 30 days by default), at most a year, not
    ending before it starts; else a `ValidationFailed` naming the field."""
    default = default_period(today)
    return checked(Period(first=first or default.first, last=last or default.last))


def checked(period: Period) -> Period:
    """The period, if it ends after it starts and spans a year at most."""
    problems = Problems(message=_("The period is not valid."))
    if period.last < period.first:
        problems.add("last", "ends_before", _("The end is before the start."))
    elif period.last - period.first >= LONGEST_PERIOD:
        problems.add("last", "too_long", _("Choose a period of one year at most."))
    problems.raise_if_any()
    return period


class DaysBetween(Func):
    """Whole days from the date `earlier` to the date `later` (both SQL dates)."""

    output_field = IntegerField()
    arity = 2

    def __init__(self, later: Any, earlier: Any, **extra: Any) -> None:
        super().__init__(later, earlier, **extra)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra,
        )

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            template="(%(expressions)s)",
            arg_joiner="::date - ",
            **extra,
        )


class SecondsBetween(Func):
    """Seconds from the instant `earlier` to the instant `later`."""

    output_field = IntegerField()
    arity = 2

    def __init__(self, later: Any, earlier: Any, **extra: Any) -> None:
        super().__init__(later, earlier, **extra)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            template="CAST(ROUND((julianday(%(expressions)s)) * 86400) AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra,
        )

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            template="CAST(EXTRACT(EPOCH FROM (%(expressions)s)) AS INTEGER)",
            arg_joiner=" - ",
            **extra,
        )


def percentile(histogram: dict[int, int], share: float) -> int | None:
    """The smallest value at or below which `share` of the counted values lie
    (nearest rank), from a value -> count histogram read with GROUP BY."""
    total = sum(histogram.values())
    if total == 0:
        return None
    rank = max(1, math.ceil(round(share * total, 9)))
    seen = 0
    for value in sorted(histogram):
        seen += histogram[value]
        if seen >= rank:
            return value
    return max(histogram)  # pragma: no cover - the loop always reaches the rank
