"""Shapes shared by the domain grant tables (no decisions here)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from guichet.agents.models import Agent, FunctionLevel, RoleCode, level_at_least

R = RoleCode
L = FunctionLevel


@dataclass(frozen=True)
class Grant:
    """Who may do an action: any of `roles`, at `min_level` or above."""

    roles: frozenset[str]
    min_level: str = L.D

    def admits(self, agent: Agent) -> bool:
        return bool(self.roles & agent.role_codes) and level_at_least(
            agent.level, self.min_level
        )


def grant(*roles: str, min_level: str = L.D) -> Grant:
    return Grant(roles=frozenset(roles), min_level=min_level)


def _follow(obj: Any, path: str) -> Any:
    """The value at a Django lookup path (`person__confidential_team_id`) of a
    loaded object; None as soon as a link on the way is empty."""
    value = obj
    for part in path.split("__"):
        if value is None:
            return None
        value = getattr(value, part)
    return value


@dataclass(frozen=True)
class Rule:
    """A visibility rule written once, as both of its forms.

    `q(agent)` filters a queryset in the database; `test(agent, obj)` answers for
    one loaded object. Rules are built only from the primitives below (each written
    with its two forms side by side) and combined with `&` and `|`, so the two forms
    cannot drift apart; `tests/access/test_visibility.py` checks every registered
    kind against generated data all the same.
    """

    q: Callable[[Agent], Q]
    test: Callable[[Agent, Any], bool]

    def __and__(self, other: Rule) -> Rule:
        return Rule(
            q=lambda agent: self.q(agent) & other.q(agent),
            test=lambda agent, obj: self.test(agent, obj) and other.test(agent, obj),
        )

    def __or__(self, other: Rule) -> Rule:
        return Rule(
            q=lambda agent: self.q(agent) | other.q(agent),
            test=lambda agent, obj: self.test(agent, obj) or other.test(agent, obj),
        )


EVERYONE = Rule(q=lambda agent: Q(), test=lambda agent, obj: True)


def in_teams(path: str) -> Rule:
    """The team id at `path` is one of the agent's teams (`team_id`)."""
    return Rule(
        q=lambda agent: Q(**{f"{path}__in": agent.team_ids}),
        test=lambda agent, obj: _follow(obj, path) in agent.team_ids,
    )


def is_agent(path: str) -> Rule:
    """The agent id at `path` is the agent's own (`owner_id`)."""
    return Rule(
        q=lambda agent: Q(**{path: agent.pk}),
        test=lambda agent, obj: _follow(obj, path) == agent.pk,
    )


def value_in(path: str, values: Iterable[str]) -> Rule:
    """The value at `path` is one of `values` (a status)."""
    allowed = frozenset(values)
    return Rule(
        q=lambda agent: Q(**{f"{path}__in": sorted(allowed)}),
        test=lambda agent, obj: _follow(obj, path) in allowed,
    )


def via_person(path: str = "person") -> Rule:
    """Seen by whoever sees the person at `path` ("" for a person itself): a person
    who is not confidential, or confidential to one of the agent's teams. An object
    whose person link is empty (mail from an unknown sender) holds nobody's
    confidential data and is seen too (in SQL, the outer join makes the
    `confidential_team IS NULL` test true for it as well).
    """
    prefix = f"{path}__" if path else ""

    def not_confidential(agent: Agent, obj: Any) -> bool:
        person = _follow(obj, path) if path else obj
        return person is None or person.confidential_team_id is None

    public = Rule(
        q=lambda agent: Q(**{f"{prefix}confidential_team__isnull": True}),
        test=not_confidential,
    )
    return public | in_teams(f"{prefix}confidential_team_id")


@dataclass(frozen=True)
class Kind:
    """Visibility rule of one kind of object, keyed by its model label.

    `rule` answers both questions: which objects of a queryset the agent sees, and
    whether they see one loaded object. `actions` are the actions that may be asked
    about an object of this kind. `action_rules` narrows some of them further: an
    agent who sees the object may do such an action only on the objects its rule
    admits as well (anyone who sees an issued letter may read it, only its own
    service sends it).
    """

    view_action: str
    rule: Rule
    actions: frozenset[str] = field(default_factory=frozenset)
    action_rules: Mapping[str, Rule] = field(default_factory=dict)

    def visible_q(self, agent: Agent) -> Q:
        return self.rule.q(agent)

    def is_visible(self, agent: Agent, obj: Any) -> bool:
        return self.rule.test(agent, obj)

    def action_q(self, agent: Agent, action: str) -> Q:
        """The objects (among those seen) on which `action` may be done."""
        rule = self.action_rules.get(action)
        return rule.q(agent) if rule is not None else Q()

    def permits(self, agent: Agent, action: str, obj: Any) -> bool:
        """Whether `action` may be done on this object, which the agent sees."""
        rule = self.action_rules.get(action)
        return rule is None or rule.test(agent, obj)


# Everyone who serves citizens reads and registers persons and organisations.
CITIZEN_FACING = (
    R.FIRST_LINE,
    R.SECOND_LINE,
    R.FRONT_OFFICE,
    R.SUPPORT_AGENT,
    R.DOSSIER_HANDLER,
    R.PAYMENT_AGENT,
    R.SUPERVISOR,
)


NOTHING = Q(pk__in=[])
EVERYTHING = Q(pk__isnull=False)


def admitted(by: Grant) -> Rule:
    """Every object, for an agent `by` admits (an author sees every draft);
    none otherwise. The "everything" filter is a real condition, not an empty
    `Q()`, which `|` would drop."""
    return Rule(
        q=lambda agent: EVERYTHING if by.admits(agent) else NOTHING,
        test=lambda agent, obj: by.admits(agent),
    )
