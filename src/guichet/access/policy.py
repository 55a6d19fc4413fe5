"""The access policy: the only code that decides who may do what, and see what.

Two questions, one answer each:
- `may(agent, action, obj=None)`: may this agent do this action (on this object)?
- `visible(agent, queryset)`: which objects of this kind may this agent see (and,
  with `for_action=`, also do that action on)?

Both read the grant tables and visibility rules of `access.domains` (one module per
domain). Deny by default: an unknown action, an inactive or anonymous agent, an
object kind without a visibility rule, all answer no. Every other app asks here;
nothing else decides access. `register_rules` exposes each action to django-rules,
so `agent.has_perm("person.view", person)` agrees.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeGuard, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from rules.permissions import set_perm
from rules.predicates import predicate

from guichet.agents.models import Agent
from guichet.core.errors import Forbidden

from .domains import MODULES
from .domains.base import Grant, Kind

M = TypeVar("M", bound=models.Model)


def _gather() -> tuple[dict[str, Grant], dict[str, Kind]]:
    grants: dict[str, Grant] = {}
    kinds: dict[str, Kind] = {}
    for module in MODULES:
        for name, rule in module.GRANTS.items():
            if name in grants:
                raise ValueError(f"action {name!r} is granted by two domain modules")
            grants[str(name)] = rule
        for label, kind in module.KINDS.items():
            if label in kinds:
                raise ValueError(
                    f"object kind {label!r} is ruled by two domain modules"
                )
            kinds[label] = kind
    return grants, kinds


def _gather_admin_models() -> dict[str, str]:
    """Django admin's model permissions, from every domain module that has any."""
    found: dict[str, str] = {}
    for module in MODULES:
        for label, action in getattr(module, "ADMIN_MODELS", {}).items():
            if label in found:
                raise ValueError(
                    f"admin model {label!r} is ruled by two domain modules"
                )
            found[label] = action
    return found


GRANTS, KINDS = _gather()
ADMIN_MODELS = _gather_admin_models()


# Who may be asked about: an agent, or whatever else reaches the policy (an
# anonymous user, None for the installation itself), which may do nothing.
Someone = Agent | AnonymousUser | None


def _is_acting_agent(agent: Someone) -> TypeGuard[Agent]:
    return isinstance(agent, Agent) and agent.is_active


def may(agent: Someone, action: str, obj: models.Model | None = None) -> bool:
    """May `agent` do `action` (on `obj`, when given)? Deny by default."""
    if not _is_acting_agent(agent):
        return False
    grant = GRANTS.get(str(action))
    if grant is None:
        return False
    if not grant.admits(agent):
        return False
    if obj is None:
        return True
    kind = KINDS.get(obj._meta.label_lower)
    if kind is None:
        return False
    if str(action) not in kind.actions:
        return False
    if not GRANTS[kind.view_action].admits(agent):
        return False
    return kind.is_visible(agent, obj) and kind.permits(agent, str(action), obj)


def require(agent: Someone, action: str, obj: models.Model | None = None) -> None:
    """Raise `Forbidden` unless `may(agent, action, obj)`: what a service asks first."""
    if not may(agent, action, obj):
        raise Forbidden(_("You may not do this."))


def allowed(agent: Someone, obj: models.Model) -> frozenset[str]:
    """Every action of its kind that `agent` may do on `obj` (empty when the agent
    may not see it): one visibility test, then the grant table."""
    if not _is_acting_agent(agent):
        return frozenset()
    kind = KINDS.get(obj._meta.label_lower)
    if kind is None or not GRANTS[kind.view_action].admits(agent):
        return frozenset()
    if not kind.is_visible(agent, obj):
        return frozenset()
    return frozenset(
        action
        for action in kind.actions
        if GRANTS[action].admits(agent) and kind.permits(agent, action, obj)
    )


@dataclass(frozen=True)
class Seen(Generic[M]):
    """An object an agent may see, with the actions they may take on it.

    Selectors return it, so a view renders its buttons from `actions` instead of
    asking the policy again for each one; a template tests
    `{% if "person.edit_identity" in seen.actions %}`.
    """

    obj: M
    actions: frozenset[str]

    def may(self, action: str) -> bool:
        return str(action) in self.actions

    def require(self, action: str) -> None:
        """Raise `Forbidden` unless the agent may do `action` on the object."""
        if not self.may(action):
            raise Forbidden(_("You may not do this."))


def seen(agent: Someone, obj: M) -> Seen[M]:
    """`obj`, which the caller found among what `agent` may see, with its actions."""
    return Seen(obj=obj, actions=allowed(agent, obj))


def visible(
    agent: Someone, queryset: models.QuerySet[M], *, for_action: str | None = None
) -> models.QuerySet[M]:
    """The part of `queryset` this agent may see (empty when they may see none);
    with `for_action`, only the objects on which they may also do that action."""
    kind = KINDS.get(queryset.model._meta.label_lower)
    if kind is None:
        return queryset.none()
    if not _is_acting_agent(agent) or not may(agent, kind.view_action):
        return queryset.none()
    if for_action is None:
        return queryset.filter(kind.visible_q(agent))
    if str(for_action) not in kind.actions or not may(agent, for_action):
        return queryset.none()
    return queryset.filter(kind.visible_q(agent) & kind.action_q(agent, for_action))


def admin_apps() -> set[str]:
    return {label.split(".")[0] for label in ADMIN_MODELS}


def register_rules() -> None:
    """Expose every action, and the admin's model permissions, to django-rules."""
    for action in GRANTS:
        set_perm(action, _predicate(action))
    for label, action in ADMIN_MODELS.items():
        app_label, model = label.split(".")
        for verb in ("view", "add", "change", "delete"):
            set_perm(f"{app_label}.{verb}_{model}", _predicate(action))


def _predicate(action: str) -> Any:
    @predicate
    def check(agent: Agent, obj: Any = None) -> bool:
        # Admin permissions concern the model, not one citizen's object.
        if obj is not None and obj._meta.label_lower in ADMIN_MODELS:
            return may(agent, action)
        return may(agent, action, obj)

    check.__name__ = f"may_{action.replace('.', '_')}"
    return check
