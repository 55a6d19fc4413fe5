"""Reads of feeds: the agent's own feeds, and the calendar a token serves.

The calendar is built from `entries.agent_entries(viewer=agent, agent=agent)`
over a window (30 days back, 180 ahead) and carries only each entry's
`feed_title`, never its in-Guichet title: nothing of a citizen leaves Guichet.
UIDs are the entries' stable keys and SEQUENCE their sequence, so a mail client
updates an entry in place.
"""

from __future__ import annotations

import datetime as dt

from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

import icalendar

from guichet.access import policy
from guichet.access.domains.agenda_absences import Action
from guichet.agenda import entries
from guichet.agenda.absences.periods import BRUSSELS
from guichet.agenda.feeds.tokens import digest
from guichet.agenda.models import FeedToken
from guichet.agents.models import Agent
from guichet.core import clock
from guichet.core.errors import NotFound

BACK = dt.timedelta(days=30)
AHEAD = dt.timedelta(days=180)
DOMAIN = "guichet"


def feeds_of_agent(*, agent: Agent) -> list[FeedToken]:
    """The agent's running feeds (at most one)."""
    if not policy.may(agent, Action.FEED_MANAGE):
        return []
    return list(FeedToken.objects.filter(agent=agent, revoked_at__isnull=True))


def _agent_for_token(token: str) -> Agent:
    feed = (
        FeedToken.objects.filter(token_sha256=digest(token), revoked_at__isnull=True)
        .select_related("agent")
        .first()
        if 20 <= len(token) <= 100
        else None
    )
    if feed is None or not policy.may(feed.agent, Action.FEED_MANAGE):
        raise NotFound(_("No such feed."))
    return feed.agent


def _event(entry: entries.Entry, stamp: dt.datetime) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", f"{entry.key}@{DOMAIN}")
    event.add("dtstamp", stamp)
    event.add("sequence", entry.sequence)
    event.add("summary", entry.feed_title)
    if entry.all_day:
        event.add("dtstart", entry.start.astimezone(BRUSSELS).date())
        event.add("dtend", entry.end.astimezone(BRUSSELS).date())
    else:
        event.add("dtstart", entry.start.astimezone(dt.UTC))
        event.add("dtend", entry.end.astimezone(dt.UTC))
    return event


def feed_calendar(*, token: str) -> bytes:
    """The iCalendar of the agenda whose feed `token` opens (404 when unknown or
    revoked), in its agent's language."""
    agent = _agent_for_token(token)
    now = clock.now()
    with translation.override(agent.language or "en"):
        found = entries.agent_entries(
            viewer=agent, agent=agent, start=now - BACK, end=now + AHEAD
        )
        calendar = icalendar.Calendar()
        calendar.add("prodid", "-//Guichet//Agenda//EN")
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("method", "PUBLISH")
        calendar.add("x-wr-calname", gettext("Guichet agenda"))
        calendar.add("x-wr-timezone", "Europe/Brussels")
        for entry in found:
            calendar.add_component(_event(entry, now))
    return bytes(calendar.to_ical())
