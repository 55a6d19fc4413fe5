"""The iCalendar side of meetings (RFC 5545, iTIP RFC 5546) and their e-mails.

One UID per meeting (its public id), a SEQUENCE that grows with each change:
METHOD REQUEST for an invitation or an update, METHOD CANCEL when the meeting is
cancelled or the participant removed. Each participant gets their own e-mail,
which names only the organiser and themselves: nobody learns from it who else
is invited (their addresses are no one else's business).
"""

from __future__ import annotations

import datetime as dt
from email.mime.text import MIMEText

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone
from django.utils.translation import gettext

import icalendar

from guichet.agenda.models import Answer, Meeting, Participant, Registration
from guichet.core import clock

PARTSTAT = {
    Answer.NEEDS_ACTION: "NEEDS-ACTION",
    Answer.ACCEPTED: "ACCEPTED",
    Answer.DECLINED: "DECLINED",
    Answer.TENTATIVE: "TENTATIVE",
}
PRODID = "-//Guichet//Agenda//EN"


def meeting_uid(meeting: Meeting) -> str:
    return f"{meeting.uuid}@guichet"


def _address(agent_email: str) -> str:
    fallback = settings.DEFAULT_FROM_EMAIL.rsplit("<", 1)[-1].rstrip(">")
    return agent_email or fallback


def calendar(meeting: Meeting, participant: Participant, method: str) -> bytes:
    """The iTIP object of `meeting` for one participant (REQUEST or CANCEL)."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("method", method)
    event = icalendar.Event()
    event.add("uid", meeting_uid(meeting))
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", clock.now().astimezone(dt.UTC))
    event.add("dtstart", meeting.start.astimezone(dt.UTC))
    event.add("dtend", meeting.end.astimezone(dt.UTC))
    event.add("summary", meeting.title)
    if meeting.place:
        event.add("location", meeting.place)
    if meeting.description:
        event.add("description", meeting.description)
    event.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
    organiser = icalendar.vCalAddress(f"mailto:{_address(meeting.organiser.email)}")
    organiser.params["cn"] = icalendar.vText(
        meeting.organiser.get_full_name() or meeting.organiser.username
    )
    event.add("organizer", organiser)
    attendee = icalendar.vCalAddress(f"mailto:{participant.address}")
    attendee.params["cn"] = icalendar.vText(participant.display_name)
    attendee.params["role"] = icalendar.vText("REQ-PARTICIPANT")
    attendee.params["partstat"] = icalendar.vText(PARTSTAT[Answer(participant.answer)])
    attendee.params["rsvp"] = icalendar.vText("TRUE")
    event.add("attendee", attendee, encode=False)
    cal.add_component(event)
    return bytes(cal.to_ical())


def _when(meeting_start: dt.datetime, meeting_end: dt.datetime) -> str:
    start = timezone.localtime(meeting_start)
    end = timezone.localtime(meeting_end)
    return f"{start:%d/%m/%Y %H:%M} - {end:%H:%M} ({start.tzname()})"


def invitation_mail(
    *, meeting: Meeting, participant: Participant, method: str, link: str
) -> EmailMessage:
    """The e-mail of one participant, in the active language, with the iTIP
    object as a `text/calendar` part."""
    if method == "CANCEL":
        subject = gettext("Cancelled: %(title)s") % {"title": meeting.title}
        intro = gettext("This meeting is cancelled, or you are no longer invited.")
    elif meeting.sequence > 0:
        subject = gettext("Updated invitation: %(title)s") % {"title": meeting.title}
        intro = gettext("The meeting you are invited to has changed.")
    else:
        subject = gettext("Invitation: %(title)s") % {"title": meeting.title}
        intro = gettext("You are invited to a meeting.")
    lines = [
        intro,
        "",
        f"{gettext('Meeting')}: {meeting.title}",
        f"{gettext('When')}: {_when(meeting.start, meeting.end)}",
    ]
    if meeting.place:
        lines.append(f"{gettext('Where')}: {meeting.place}")
    organiser = meeting.organiser.get_full_name() or meeting.organiser.username
    lines.append(f"{gettext('Organiser')}: {organiser}")
    if link and method != "CANCEL":
        lines += ["", gettext("Answer (accept or decline) here:"), link]
    message = EmailMessage(
        subject=subject,
        body="\n".join(lines) + "\n",
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[participant.address],
        headers={
            "Auto-Submitted": "auto-generated",
            "Content-Language": participant.language or "fr",
        },
    )
    part = MIMEText(
        calendar(meeting, participant, method).decode("utf-8"), "calendar", "utf-8"
    )
    part.set_param("method", method)
    part.add_header("Content-Disposition", "attachment", filename="invite.ics")
    message.attach(part)
    return message


def _event_mail(registration: Registration, *, news: str, subject: str) -> EmailMessage:
    """A plain e-mail to one registration about its event: the news, then the event."""
    event = registration.event
    body = "\n".join(
        [
            news,
            "",
            f"{gettext('Event')}: {event.title}",
            f"{gettext('When')}: {_when(event.start, event.end)}",
            *([f"{gettext('Where')}: {event.place}"] if event.place else []),
        ]
    )
    return EmailMessage(
        subject=subject % {"title": event.title},
        body=body + "\n",
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[registration.address],
        headers={"Auto-Submitted": "auto-generated"},
    )


def seat_mail(registration: Registration) -> EmailMessage:
    """The e-mail telling a registration from the waiting list it has a seat."""
    return _event_mail(
        registration,
        news=gettext("A seat became free: you are now registered."),
        subject=gettext("You have a seat: %(title)s"),
    )


def event_cancelled_mail(registration: Registration) -> EmailMessage:
    """The e-mail telling someone registered or waiting that the event is cancelled."""
    return _event_mail(
        registration,
        news=gettext("This event is cancelled; your registration ends with it."),
        subject=gettext("Cancelled: %(title)s"),
    )
