"""Who sees what on screen (issue #11, item 11): every demo login over every section
and every tab of the 360° view, compared with the table of ARCHITECTURE.md ("Who
sees what"), which says for each role what it is shown and may open."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import translation

import pytest

from guichet.demo import builders, data
from guichet.ui import workspace
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

ARCHITECTURE = Path(__file__).resolve().parents[2] / "ARCHITECTURE.md"


def _table() -> dict[str, dict[str, bool]]:
    """role -> {section or tab label -> shown}, read from ARCHITECTURE.md."""
    text = ARCHITECTURE.read_text(encoding="utf-8")
    start = text.index("<!-- roles-on-screen")
    rows = []
    for line in text[start:].splitlines()[1:]:
        line = line.strip()
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip("|").split("|")])
    header, body = rows[0], rows[2:]
    return {
        row[0]: {
            name: cell == "✓" for name, cell in zip(header[1:], row[1:], strict=True)
        }
        for row in body
    }


TABLE = _table()


def test_the_table_names_every_role_section_and_tab() -> None:
    labels = {_name(section) for section in workspace.all_sections()} | {
        _name(tab) for tab in workspace.all_person_tabs()
    }
    assert set(next(iter(TABLE.values()))) == labels - {"Home"}
    roles = {role for agent in data.AGENTS for role in agent[4]}
    assert roles <= set(TABLE)


def _expected(roles: list[str]) -> dict[str, bool]:
    return {
        name: any(TABLE[role][name] for role in roles)
        for name in next(iter(TABLE.values()))
    }


def _name(entry: Any) -> str:
    """The entry's label in English, as the table names it (a request may have
    switched the language to the agent's)."""
    with translation.override("en"):
        return str(entry.label)


def _links(html: str) -> set[str]:
    return set(re.findall(r'href="([^"]+)"', html))


@pytest.mark.parametrize("login", [agent[0] for agent in data.AGENTS])
def test_each_demo_login_sees_and_opens_what_the_table_says(login: str) -> None:
    agents = builders.teams_and_agents(builders.Report())
    agent = agents[login]
    roles = next(spec[4] for spec in data.AGENTS if spec[0] == login)
    expected = _expected(roles)
    person = PersonFactory()
    client = Client()
    client.force_login(agent)
    home = client.get(reverse("ui:home")).content.decode()
    wrong: list[Any] = []
    for section in workspace.all_sections():
        name = _name(section)
        if name == "Home":
            continue
        shown = section.url in _links(home)
        if shown != expected[name]:
            wrong.append((name, "in the navigation" if shown else "missing"))
        if section.url_name == "admin:index":
            continue
        status = client.get(section.url).status_code
        if status != (200 if expected[name] else 403):
            wrong.append((name, status))
    search_box = 'id="global-search"' in home
    if search_box != expected["Persons"]:
        wrong.append(("search box", search_box))
    page = client.get(reverse("ui:person_detail", args=[person.uuid]))
    tabs_html = page.content.decode() if page.status_code == 200 else ""
    for tab in workspace.all_person_tabs():
        name = _name(tab)
        url = tab.url(person.uuid)
        if (url in _links(tabs_html)) != expected[name]:
            wrong.append((name, "tab shown" if expected[name] is False else "no tab"))
        status = client.get(url).status_code
        # A role that sees no person meets none (404: missing and forbidden look
        # the same); one that sees the person is refused the tab (403).
        refused = {403} if expected["Overview"] else {403, 404}
        if status not in ({200} if expected[name] else refused):
            wrong.append((name, status))
    assert not wrong, wrong
