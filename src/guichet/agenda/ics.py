"""iCalendar (RFC 5545) documents: an appointment's confirmation, a meeting's
invitation, update or cancellation (iTIP, RFC 5546: METHOD REQUEST or CANCEL), an
agent's feed. Pure: data in, bytes out, no ORM.

Times are written in their own zone (Europe/Brussels for Guichet's instants turned
local) with the VTIMEZONE the `icalendar` library derives from the zone database, so
a mail client shows the right hour on both sides of a daylight-saving change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from zoneinfo import ZoneInfo

import icalendar

PRODID = "-//Guichet//Guichet agenda//EN"
BRUSSELS = ZoneInfo("Europe/Brussels")


class Method(StrEnum):
    """The iTIP method of a document; PUBLISH for a feed or a confirmation that asks
    no answer."""

    PUBLISH = "PUBLISH"
    REQUEST = "REQUEST"
    CANCEL = "CANCEL"


class PartStat(StrEnum):
    NEEDS_ACTION = "NEEDS-ACTION"
    ACCEPTED = "ACCEPTED"
    DECLINED = "DECLINED"
    TENTATIVE = "TENTATIVE"


@dataclass(frozen=True)
class Person:
    """An organiser or attendee: an e-mail address and a display name."""

    email: str
    name: str = ""
    partstat: PartStat = PartStat.NEEDS_ACTION
    rsvp: bool = False


@dataclass(frozen=True)
class Event:
    """One VEVENT. `uid` stays the same across every update of one meeting or
    appointment, `sequence` grows with each update sent (RFC 5546 §2.1.4)."""

    uid: str
    start: dt.datetime
    end: dt.datetime
    summary: str
    description: str = ""
    location: str = ""
    url: str = ""
    sequence: int = 0
    cancelled: bool = False
    organizer: Person | None = None
    attendees: Sequence[Person] = field(default_factory=tuple)
    # Minutes before the start at which the client reminds (VALARM), none if None.
    alarm_minutes: int | None = None


class NaiveTime(ValueError):
    """An instant without a time zone: iCalendar would read it as floating time."""


def _local(instant: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    if instant.tzinfo is None:
        raise NaiveTime(instant.isoformat())
    return instant.astimezone(zone)


def _address(person: Person, *, attendee: bool) -> icalendar.vCalAddress:
    address = icalendar.vCalAddress(f"mailto:{person.email}")
    if person.name:
        address.params["CN"] = person.name
    if attendee:
        address.params["ROLE"] = "REQ-PARTICIPANT"
        address.params["PARTSTAT"] = str(person.partstat)
        if person.rsvp:
            address.params["RSVP"] = "TRUE"
    return address


def _vevent(event: Event, *, stamp: dt.datetime, zone: ZoneInfo) -> icalendar.Event:
    component = icalendar.Event()
    component.add("uid", event.uid)
    component.add("dtstamp", stamp.astimezone(dt.UTC))
    component.add("dtstart", _local(event.start, zone))
    component.add("dtend", _local(event.end, zone))
    component.add("summary", event.summary)
    component.add("sequence", event.sequence)
    component.add("status", "CANCELLED" if event.cancelled else "CONFIRMED")
    if event.description:
        component.add("description", event.description)
    if event.location:
        component.add("location", event.location)
    if event.url:
        component.add("url", event.url)
    if event.organizer is not None:
        component.add("organizer", _address(event.organizer, attendee=False))
    for attendee in event.attendees:
        component.add("attendee", _address(attendee, attendee=True))
    if event.alarm_minutes is not None and not event.cancelled:
        alarm = icalendar.Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", event.summary)
        alarm.add("trigger", dt.timedelta(minutes=-event.alarm_minutes))
        component.add_component(alarm)
    return component


def calendar_bytes(
    events: Iterable[Event],
    *,
    method: Method = Method.PUBLISH,
    name: str = "",
    stamp: dt.datetime,
    zone: ZoneInfo = BRUSSELS,
) -> bytes:
    """The iCalendar document of `events` (CRLF lines, UTF-8), with the time zone's
    VTIMEZONE. `stamp` is DTSTAMP (when the document is made: pass the clock's now)."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", str(method))
    if name:
        calendar.add("x-wr-calname", name)
    for event in events:
        calendar.add_component(_vevent(event, stamp=stamp, zone=zone))
    calendar.add_missing_timezones()
    document: bytes = calendar.to_ical()
    return document


CONTENT_TYPE = "text/calendar; charset=utf-8"


def content_type(method: Method) -> str:
    """The MIME type of an attached document: iTIP mail clients read the method
    from it (RFC 6047 §2.4)."""
    return f"{CONTENT_TYPE}; method={method}"
