"""Every screen each kind of agent can reach, checked in the browser.

The demo data set is loaded, and for one demo agent of each role (the highest
level of that role, who sees the most) the crawl opens every navigation section
and every tab of the 360° view that the workspace registries (`ui/workspace.py`)
offer that agent: screens that other issues register are crawled without a change
here. Each page must answer without error and pass axe-core, raise no CSP
violation or script error (the `ui` fixture), and be usable with the keyboard
alone: Tab reaches every control, in the order of the page, and no control jumps
the queue with a positive tabindex.
"""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from guichet.access import policy
from guichet.agents.models import LEVEL_RANK, Agent
from guichet.demo import builders, data
from guichet.parties.models import Person
from guichet.ui import workspace

from .conftest import Browser, _in_flight

# Tabs every control of the page and records, in order, the controls that got the
# focus. Radio buttons of one group are one stop (Tab enters a group once).
_MARK_CONTROLS = """() => {
    const selector = 'a[href], area[href], button, input, select, textarea, iframe,'
        + ' summary, [tabindex], [contenteditable="true"]';
    // Not hidden, and not inside a closed <details> (whose summary is a control).
    const shown = (el) => el.checkVisibility({ visibilityProperty: true });
    const controls = [];
    const groups = new Map();
    for (const el of document.querySelectorAll(selector)) {
        if (el.disabled || el.tabIndex < 0 || el.type === "hidden") continue;
        if (!shown(el) || el.closest("[inert]")) continue;
        if (el.type === "radio" && el.name) {
            if (groups.has(el.name)) {
                el.setAttribute("data-e2e-control", groups.get(el.name));
                continue;
            }
            groups.set(el.name, String(controls.length));
        }
        el.setAttribute("data-e2e-control", String(controls.length));
        controls.push(el);
    }
    window.__e2eFocus = [];
    document.addEventListener("focusin", (event) => {
        const control = event.target.closest("[data-e2e-control]");
        if (control) window.__e2eFocus.push(Number(control.dataset.e2eControl));
    });
    // The walk starts before the first control, whatever has the focus now. A
    // blur() would leave Chromium's sequential navigation starting point on the
    // element that had it: on the home page the search field, focused by its
    // autofocus (or not yet, when the browser is slow to run it), so the first
    // Tab went after it or to the top, depending on timing. A focused element
    // also keeps a late autofocus from taking the focus during the walk.
    const start = document.createElement("span");
    start.tabIndex = -1;
    document.body.prepend(start);
    start.focus();
    return {
        started: document.activeElement === start,
        count: controls.length,
        positive: [...document.querySelectorAll("[tabindex]")]
            .filter((el) => el.tabIndex > 0).map((el) => el.outerHTML.slice(0, 120)),
        names: controls.map((el) => el.outerHTML.slice(0, 120)),
    };
}"""


def check_keyboard_order(ui: Browser, context: str) -> None:
    """Tab through the page from its top: every control is reached, one after the
    other, in the order of the page."""
    found = ui.page.evaluate(_MARK_CONTROLS)
    assert found["started"], f"could not put the focus at the top of {context}"
    assert found["positive"] == [], f"positive tabindex on {context}"
    count = found["count"]
    # A date field takes one Tab per part (day, month, year): press until the last
    # control had the focus, within a generous budget.
    visited: list[int] = []
    for _ in range(count + 10):
        for _ in range(5):
            ui.page.keyboard.press("Tab")
        visited = []
        for index in ui.page.evaluate("() => window.__e2eFocus"):
            if not visited or visited[-1] != index:
                visited.append(index)
        if count - 1 in visited:
            break
    # Past the last control Tab leaves the page and comes back to the first: the
    # walk is judged up to the last control.
    walk = visited[: visited.index(count - 1) + 1] if count - 1 in visited else visited
    missed = sorted(set(range(count)) - set(walk))
    assert not missed, (
        f"Tab never reaches on {context} (visited {visited}): "
        + ", ".join(found["names"][index] for index in missed)
    )
    for step, got in enumerate(walk):
        assert got == step, (
            f"Tab jumps on {context} from "
            + (found["names"][walk[step - 1]] if step else "the top of the page")
            + f" to {found['names'][got]} (visited {walk})"
        )


def agents_by_role() -> list[Agent]:
    """One demo agent per role: the one with the highest function level."""
    rank = LEVEL_RANK
    chosen: dict[str, tuple[int, str]] = {}
    for username, _first, _last, level, roles, *_rest in data.AGENTS:
        for role in roles:
            if role not in chosen or rank[level] > chosen[role][0]:
                chosen[role] = (rank[level], username)
    usernames = sorted({username for _rank, username in chosen.values()})
    return list(Agent.objects.filter(username__in=usernames).order_by("username"))


