"""Reads of the counter's queue.

The kiosk and the display read a site's services and calls without an agent: a
ticket number, a service's name and a desk's name are no one's personal data.
The desks read through the policy: an agent sees the tickets of their teams'
services (`access/domains/visits.py`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Min, Q
from django.utils.translation import gettext_lazy as _

from guichet.access import policy
from guichet.access.domains.visits import Action
from guichet.agents.models import Agent
from guichet.core import clock
from guichet.core.errors import NotFound
from guichet.core.validation import parse_uuid

from .models import Desk, Service, Site, Status, Ticket


def site_public(*, code: str) -> Site:
    """An active site by the code its kiosk's and display's addresses carry."""
    site = Site.objects.filter(code=code, is_active=True).first()
    if site is None:
        raise NotFound(_("There is no such site."))
    return site


def kiosk_services(*, site: Site) -> list[Service]:
    """The services a visitor may choose at the site's kiosk, in display order."""
    return list(site.services.filter(is_active=True).order_by("order", "code"))


@dataclass(frozen=True)
class Call:
    """One announced ticket, as the display shows it."""

    ticket: str
    desk: str
    announced_at: dt.datetime
    key: str


def display_calls(*, site: Site, limit: int = 6) -> list[Call]:
    """Today's last announced tickets of the site, the latest first (a recall
    moves a ticket back to the top)."""
    rows = (
        Ticket.objects.filter(
            service__site=site, day=clock.today(), announced_at__isnull=False
        )
        .select_related("service", "desk")
        .order_by("-announced_at", "-id")[:limit]
    )
    return [
        Call(
            ticket=row.label,
            desk=row.desk.name if row.desk else "",
            announced_at=row.announced_at,
            # Changes when the ticket is announced again: the display says it anew.
            key=f"{row.uuid}-{row.recalls}",
        )
        for row in rows
        if row.announced_at is not None
    ]


def desk_services(*, actor: Agent, desk: Desk) -> frozenset[int]:
    """The ids of the desk's active services that the actor's teams serve."""
    return frozenset(
        desk.services.filter(team_id__in=actor.team_ids, is_active=True).values_list(
            "pk", flat=True
        )
    )


def desks_for_agent(*, agent: Agent) -> list[Desk]:
    """The active desks that serve a service of one of the agent's teams."""
    if not policy.may(agent, Action.DESK_WORK):
        return []
    return list(
        Desk.objects.filter(
            is_active=True,
            site__is_active=True,
            services__team_id__in=agent.team_ids,
            services__is_active=True,
        )
        .select_related("site")
        .distinct()
        .order_by("site__code", "code")
    )


def desk_get_for_agent(*, agent: Agent, key: object) -> Desk:
    """One desk the agent may work at (by public id), else `NotFound`."""
    parsed = parse_uuid(key)
    for desk in desks_for_agent(agent=agent):
        if desk.uuid == parsed:
            return desk
    raise NotFound(_("There is no such desk."))


@dataclass(frozen=True)
class QueueLine:
    service: Service
    waiting: int
    oldest: dt.datetime | None


@dataclass(frozen=True)
class DeskBoard:
    """What a desk's agent sees: the visitor being called, and who waits."""

    desk: Desk
    current: Ticket | None
    queue: list[QueueLine]
    served_today: int


def desk_board(*, agent: Agent, desk: Desk) -> DeskBoard:
    """The desk's current ticket and today's queue of the services the agent
    serves there (counts and the oldest arrival: tickets carry no names)."""
    services = desk_services(actor=agent, desk=desk)
    today = clock.today()
    current = (
        policy.visible(agent, Ticket.objects.filter(desk=desk, status=Status.CALLED))
        .select_related("service", "desk")
        .order_by("called_at")
        .first()
    )
    waiting = {
        row["service"]: row
        for row in Ticket.objects.filter(
            service_id__in=services, day=today, status=Status.WAITING
        )
        .values("service")
        .annotate(count=Count("id"), oldest=Min("issued_at"))
    }
    queue = [
        QueueLine(
            service=service,
            waiting=waiting.get(service.pk, {}).get("count", 0),
            oldest=waiting.get(service.pk, {}).get("oldest"),
        )
        for service in Service.objects.filter(pk__in=services).order_by("order")
    ]
    served = Ticket.objects.filter(
        desk=desk, day=today, status=Status.SERVED
    ).aggregate(count=Count("id", filter=Q(service_id__in=services)))["count"]
    return DeskBoard(desk=desk, current=current, queue=queue, served_today=served)


def ticket_for_desk(*, agent: Agent, desk: Desk, key: object) -> Ticket:
    """The ticket `key` (public id) called at `desk`, if the agent sees it."""
    parsed = parse_uuid(key)
    found = (
        policy.visible(agent, Ticket.objects.filter(uuid=parsed, desk=desk))
        .select_related("service", "desk")
        .first()
        if parsed is not None
        else None
    )
    if found is None:
        raise NotFound(_("No such ticket at this desk."))
    return found
