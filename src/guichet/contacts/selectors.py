"""Reads of contacts and topics: always for an agent, always through the policy."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from guichet.access import policy
from guichet.access.domains.contacts import Action
from guichet.access.policy import Seen
from guichet.agents.models import Agent, Team
from guichet.audit.services import access_record
from guichet.core.errors import NotFound
from guichet.core.validation import Problems, parse_uuid
from guichet.parties.models import Person

from .errors import Code
from .models import Channel, Contact, Topic


def contacts_visible(*, agent: Agent) -> QuerySet[Contact]:
    return policy.visible(agent, Contact.objects.all()).select_related(
        "agent", "team", "topic", "person", "organisation", "caller_person"
    )


def contacts_of_person(
    *, agent: Agent, person: Person, limit: int = 50
) -> list[Contact]:
    """The contacts that concern `person` or that they made for someone else, newest
    first (the caller of the 360° view has already checked the person is seen)."""
    rows = list(
        contacts_visible(agent=agent).filter(
            Q(person=person) | Q(caller_person=person)
        )[:limit]
    )
    if rows:
        access_record(actor=agent, action="contact.list", objects=rows, obj=person)
    return rows


def contact_get_for_agent(*, agent: Agent, uuid: object) -> Seen[Contact]:
    """One contact the agent sees, with what they may do on it; else `NotFound`."""
    parsed = parse_uuid(uuid)
    contact = (
        contacts_visible(agent=agent).filter(uuid=parsed).first() if parsed else None
    )
    if contact is None:
        raise NotFound(_("No such contact."))
    access_record(actor=agent, action="contact.read", obj=contact)
    return policy.seen(agent, contact)


@dataclass(frozen=True)
class TopicOption:
    uuid: str
    code: str
    label: str
    depth: int


def topic_options(*, team: Team | None, language: str) -> list[TopicOption]:
    """The active topics a service uses, as a tree in display order, named in
    `language` ("Consular matters > Legalisation")."""
    topics = list(
        Topic.objects.filter(Q(team__isnull=True) | Q(team=team), is_active=True)
    )
    children: dict[int | None, list[Topic]] = {}
    by_id = {topic.pk: topic for topic in topics}
    for topic in topics:
        parent = topic.parent_id if topic.parent_id in by_id else None
        children.setdefault(parent, []).append(topic)
    options: list[TopicOption] = []

    def walk(parent: int | None, trail: list[str]) -> None:
        for topic in sorted(children.get(parent, []), key=lambda t: (t.order, t.code)):
            path = [*trail, topic.name(language)]
            options.append(
                TopicOption(str(topic.uuid), topic.code, " > ".join(path), len(trail))
            )
            walk(topic.pk, path)

    walk(None, [])
    return options


CONTACTS_PAGE = 50


@dataclass(frozen=True)
class ContactPage:
    rows: list[Contact]
    page: int
    has_next: bool


def contacts_of_teams(*, agent: Agent, page: int = 1) -> ContactPage:
    """The recent contacts registered for the agent's services, newest first, a
    page of `CONTACTS_PAGE` (only those whose persons the agent sees)."""
    page = max(1, min(page, 10_000))
    start = (page - 1) * CONTACTS_PAGE
    found = list(
        contacts_visible(agent=agent)
        .filter(team_id__in=agent.team_ids)
        .order_by("-started_at", "-id")[start : start + CONTACTS_PAGE + 1]
    )
    shown = found[:CONTACTS_PAGE]
    if shown:
        access_record(actor=agent, action="contact.list", objects=shown)
    return ContactPage(rows=shown, page=page, has_next=len(found) > CONTACTS_PAGE)


def contacts_of_person_id(
    *, agent: Agent, person_id: object, limit: int = 50
) -> list[Contact]:
    """`contacts_of_person` for a person named by public id: a person the agent may
    not see is `NotFound`, exactly as one that does not exist."""
    parsed = parse_uuid(person_id)
    person = (
        policy.visible(agent, Person.objects.filter(uuid=parsed)).first()
        if parsed
        else None
    )
    if person is None:
        raise NotFound(_("No such person."))
    return contacts_of_person(agent=agent, person=person, limit=limit)


def topic_options_for_agent(
    *, agent: Agent, team_code: str, language: str
) -> list[TopicOption]:
    """The topic tree of the service `team_code` (any active one), else of the
    agent's only service, else the topics every service shares."""
    team: Team | None
    if team_code:
        team = Team.objects.filter(code=team_code, is_active=True).first()
        if team is None:
            raise NotFound(_("No such service."))
    else:
        teams = list(Team.objects.filter(pk__in=agent.team_ids, is_active=True)[:2])
        team = teams[0] if len(teams) == 1 else None
    return topic_options(team=team, language=language)


