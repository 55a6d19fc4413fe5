"""The registries of the agent workspace: navigation sections and person tabs.

Each UI module registers what it adds (`register_section`, `register_person_tab`)
when it is imported; `UiConfig.ready` imports every module of `ui.views`. A new
domain's screens need its views module (`ui/views/<domain>.py`, which registers
them here), its URL module (`ui/urls/<domain>.py`, included in `ui/urls/__init__.py`)
and its templates (`ui/templates/ui/<domain>/`). What an agent sees is what the access policy lets them use: an entry whose action the
policy refuses is not shown, and an entry that is not registered (a screen not
built yet) does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise

from guichet.access import policy
from guichet.agents.models import Agent


@dataclass(frozen=True)
class Section:
    """One entry of the main navigation: a workspace the agent may open."""

    key: str
    label: str | Promise
    description: str | Promise
    url_name: str
    action: str | None  # None: every logged-in agent
    order: int

    @property
    def url(self) -> str:
        return reverse(self.url_name)


@dataclass(frozen=True)
class PersonTab:
    """One tab of the person 360° view, shown to agents the policy allows."""

    key: str
    label: str | Promise
    url_name: str
    action: str
    order: int

    def url(self, person_id: object) -> str:
        return reverse(self.url_name, args=[person_id])


_SECTIONS: dict[str, Section] = {}
_PERSON_TABS: dict[str, PersonTab] = {}


def register_section(section: Section) -> Section:
    if _SECTIONS.get(section.key, section) != section:
        raise ValueError(f"navigation section {section.key!r} is registered twice")
    _SECTIONS[section.key] = section
    return section


def register_person_tab(tab: PersonTab) -> PersonTab:
    if _PERSON_TABS.get(tab.key, tab) != tab:
        raise ValueError(f"person tab {tab.key!r} is registered twice")
    _PERSON_TABS[tab.key] = tab
    return tab


def sections_for(agent: Agent) -> list[Section]:
    """The sections this agent may use, in navigation order."""
    return [
        section
        for section in sorted(_SECTIONS.values(), key=lambda item: item.order)
        if section.action is None or policy.may(agent, section.action)
    ]


def person_tabs_for(agent: Agent) -> list[PersonTab]:
    """The tabs of the 360° view this agent may open (the person is already visible)."""
    return [
        tab
        for tab in sorted(_PERSON_TABS.values(), key=lambda item: item.order)
        if policy.may(agent, tab.action)
    ]


def all_sections() -> list[Section]:
    """Every registered section, whoever may use it (tests and the crawl walk them)."""
    return sorted(_SECTIONS.values(), key=lambda item: item.order)


def all_person_tabs() -> list[PersonTab]:
    """Every registered tab of the 360° view, whoever may open it."""
    return sorted(_PERSON_TABS.values(), key=lambda item: item.order)
