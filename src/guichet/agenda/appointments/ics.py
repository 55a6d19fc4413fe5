"""The `.ics` file sent with an appointment's e-mails (RFC 5545, `icalendar`).

One VEVENT per appointment, its UID stable across every change (the appointment's
uuid at our domain), so the citizen's calendar replaces the event instead of
adding a second one: METHOD PUBLISH for a booking, a move or a reminder, METHOD
CANCEL (STATUS CANCELLED) for a cancellation, with SEQUENCE growing at each change.
Times are written in UTC; the summary names the service in the citizen's language.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import icalendar

PRODID = "-//Guichet//Agenda//EN"


@dataclass(frozen=True)
class IcsEvent:
    uid: str
    sequence: int
    start: dt.datetime
    end: dt.datetime
    summary: str
    description: str
    location: str
    stamp: dt.datetime
    cancelled: bool = False


def uid_for(appointment_uuid: object, domain: str) -> str:
    return f"{appointment_uuid}@{domain or 'guichet.invalid'}"


def ics_bytes(event: IcsEvent) -> bytes:
    """The calendar file of one event."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if event.cancelled else "PUBLISH")
    vevent = icalendar.Event()
    vevent.add("uid", event.uid)
    vevent.add("sequence", event.sequence)
    vevent.add("dtstamp", event.stamp.astimezone(dt.UTC))
    vevent.add("dtstart", event.start.astimezone(dt.UTC))
    vevent.add("dtend", event.end.astimezone(dt.UTC))
    vevent.add("summary", event.summary)
    if event.description:
        vevent.add("description", event.description)
    if event.location:
        vevent.add("location", event.location)
    vevent.add("status", "CANCELLED" if event.cancelled else "CONFIRMED")
    calendar.add_component(vevent)
    return bytes(calendar.to_ical())
