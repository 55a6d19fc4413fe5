"""Shapes shared by the domain grant tables (no decisions here)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from guichet.agents.models import FunctionLevel, RoleCode, level_at_least

R = RoleCode
L = FunctionLevel


@dataclass(frozen=True)
class Grant:
    """Who may do an action: any of `roles`, at `min_level` or above."""

    roles: frozenset[str]
    min_level: str = L.D

    def admits(self, agent: Any) -> bool:
        return bool(self.roles & agent.role_codes) and level_at_least(
            agent.level, self.min_level
        )


def grant(*roles: str, min_level: str = L.D) -> Grant:
    return Grant(roles=frozenset(roles), min_level=min_level)


@dataclass(frozen=True)
class Kind:
    """Visibility rule of one kind of object, keyed by its model label.

    `visible_q(agent)` filters a queryset; `is_visible(agent, obj)` answers for one
    loaded object. They must agree (a Hypothesis test per kind checks it).
    `actions` are the actions that may be asked about an object of this kind.
    """

    view_action: str
    visible_q: Callable[[Any], Q]
    is_visible: Callable[[Any, Any], bool]
    actions: frozenset[str] = field(default_factory=frozenset)


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
