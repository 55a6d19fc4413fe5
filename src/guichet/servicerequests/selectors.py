"""Reads of requests: queues, an agent's work, one request with its timeline.

Always for an agent, always through the policy (`policy.visible`) and the access
log. Lists sort and filter on stored, indexed columns (the due instants are
computed when a request is created, never on read).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from guichet.access import policy
from guichet.access.domains.servicerequests import Action
from guichet.access.policy import Seen
from guichet.agents import substitutions
from guichet.agents.models import Agent, Team
from guichet.audit.services import access_record
from guichet.contacts.models import Contact
from guichet.core import clock
from guichet.core.errors import NotFound
from guichet.core.validation import Problems, parse_uuid
from guichet.parties.models import Person

from .errors import Code
from .models import OPEN_STATUSES, Request, RequestEvent, Status
from .reference import Reference, reference

QUEUE_PAGE = 50
# A request is "near its deadline" this long before it (for "my work").
NEAR = dt.timedelta(hours=8)


def requests_visible(*, agent: Agent) -> QuerySet[Request]:
    return policy.visible(agent, Request.objects.all())


def _listing(queryset: QuerySet[Request]) -> QuerySet[Request]:
    return queryset.select_related("topic", "team", "owner", "person", "organisation")


def _lean(queryset: QuerySet[Request]) -> QuerySet[Request]:
    """`_listing` without the reference data, which `_attached` gives from memory."""
    return queryset.select_related("owner", "person", "organisation")


def _attached(rows: list[Request]) -> list[Request]:
    reference().attach(rows)
    return rows


@dataclass(frozen=True)
class QueueFilter:
    """What a queue page shows: a team (else all the agent's teams), a status
    (else every open one), an owner ("me", "none" or a username), overdue only, a
    kind, a priority; `page` from 1."""

    team: str = ""
    status: str = ""
    owner: str = ""
    kind: str = ""
    priority: str = ""
    overdue: bool = False
    page: int = 1


@dataclass(frozen=True)
class QueuePage:
    rows: list[Request]
    page: int
    has_next: bool
    teams: list[Team]


def _queue_teams(agent: Agent, cached: Reference) -> list[Team]:
    teams = sorted(
        (cached.teams[pk] for pk in agent.team_ids if pk in cached.teams),
        key=lambda team: team.code,
    )
    if len(teams) != len(agent.team_ids):  # created since the cache's check
        teams = list(Team.objects.filter(pk__in=agent.team_ids).order_by("code"))
    return teams


def queue_rows(
    *, agent: Agent, filters: QueueFilter, teams: list[Team] | None = None
) -> QuerySet[Request]:
    """Every request of the queue `filters` choose, in the queue's order (not
    logged: the caller logs the rows it shows; the export of the queue reads it)."""
    policy.require(agent, Action.REQUEST_WORK)
    teams = _queue_teams(agent, reference()) if teams is None else teams
    chosen = [team for team in teams if not filters.team or team.code == filters.team]
    rows = requests_visible(agent=agent).filter(team__in=chosen)
    if filters.status:
        rows = rows.filter(status=filters.status)
    else:
        rows = rows.filter(status__in=OPEN_STATUSES)
    if filters.owner == "me":
        rows = rows.filter(owner=agent)
    elif filters.owner == "none":
        rows = rows.filter(owner__isnull=True)
    elif filters.owner:
        rows = rows.filter(owner__username=filters.owner)
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filters.priority:
        rows = rows.filter(priority=filters.priority)
    if filters.overdue:
        rows = rows.filter(resolution_due__lt=clock.now(), resolved_at__isnull=True)
    return _lean(rows).order_by(F("resolution_due").asc(nulls_last=True), "id")


def queue(*, agent: Agent, filters: QueueFilter) -> QueuePage:
    """A page of the agent's team queues, the earliest resolution deadline first
    (for agents who work on requests; others are refused, as the screen does)."""
    policy.require(agent, Action.REQUEST_WORK)
    cached = reference()
    teams = _queue_teams(agent, cached)
    rows = queue_rows(agent=agent, filters=filters, teams=teams)
    page = max(1, min(filters.page, 10_000))
    start = (page - 1) * QUEUE_PAGE
    found = list(rows[start : start + QUEUE_PAGE + 1])
    cached.attach(found)
    shown = found[:QUEUE_PAGE]
    if shown:
        access_record(actor=agent, action="request.queue", objects=shown)
    return QueuePage(
        rows=shown, page=page, has_next=len(found) > QUEUE_PAGE, teams=teams
    )


@dataclass(frozen=True)
class MyWork:
    owned: list[Request]
    near_deadline: list[Request]
    unowned_count: int
    # Requests of the agents this agent stands in for today, and who they are.
    standing_in: list[Request]
    standing_in_for: list[Agent]


def my_work(*, agent: Agent, limit: int = 20) -> MyWork:
    """What waits for the agent: the open requests they own, and the requests of
    their teams' queues that nobody owns and are near or past their deadline."""
    policy.require(agent, Action.REQUEST_WORK)
    visible = _listing(requests_visible(agent=agent)).filter(status__in=OPEN_STATUSES)
    owned = list(
        visible.filter(owner=agent).order_by(
            F("resolution_due").asc(nulls_last=True), "id"
        )[:limit]
    )
    unowned = visible.filter(team_id__in=agent.team_ids, owner__isnull=True)
    near = list(
        unowned.filter(resolution_due__lte=clock.now() + NEAR).order_by(
            "resolution_due", "id"
        )[:limit]
    )
    absent = substitutions.standing_in_for(agent)
    standing_in = (
        list(
            visible.filter(owner__in=absent).order_by(
                F("resolution_due").asc(nulls_last=True), "id"
            )[:limit]
        )
        if absent
        else []
    )
    shown = [*owned, *near, *standing_in]
    if shown:
        access_record(actor=agent, action="request.my_work", objects=shown)
    return MyWork(
        owned=owned,
        near_deadline=near,
        unowned_count=unowned.count(),
        standing_in=standing_in,
        standing_in_for=absent,
    )