def persons_to_open(agent: Agent) -> list[Person]:
    """A person with debts and one with letters (the demo's), when visible."""
    specs = builders.person_specs()
    numbers = [specs[4].identity.national_number]
    recipient = (
        Person.objects.filter(confidential_team__isnull=True, addresses__isnull=False)
        .order_by("national_number")
        .first()
    )
    if recipient is not None:
        numbers.append(recipient.national_number)
    visible = policy.visible(agent, Person.objects.filter(national_number__in=numbers))
    return list(visible.order_by("national_number"))


def test_every_section_and_tab_is_accessible_and_keyboard_usable(
    ui: Browser, demo: Any
) -> None:
    agents = agents_by_role()
    roles = {
        role
        for *_head, roles, _teams, _leads, _language in data.AGENTS
        for role in roles
    }
    assert {
        code for agent in agents for code in agent.roles.values_list("code", flat=True)
    } == roles
    crawled = 0
    for agent in agents:
        ui.page.context.clear_cookies()
        ui.login(agent.username, data.DEMO_PASSWORD)
        for section in workspace.sections_for(agent):
            context = f"section {section.key} as {agent.username}"
            response = ui.go(section.url)
            assert response.status == 200, context
            ui.check_accessibility(context)
            check_keyboard_order(ui, context)
            crawled += 1
        tabs = workspace.person_tabs_for(agent)
        for number, person in enumerate(persons_to_open(agent)):
            for tab in tabs:
                context = f"tab {tab.key} of person {number} as {agent.username}"
                response = ui.go(tab.url(person.uuid))
                assert response.status == 200, context
                ui.check_accessibility(context)
                if number == 0:
                    check_keyboard_order(ui, context)
                crawled += 1
    assert crawled >= len(agents) * 2


def test_shortcuts_reach_the_search_and_htmx_posts_carry_the_csrf_token(
    ui: Browser, demo: Any
) -> None:
    ui.login("first.fr", data.DEMO_PASSWORD)
    ui.go("/organisations/")
    search = ui.page.locator("#global-search")
    ui.page.locator("h1").click()
    ui.page.keyboard.press("Alt+k")
    expect(search).to_be_focused()
    ui.page.locator("h1").click()
    ui.page.keyboard.press("/")
    expect(search).to_be_focused()
    # "/" typed in a field is a character, not the shortcut.
    with ui.page.expect_response(lambda answer: "q=a%2Fb" in answer.url):
        ui.page.keyboard.type("a/b")
    expect(search).to_have_value("a/b")
    # Typing sent a search per letter; htmx drops the superseded ones, but the live
    # server still runs them. On SQLite its threads share one in-memory connection,
    # and the language switch below, written beside a search still running, failed
    # with "database table is locked" (a loaded machine, 2026-12-04): it waits.
    assert _in_flight.wait_idle(), "the live server still handles a search"

    # An htmx POST (the language switch, sent by htmx instead of its form) passes
    # Django's CSRF check only with the header guichet.js adds.
    with ui.page.expect_response(re.compile(r"/language/$")) as answer:
        ui.page.evaluate(
            """() => htmx.ajax("POST", "/language/", {
                values: {language: "de", next: "/home/"}, swap: "none",
            })"""
        )
    assert answer.value.status == 302
    assert Agent.objects.get(username="first.fr").language == "de"


def test_finds_demo_persons_with_the_keyboard_in_under_three_keystrokes(
    ui: Browser, demo: Any
) -> None:
    """In the browser, as the agent types: the name, a space, the other name's
    first letter, then Enter opens the person (the whole demo population is
    counted in tests/ui/test_search_keystrokes.py)."""
    ui.login("first.fr", data.DEMO_PASSWORD)
    search = ui.page.locator("#global-search")
    persons = list(
        Person.objects.filter(confidential_team__isnull=True).order_by(
            "national_number"
        )
    )[::40]
    for person in persons:
        namesakes = Person.objects.filter(
            surname=person.surname, given_names=person.given_names
        ).count()
        if namesakes > 1:
            continue
        ui.go("/home/")
        expect(search).to_be_focused()
        typed = ""
        for first, second in (
            (person.surname, person.given_names),
            (person.given_names, person.surname),
        ):
            for extra in range(2):
                candidate = f"{first} {second}"[: len(first) + 2 + extra]
                search.fill("")
                search.press_sequentially(candidate, delay=15)
                panel = ui.page.locator(
                    f'#search-suggestions .suggestions-panel[data-query="{candidate}"]'
                )
                expect(panel).to_have_count(1)
                first_hit = panel.locator("a[data-hit]").first
                if first_hit.get_attribute("href") == f"/persons/{person.uuid}/":
                    typed = candidate
                    break
            if typed:
                break
        assert typed, f"{person} is not first after a name and two more letters"
        ui.page.keyboard.press("Enter")
        ui.page.wait_for_url(f"**/persons/{person.uuid}/")
        expect(ui.page.get_by_role("heading", level=1)).to_have_text(str(person))
