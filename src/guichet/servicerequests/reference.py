"""The reference data a request creation reads, cached in the process.

Creating a request reads the active topics (and their parents, to route by an
ancestor topic), the routing rules with their teams, the service-level rules and
the teams (the one the agent acts for):
a few hundred rows that change a few times a year. ADR 0005 leaves about 6 ms of
CPU per creation, so they are built into Python objects once per process and
reused while one small query (written out in SQL: compiling it through the ORM
cost more than running it) says nothing changed: for each table, its row count
and latest `updated_at`. Every writer of these tables saves through the ORM or
the admin (`auto_now`), so a change made in any process, or a row removed, is
seen at the next creation in every process. `reference_clear` forgets the cache.
"""

from __future__ import annotations

import threading
import uuid as uuid_module
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Model

from guichet.agents.models import Team
from guichet.contacts.models import Topic
from guichet.core.validation import parse_uuid

from .models import Request, RoutingRule, ServiceLevelRule

_TABLES: tuple[type[Model], ...] = (Topic, RoutingRule, ServiceLevelRule, Team)


@dataclass(frozen=True)
class Reference:
    """Active topics by id and by (team, code), active rules, every team by id, in
    memory."""

    topics: dict[uuid_module.UUID, Topic] = field(default_factory=dict)
    topic_codes: dict[tuple[int | None, str], Topic] = field(default_factory=dict)
    routing: tuple[RoutingRule, ...] = ()
    levels: dict[str, tuple[ServiceLevelRule, ...]] = field(default_factory=dict)
    teams: dict[int, Team] = field(default_factory=dict)
    # Every topic and service-level rule by id, used or not: what a listed request
    # points at (`attach`).
    topic_ids: dict[int, Topic] = field(default_factory=dict)
    level_ids: dict[int, ServiceLevelRule] = field(default_factory=dict)

    def attach(self, requests: Iterable[Request]) -> None:
        """Give each request its topic, service, service-level rule and complaint
        service from memory, so that a list or a request page joins none of them
        (joining them cost PostgreSQL more to plan than to run the whole query:
        bench/RESULTS.md). One the cache does not hold yet (created since its
        check) is left to be read on use."""
        for request in requests:
            topic = self.topic_ids.get(request.topic_id)
            if topic is not None:
                request.topic = topic
            team = self.teams.get(request.team_id)
            if team is not None:
                request.team = team
            if request.service_level_rule_id is not None:
                level = self.level_ids.get(request.service_level_rule_id)
                if level is not None:
                    request.service_level_rule = level
            if request.complaint_service_id is not None:
                service = self.teams.get(request.complaint_service_id)
                if service is not None:
                    request.complaint_service = service

    def topic(self, value: str, team: Team) -> Topic | None:
        """An active topic the team uses (its own or a shared one), by id or code:
        the same answer as `contacts.services.topic_for`."""
        parsed = parse_uuid(value)
        if parsed is not None:
            found = self.topics.get(parsed)
            if found is not None and found.team_id in (None, team.pk):
                return found
            return None
        return self.topic_codes.get((team.pk, value)) or self.topic_codes.get(
            (None, value)
        )


_lock = threading.Lock()
_cached: tuple[tuple[object, ...], Reference] | None = None


def _fingerprint_sql() -> str:
    parts = []
    for model in _TABLES:
        table = connection.ops.quote_name(model._meta.db_table)
        parts.append(f"(SELECT COUNT(*) FROM {table})")  # noqa: S608 - names from the models
        parts.append(f"(SELECT MAX(updated_at) FROM {table})")  # noqa: S608
    return "SELECT " + ", ".join(parts)


def _fingerprint() -> tuple[object, ...]:
    with connection.cursor() as cursor:
        cursor.execute(_fingerprint_sql())
        row = cursor.fetchone()
    return tuple(row or ())


def _build() -> Reference:
    topics = list(Topic.objects.all())
    by_pk = {topic.pk: topic for topic in topics}
    for topic in topics:
        # The parent walk of `rules.topic_lineage` then reads no row.
        topic.parent = by_pk.get(topic.parent_id) if topic.parent_id else None
    active = [topic for topic in topics if topic.is_active]
    codes = {(topic.team_id, topic.code): topic for topic in active}
    levels: dict[str, list[ServiceLevelRule]] = {}
    every_level = list(ServiceLevelRule.objects.order_by("pk"))
    for level in every_level:
        if level.is_active:
            levels.setdefault(level.kind, []).append(level)
    return Reference(
        topics={topic.uuid: topic for topic in active},
        topic_codes=codes,
        routing=tuple(
            RoutingRule.objects.filter(is_active=True)
            .select_related("team")
            .order_by("order", "pk")
        ),
        levels={kind: tuple(rows) for kind, rows in levels.items()},
        teams={team.pk: team for team in Team.objects.all()},
        topic_ids=by_pk,
        level_ids={level.pk: level for level in every_level},
    )


def reference() -> Reference:
    """The cached reference data, rebuilt when any of its tables changed."""
    global _cached
    key = _fingerprint()
    with _lock:
        cached = _cached
    if cached is not None and cached[0] == key:
        return cached[1]
    built = _build()
    with _lock:
        _cached = (key, built)
    return built


def reference_clear() -> None:
    global _cached
    with _lock:
        _cached = None