def _by_reference(reference: str) -> Q | None:
    """`REQ-2026-0000042` -> the row with id 42 created in 2026."""
    parts = reference.strip().upper().split("-")
    if (
        len(parts) != 3
        or parts[0] != "REQ"
        or not parts[1].isdigit()
        or not parts[2].isdigit()
    ):
        return None
    year, number = int(parts[1]), int(parts[2])
    if not 1 <= number < 2**62 or not 2000 <= year <= 9999:
        return None
    start = dt.datetime(year, 1, 1, tzinfo=dt.UTC) - dt.timedelta(days=1)
    end = dt.datetime(year + 1, 1, 1, tzinfo=dt.UTC) + dt.timedelta(days=1)
    return Q(pk=number, created_at__gte=start, created_at__lt=end)


def request_get_for_agent(*, agent: Agent, key: object) -> Seen[Request]:
    """One request the agent sees, by public id or reference, with what they may do
    on it; a missing and a hidden request both raise `NotFound`."""
    condition: Q | None
    uuid = parse_uuid(key)
    condition = Q(uuid=uuid) if uuid is not None else _by_reference(str(key))
    # The parent and the request merged into, rarely set, are read on use.
    request = (
        _lean(requests_visible(agent=agent))
        .select_related("requester_person", "created_by")
        .filter(condition)
        .first()
        if condition is not None
        else None
    )
    if request is None:
        raise NotFound(_("No such request."))
    _attached([request])
    access_record(actor=agent, action="request.read", obj=request)
    return policy.seen(agent, request)


def timeline(*, agent: Agent, request: Request) -> list[RequestEvent]:
    """The request's events, oldest first, with those of the requests merged into
    it (the caller has already read the request through `request_get_for_agent`)."""
    merged = list(
        Request.objects.filter(merged_into=request).values_list("pk", flat=True)
    )
    return list(
        RequestEvent.objects.filter(request_id__in=[request.pk, *merged])
        .select_related("agent", "request")
        .order_by("created_at", "id")
    )


def requests_of_person(
    *, agent: Agent, person: Person, limit: int = 50
) -> list[Request]:
    """The requests that concern `person` or that they made, newest first."""
    rows = list(
        _listing(requests_visible(agent=agent))
        .filter(Q(person=person) | Q(requester_person=person))
        .order_by("-created_at", "-id")[:limit]
    )
    if rows:
        access_record(actor=agent, action="request.list", objects=rows, obj=person)
    return rows


