"""When an agent cannot serve: busy intervals gathered from every part of the app.

The absences part registers a source (an agent's absences); the appointments part
asks `busy_intervals` before offering a slot of an offer served by a named agent,
so that an absence blocks that agent's slots. Sources return aware intervals
`(start, end)`, end excluded, that overlap `[start, end)`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from guichet.agents.models import Agent

Interval = tuple[dt.datetime, dt.datetime]
# (agent, start, end) -> the intervals in which the agent is away.
BusySource = Callable[["Agent", dt.datetime, dt.datetime], Iterable[Interval]]

busy_sources: list[BusySource] = []


def busy_intervals(
    *, agent: Agent, start: dt.datetime, end: dt.datetime
) -> list[Interval]:
    """Every interval, from every source, in which `agent` is away, in time order."""
    return sorted(
        interval for source in busy_sources for interval in source(agent, start, end)
    )


def is_busy(*, agent: Agent, start: dt.datetime, end: dt.datetime) -> bool:
    """Whether `agent` is away at any moment of `[start, end)`."""
    return any(
        busy_start < end and start < busy_end
        for busy_start, busy_end in busy_intervals(agent=agent, start=start, end=end)
    )
