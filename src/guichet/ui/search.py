"""The global search bar: what the agent typed decides where to look.

A registry of providers. Each says which input it accepts (`accepts`), which policy
action it needs, and returns one group of hits through a selector (so the policy
filters and the access log records every read). Every provider that accepts the
input runs, and each gives its own group: "0471 23 45 67" is read both as a phone
number and, when its check digits fit, as an enterprise number.

Built-in: national number (11 digits), enterprise number (10 digits or BE...),
e-mail (contains @), phone (+ or 0 then digits), name (persons and organisations).
Dossier and request references do not exist yet: their apps will add a provider
here with `register_provider`, from their own `ui/views/<domain>.py`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.utils.functional import Promise

from guichet.access import policy
from guichet.agents.models import Agent
from guichet.core.text import fold

# Below this many characters (after trimming) the search does not run: one letter
# matches half the register and tells the agent nothing.
MIN_LENGTH = 2

_SEPARATORS = re.compile(r"[\s./-]+")
_NATIONAL_NUMBER = re.compile(r"^[0-9]{11}$")
_ENTERPRISE_NUMBER = re.compile(r"^(BE)?[0-9]{9,10}$")
_PHONE = re.compile(r"^(\+|0)[0-9]{6,15}$")


def compact(text: str) -> str:
    """The input without spaces, dots, slashes and dashes, upper case."""
    return _SEPARATORS.sub("", text).upper()


def looks_like_national_number(text: str) -> bool:
    return bool(_NATIONAL_NUMBER.match(compact(text)))


def looks_like_enterprise_number(text: str) -> bool:
    return bool(_ENTERPRISE_NUMBER.match(compact(text)))


def looks_like_email(text: str) -> bool:
    return "@" in text


def looks_like_phone(text: str) -> bool:
    return bool(_PHONE.match(compact(text.replace("(", "").replace(")", ""))))


def looks_like_name(text: str) -> bool:
    return "@" not in text and any(char.isalpha() for char in fold(text))


@dataclass(frozen=True)
class Hit:
    """One result: a title, a few facts to tell namesakes apart, and where it leads."""

    title: str
    url: str
    facts: Sequence[str] = ()
    badge: str | Promise = ""


@dataclass(frozen=True)
class Group:
    """The hits of one kind (persons by name, organisations by number, ...)."""

    key: str
    title: str | Promise
    hits: Sequence[Hit]
    has_more: bool = False


@dataclass(frozen=True)
class Provider:
    key: str
    title: str | Promise
    action: str
    accepts: Callable[[str], bool]
    search: Callable[..., tuple[Sequence[Hit], bool]]
    order: int


@dataclass
class Results:
    query: str
    groups: list[Group] = field(default_factory=list)
    too_short: bool = False

    @property
    def is_empty(self) -> bool:
        return not any(group.hits for group in self.groups)


_PROVIDERS: dict[str, Provider] = {}


def register_provider(provider: Provider) -> Provider:
    if _PROVIDERS.get(provider.key, provider) != provider:
        raise ValueError(f"search provider {provider.key!r} is registered twice")
    _PROVIDERS[provider.key] = provider
    return provider


def available_to(agent: Agent) -> bool:
    """True when the agent may use at least one provider."""
    return any(policy.may(agent, item.action) for item in _PROVIDERS.values())


def run(
    *,
    agent: Agent,
    query: str,
    only: str = "",
    page: int = 1,
    page_size: int,
) -> Results:
    """Every provider that accepts `query` and that the agent may use, in order.

    `only` names one provider (its key), to page through that group alone.
    """
    text = " ".join(query.split())
    results = Results(query=text)
    if len(text) < MIN_LENGTH:
        results.too_short = True
        return results
    for provider in sorted(_PROVIDERS.values(), key=lambda item: item.order):
        if only and provider.key != only:
            continue
        if not provider.accepts(text) or not policy.may(agent, provider.action):
            continue
        hits, has_more = provider.search(
            agent=agent, text=text, page=page, page_size=page_size
        )
        results.groups.append(
            Group(key=provider.key, title=provider.title, hits=hits, has_more=has_more)
        )
    return results