@dataclass(frozen=True)
class Workload:
    team: Team
    open_count: int
    unowned: int
    overdue: int
    by_owner: list[tuple[str, int]]


def workload(*, agent: Agent) -> list[Workload]:
    """Work in progress per team the agent belongs to, and per owner (counts only:
    no personal data, so no access-log row). Two grouped queries whatever the
    number of teams (one per team before: an N+1 on a supervisor of many). Only the
    requests the agent may see are counted: a request of a person confidential to
    another team would otherwise show as a number nobody on this page can open."""
    policy.require(agent, Action.REQUEST_WORK)
    now = clock.now()
    teams = list(Team.objects.filter(pk__in=agent.team_ids).order_by("code"))
    rows = requests_visible(agent=agent).filter(
        team__in=teams, status__in=OPEN_STATUSES
    )
    totals = {
        row.pop("team_id"): row
        for row in rows.values("team_id")
        .annotate(
            open_count=Count("pk"),
            unowned=Count("pk", filter=Q(owner__isnull=True)),
            overdue=Count(
                "pk", filter=Q(resolution_due__lt=now, resolved_at__isnull=True)
            ),
        )
        .order_by()
    }
    owners: dict[int, list[tuple[str, int]]] = {}
    for team_id, username, count in (
        rows.filter(owner__isnull=False)
        .values_list("team_id", "owner__username")
        .annotate(count=Count("pk"))
        .order_by("team_id", "-count", "owner__username")
    ):
        owners.setdefault(team_id, []).append((username, count))
    empty = {"open_count": 0, "unowned": 0, "overdue": 0}
    return [
        Workload(
            team=team,
            by_owner=owners.get(team.pk, []),
            **totals.get(team.pk, empty),
        )
        for team in teams
    ]


def complaints(*, agent: Agent, open_only: bool) -> QuerySet[Request]:
    """The complaints the agent sees: pending ones, or every one with its
    classification."""
    rows = _listing(requests_visible(agent=agent)).filter(kind="complaint")
    if open_only:
        rows = rows.exclude(status__in=[Status.CLOSED, Status.ANSWERED])
    return rows.order_by("-created_at", "-id")


def complaints_handled(*, agent: Agent) -> QuerySet[Request]:
    """The complaints the agent sees that were answered or closed, newest first."""
    return (
        _listing(requests_visible(agent=agent))
        .filter(kind="complaint", status__in=[Status.CLOSED, Status.ANSWERED])
        .order_by("-created_at", "-id")
    )


def assignable_agents(*, request: Request) -> list[Agent]:
    """The active members of the request's team: whom a supervisor may give it to."""
    return list(
        Agent.objects.people()
        .filter(memberships__team_id=request.team_id)
        .order_by("last_name", "first_name", "username")
    )


# Records named in a form or a body: a missing (or hidden) one is a field error
# (a service named so: `contacts.selectors.team_named`).


def agent_named(field: str, username: str) -> Agent:
    """The active agent with this user name; else a `ValidationFailed` on `field`."""
    found = (
        Agent.objects.filter(username=username, is_active=True).first()
        if username
        else None
    )
    if found is None:
        problems = Problems()
        problems.add(field, Code.NOT_FOUND, _("No such agent."))
        problems.raise_if_any()
    assert found is not None  # noqa: S101
    return found


def request_named(*, agent: Agent, field: str, key: str) -> Request:
    """A request the agent sees, by public id or reference, named in a body field:
    a missing and a hidden one are the same `ValidationFailed` on `field`."""
    try:
        return request_get_for_agent(agent=agent, key=key).obj
    except NotFound:
        problems = Problems()
        problems.add(field, Code.NOT_FOUND, _("No such request."))
        problems.raise_if_any()
        raise


def requests_of_contact(*, agent: Agent, contact: Contact) -> list[Request]:
    """The requests a contact is attached to, among those the agent sees (the
    caller has already read the contact through its selector)."""
    rows = list(
        _listing(requests_visible(agent=agent))
        .filter(contact_links__contact=contact)
        .order_by("-created_at", "-id")
    )
    if rows:
        access_record(actor=agent, action="request.list", objects=rows, obj=contact)
    return rows