def team_named(field: str, code: str) -> Team:
    """The active service with this code; else a `ValidationFailed` on `field`."""
    team = Team.objects.filter(code=code, is_active=True).first() if code else None
    if team is None:
        problems = Problems()
        problems.add(field, Code.NOT_FOUND, _("No such service."))
        problems.raise_if_any()
    assert team is not None  # noqa: S101 - raised above otherwise
    return team


# ---------------------------------------------------------------- figures

LONGEST_FIGURES_SPAN = dt.timedelta(days=366)


@dataclass(frozen=True)
class ChannelCount:
    """How many contacts of one channel a service had in one hour."""

    channel: str
    team: str
    hour: dt.datetime
    contacts: int


@dataclass(frozen=True)
class WaitingTimes:
    """The counter's visits served by one service in one hour: how long the
    visitors waited (ticket to call) and were served (call to end), in seconds."""

    team: str
    hour: dt.datetime
    visits: int
    wait_mean: int
    wait_median: int
    wait_max: int
    serving_mean: int


@dataclass(frozen=True)
class ChannelFigures:
    start: dt.datetime
    end: dt.datetime
    counts: list[ChannelCount]
    waiting: list[WaitingTimes]


def _hour_of(instant: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    """The start of the local hour `instant` falls in, in `zone`. On the night
    the clocks go back, 02:00 summer time and 02:00 winter time are two hours
    (their `fold` and offset differ), as they were lived."""
    local = instant.astimezone(zone)
    return local.replace(minute=0, second=0, microsecond=0)


def channel_figures(
    *, agent: Agent, start: dt.datetime, end: dt.datetime
) -> ChannelFigures:
    """Contacts per channel, service and hour, and the counter's waiting and
    serving times per service and hour, for the contacts that started in
    [`start`, `end`), of the services (teams) the agent is in. Hours are those of
    the service's time zone (`TIME_ZONE`), each keyed by its start.

    For the supervisors (`contact.figures`). Counts and durations only, no person
    and no text of a contact, so no read is logged; a contact of a person
    confidential to the team is counted like any other, since the team's load is
    what the figures measure. The buckets are made here rather than in SQL, so
    that the hour the clocks go back stays two hours on both databases."""
    policy.require(agent, Action.CONTACT_FIGURES)
    problems = Problems()
    for name, value in (("start", start), ("end", end)):
        if value.tzinfo is None:
            problems.add(name, Code.NAIVE_TIME, _("Give the time with its zone."))
    if not problems.errors and end <= start:
        problems.add("end", Code.ENDS_BEFORE, _("The end is before the start."))
    elif not problems.errors and end - start > LONGEST_FIGURES_SPAN:
        problems.add(
            "end", Code.SPAN_TOO_LONG, _("Ask for the figures of a year at most.")
        )
    problems.raise_if_any()
    zone = ZoneInfo(settings.TIME_ZONE)
    rows = Contact.objects.filter(
        team_id__in=agent.team_ids, started_at__gte=start, started_at__lt=end
    ).values_list("channel", "team__code", "started_at", "ended_at", "waiting_since")
    counts: dict[tuple[str, str, dt.datetime], int] = defaultdict(int)
    waits: dict[tuple[str, dt.datetime], list[tuple[float, float | None]]] = (
        defaultdict(list)
    )
    for channel, team, started, ended, waiting_since in rows.iterator():
        hour = _hour_of(started, zone)
        # Keyed by the hour's instant: two local 02:00 of the autumn night differ.
        key = hour.astimezone(dt.UTC)
        counts[(team, channel, key)] += 1
        if channel == Channel.COUNTER and waiting_since is not None:
            serving = (ended - started).total_seconds() if ended else None
            waits[(team, key)].append(
                ((started - waiting_since).total_seconds(), serving)
            )
    return ChannelFigures(
        start=start,
        end=end,
        counts=[
            ChannelCount(
                channel=channel,
                team=team,
                hour=key.astimezone(zone),
                contacts=number,
            )
            for (team, channel, key), number in sorted(counts.items())
        ],
        waiting=[
            _waiting_times(team, key.astimezone(zone), visits)
            for (team, key), visits in sorted(waits.items())
        ],
    )


def _waiting_times(
    team: str, hour: dt.datetime, visits: list[tuple[float, float | None]]
) -> WaitingTimes:
    waited = [wait for wait, _serving in visits]
    served = [serving for _wait, serving in visits if serving is not None]
    return WaitingTimes(
        team=team,
        hour=hour,
        visits=len(visits),
        wait_mean=round(statistics.fmean(waited)),
        wait_median=round(statistics.median(waited)),
        wait_max=round(max(waited)),
        serving_mean=round(statistics.fmean(served)) if served else 0,
    )
