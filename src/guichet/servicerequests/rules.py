"""Which queue and which service level a new request gets (reads reference data).

Both are chosen by specificity: a rule naming the request's own topic beats one
naming an ancestor topic, which beats one naming no topic; then a rule naming the
language (routing) or the priority beats one that does not; then the lowest `order`
(routing) or id. Only active rules take part; a request keeps the service-level rule
it was created under (its foreign key), so a later change applies to new requests.
"""

from __future__ import annotations

from collections.abc import Sequence

from guichet.agents.models import Team
from guichet.contacts.models import Topic

from .models import RoutingRule, ServiceLevelRule


def topic_lineage(topic: Topic) -> list[int]:
    """The topic's id, then its parent's, up to the root (a cycle stops the walk)."""
    lineage: list[int] = []
    current: Topic | None = topic
    while current is not None and current.pk not in lineage:
        lineage.append(current.pk)
        current = current.parent
    return lineage


def _topic_rank(topic_id: int | None, lineage: Sequence[int]) -> int | None:
    """0 for the request's own topic, 1 for its parent...; len for "any topic";
    None when the rule names an unrelated topic."""
    if topic_id is None:
        return len(lineage)
    try:
        return lineage.index(topic_id)
    except ValueError:
        return None


def route(
    *, topic: Topic, language: str, priority: str, rules: Sequence[RoutingRule]
) -> Team | None:
    """The team whose queue receives the request, or None when no rule matches."""
    lineage = topic_lineage(topic)
    best: tuple[int, int, int, int, int] | None = None
    chosen: RoutingRule | None = None
    for rule in rules:
        if not rule.is_active:
            continue
        rank = _topic_rank(rule.topic_id, lineage)
        if rank is None:
            continue
        if rule.language and rule.language != language:
            continue
        if rule.priority and rule.priority != priority:
            continue
        key = (
            rank,
            0 if rule.language else 1,
            0 if rule.priority else 1,
            rule.order,
            rule.pk,
        )
        if best is None or key < best:
            best, chosen = key, rule
    return chosen.team if chosen is not None else None


def service_level_for(
    *, kind: str, topic: Topic, priority: str, rules: Sequence[ServiceLevelRule]
) -> ServiceLevelRule | None:
    """The service-level rule a new request of this kind, topic and priority gets."""
    lineage = topic_lineage(topic)
    best: tuple[int, int, int] | None = None
    chosen: ServiceLevelRule | None = None
    for rule in rules:
        if not rule.is_active or rule.kind != kind:
            continue
        rank = _topic_rank(rule.topic_id, lineage)
        if rank is None:
            continue
        if rule.priority and rule.priority != priority:
            continue
        key = (rank, 0 if rule.priority else 1, rule.pk)
        if best is None or key < best:
            best, chosen = key, rule
    return chosen
