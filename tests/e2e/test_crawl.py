"""Every screen each kind of agent can reach, checked in the browser.

The demo data set is loaded, and for one demo agent of each role (the highest
level of that role, who sees the most) the crawl opens every navigation section
and every tab of the 360° view that the workspace registries (`ui/workspace.py`)
offer that agent: screens that other issues register are crawled without a change
here. Each page must answer without error for every role that reaches it, and,
for the first of them (the roles with the most sections go first: they see the
most controls), pass axe-core, raise no CSP violation or script error (the `ui`
fixture), and be usable with the keyboard alone: Tab reaches every control, in the
order of the page, and no control jumps the queue with a positive tabindex. The
same screens are then shown in the four languages at 390 and 1280 pixels wide,
once each, and no text may be clipped or run out of its box or the window
(`check_text_fits`).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.utils import timezone

import pytest
from playwright.sync_api import expect

from guichet.access import policy
from guichet.agents.models import LEVEL_RANK, Agent
from guichet.contacts.models import Contact
from guichet.debts.models import Debt
from guichet.demo import builders, data
from guichet.documents.models import Document, Specimen
from guichet.dossiers.models import Dossier
from guichet.knowledge.models import Article
from guichet.parties.models import Person
from guichet.payments import services as payment_services
from guichet.payments.models import PaymentRun
from guichet.servicerequests.models import Request
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

# Long, and tracing it adds nothing: `scripts/run-tests` runs it in the untraced step.
pytestmark = pytest.mark.untraced


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


# Every text of the page that does not fit: clipped by a box that hides its
# overflow, cut short by an ellipsis, running out of its box (into the next card)
# or out of the window, and a page wider than the window. A box that scrolls
# (`overflow: auto`) keeps its text reachable: it must fit itself. Text hidden on
# purpose (the screen-reader-only `clip` pattern, a skip link parked off screen) is
# left out, and so are form fields, whose text scrolls inside them.
_TEXT_THAT_DOES_NOT_FIT = r"""() => {
    const problems = [];
    const viewport = document.documentElement.clientWidth;
    const slack = 1;
    const name = (el) => {
        let text = el.tagName.toLowerCase();
        if (el.id) return text + "#" + el.id;
        for (const cls of el.classList) text += "." + cls;
        return text;
    };
    const path = (el) => el.parentElement && el.parentElement !== document.body
        ? name(el.parentElement) + " > " + name(el) : name(el);
    const meantHidden = (el) => {
        for (let node = el; node; node = node.parentElement) {
            const style = getComputedStyle(node);
            if (style.clipPath !== "none" || style.clip !== "auto") return true;
        }
        return false;
    };
    const width = document.documentElement.scrollWidth;
    if (width > viewport + slack) {
        problems.push(`the page scrolls sideways: ${width} px in a ${viewport} px window`);
    }
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let text = walker.nextNode(); text; text = walker.nextNode()) {
        const el = text.parentElement;
        if (!el || !text.data.trim() || el.closest("script, style, template, select, textarea")) {
            continue;
        }
        if (!el.checkVisibility({ visibilityProperty: true, opacityProperty: true })) continue;
        const range = document.createRange();
        range.selectNodeContents(text);
        const rect = range.getBoundingClientRect();
        if (rect.width === 0 || rect.right <= 0 || rect.bottom <= 0 || meantHidden(el)) {
            continue;
        }
        const sample = text.data.trim().replace(/\s+/g, " ").slice(0, 40);
        const why = (() => {
            let left = rect.left;
            let right = rect.right;
            for (let box = el; box !== document.documentElement; box = box.parentElement) {
                const style = getComputedStyle(box);
                if (box === el && style.textOverflow === "ellipsis"
                        && box.scrollWidth > box.clientWidth + slack) {
                    return "is cut short by an ellipsis";
                }
                if (style.display === "inline" || style.display === "contents") continue;
                const edge = box.getBoundingClientRect();
                const outside = right > edge.right + slack || left < edge.left - slack;
                if (style.overflowX === "hidden" || style.overflowX === "clip") {
                    if (outside) return `is clipped by ${name(box)}`;
                } else if (style.overflowX === "auto" || style.overflowX === "scroll") {
                    // Scrolled into view inside its own box, which must fit.
                    left = edge.left;
                    right = edge.right;
                } else if (outside) {
                    return `runs out of ${name(box)} (${Math.round(left)}..${Math.round(right)}`
                        + ` px, the box ${Math.round(edge.left)}..${Math.round(edge.right)})`;
                }
                // Out of the flow (a drop-down, the admin's side column): it may lie
                // over its parent's edge, and only the window bounds it.
                if (style.position === "absolute" || style.position === "fixed"
                        || style.float !== "none") {
                    break;
                }
            }
            if (right > viewport + slack || left < -slack) {
                return `runs out of the ${viewport} px window (${Math.round(left)}..${Math.round(right)})`;
            }
            return null;
        })();
        if (why) problems.push(`"${sample}" in ${path(el)} ${why}`);
    }
    return problems;
}"""


def text_that_does_not_fit(ui: Browser) -> list[str]:
    """Each text of the page that is clipped or overflows its box, described."""
    problems: list[str] = ui.page.evaluate(_TEXT_THAT_DOES_NOT_FIT)
    return problems


def check_text_fits(ui: Browser, context: str) -> None:
    """Fail when any text of the page is clipped or overflows its box."""
    problems = text_that_does_not_fit(ui)
    assert not problems, f"text does not fit on {context}:\n" + "\n".join(problems)


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


def cashbook_pages(agent: Agent) -> list[str]:
    """The closing screen of the agent's first counter, reached from the counter."""
    return ["/cashbook/closing/"] if policy.may(agent, "cashbook.view") else []


def payments_pages(agent: Agent) -> list[str]:
    """The office's lists and a run's review page (issue #18). The demo has no run:
    the first agent who may prepare one prepares last month's, through the service."""
    if not policy.may(agent, "payment.run_view"):
        return []
    pages = ["/payments/lists/", "/payments/lists/?kind=maximum"]
    run = policy.visible(agent, PaymentRun.objects.all()).order_by("id").first()
    if run is None and policy.may(agent, "payment.run_prepare"):
        today = timezone.localdate().replace(day=1) - dt.timedelta(days=1)
        run = payment_services.run_prepare(
            actor=agent,
            month=f"{today.year:04d}-{today.month:02d}",
            team_code="payment-office",
        )
    if run is not None:
        pages.append(f"/payments/runs/{run.uuid}/")
        pages.append(f"/payments/runs/{run.uuid}/rejects/")
    return pages


# The screens of pages_beyond_the_registries that the clipping test shows too.
_KINDS_IN_EVERY_LANGUAGE = {
    "request": re.compile(r"/requests/[^/]+/"),
    "article": re.compile(r"/knowledge/[0-9a-f-]{36}/"),
    "review": re.compile(r"/knowledge/review/"),
    "feedback": re.compile(r"/knowledge/feedback/"),
    "debt": re.compile(r"/debts/[0-9a-f-]{36}/"),
    "debt_register": re.compile(r"/persons/[0-9a-f-]{36}/debts/new/"),
}


def pages_once_per_kind(agent: Agent, seen: set[str]) -> list[str]:
    """Screens reached from a list whose texts depend on the language more than on
    the agent: a request with its suggestions and standard answers, an article,
    the review queue and the feedback (issue #15). Shown in every language for the
    first agent who reaches each, not for every role (each costs eight views)."""
    chosen = []
    for path in pages_beyond_the_registries(agent):
        for kind, pattern in _KINDS_IN_EVERY_LANGUAGE.items():
            if kind not in seen and pattern.fullmatch(path):
                seen.add(kind)
                chosen.append(path)
    return chosen


def pages_beyond_the_registries(agent: Agent) -> list[str]:
    """The screens reached from a list rather than the navigation: a request the
    agent sees and the contact screens (issue #13), a dossier's workbench (#14), the
    cash book's closing, a debt and the registration of one (#18), the payment
    office's runs and lists (#18)."""
    pages = cashbook_pages(agent) + payments_pages(agent)
    if policy.may(agent, "request.view"):
        request = (
            policy.visible(agent, Request.objects.filter(team_id__in=agent.team_ids))
            .order_by("id")
            .first()
        )
        if request is not None:
            pages.append(f"/requests/{request.reference}/")
    if policy.may(agent, "contact.view"):
        contact = (
            policy.visible(agent, Contact.objects.filter(team_id__in=agent.team_ids))
            .order_by("id")
            .first()
        )
        if contact is not None:
            pages.append(f"/contacts/{contact.uuid}/")
    if policy.may(agent, "dossier.view"):
        dossier = (
            policy.visible(agent, Dossier.objects.filter(team_id__in=agent.team_ids))
            .order_by("id")
            .first()
        )
        if dossier is not None:
            pages.append(f"/dossiers/{dossier.reference}/")
    if policy.may(agent, "specimen.view"):
        # The register of specimens (issue #14): a specimen, and the demo's
        # certificate beside a specimen valid when it was issued.
        specimen = Specimen.objects.filter(withdrawn_at__isnull=True).order_by("id")[0]
        pages.append(f"/specimens/{specimen.uuid}/")
        document = policy.visible(
            agent, Document.objects.filter(document_number="DEMO-LEG-0001")
        ).first()
        if document is not None:
            pages.append(
                f"/documents/{document.uuid}/compare/?specimen={specimen.uuid}"
            )
    if policy.may(agent, "specimen.manage"):
        pages += ["/specimens/new/", "/specimens/officials/new/"]
    if policy.may(agent, "knowledge.view"):
        # The knowledge base (issue #15): results, an article, the feedback.
        article = Article.objects.filter(state="published").order_by("id").first()
        pages += ["/knowledge/?q=frais", "/knowledge/feedback/new/"]
        if article is not None:
            pages.append(f"/knowledge/{article.uuid}/")
    if policy.may(agent, "knowledge.publish"):
        pages += ["/knowledge/review/", "/knowledge/feedback/"]
    if policy.may(agent, "debt.view"):
        # The debt workbench (issue #18): a debt's page (the office's own claim,
        # which has every form) and the registration from a notice.
        debts = policy.visible(
            agent, Debt.objects.filter(team_id__in=agent.team_ids)
        ).order_by("id")
        debt = debts.filter(kind="recovery").first() or debts.first()
        if debt is not None:
            pages.append(f"/debts/{debt.uuid}/")
            if policy.may(agent, "debt.register"):
                pages.append(f"/persons/{debt.person.uuid}/debts/new/")
    if policy.may(agent, "contact.register"):
        pages.append("/contacts/new/")
        pages.extend(
            f"/persons/{person.uuid}/contacts/new/"
            for person in persons_to_open(agent)[:1]
        )
    return pages


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
    # Each role opens every page it reaches; a page is checked (axe-core, the
    # keyboard walk) for the first role that reaches it, the one with the most
    # sections, who sees the most controls on it.
    checked: set[str] = set()

    def visit(path: str, context: str, keyboard: bool = True) -> None:
        response = ui.go(path)
        assert response.status == 200, context
        if path in checked:
            return
        checked.add(path)
        ui.check_accessibility(context)
        if keyboard:
            check_keyboard_order(ui, context)

    for agent in sorted(agents, key=lambda agent: -len(workspace.sections_for(agent))):
        ui.page.context.clear_cookies()
        ui.login(agent.username, data.DEMO_PASSWORD)
        for section in workspace.sections_for(agent):
            visit(section.url, f"section {section.key} as {agent.username}")
            crawled += 1
        tabs = workspace.person_tabs_for(agent)
        for number, person in enumerate(persons_to_open(agent)):
            for tab in tabs:
                context = f"tab {tab.key} of person {number} as {agent.username}"
                visit(tab.url(person.uuid), context, keyboard=number == 0)
                crawled += 1
        for path in pages_beyond_the_registries(agent):
            visit(path, f"page {path} as {agent.username}")
            crawled += 1
    assert crawled >= len(agents) * 2
    assert len(checked) >= 20


LANGUAGES = ("fr", "nl", "de", "en")
WIDTHS = (390, 1280)


def test_no_text_is_clipped_in_any_language_at_390_and_1280_px(
    ui: Browser, demo: None
) -> None:
    """Every section and tab that any role reaches, in each language, on a phone and
    on a laptop: each value is shown whole (issue #11: the identity card hid values
    under the next card, and a 390 px screen scrolled sideways)."""
    checked = 0
    failures: list[str] = []
    kinds_seen: set[str] = set()
    paths_seen: set[str] = set()
    # A page several roles reach is shown once, to the role with the most sections
    # (who sees the most controls on it): eight views a page, not eight a role.
    agents = sorted(
        agents_by_role(), key=lambda agent: -len(workspace.sections_for(agent))
    )
    for agent in agents:
        ui.page.context.clear_cookies()
        ui.page.set_viewport_size({"width": 1280, "height": 800})
        ui.login(agent.username, data.DEMO_PASSWORD)
        paths = [section.url for section in workspace.sections_for(agent)]
        paths += cashbook_pages(agent)
        paths += payments_pages(agent)
        paths += pages_once_per_kind(agent, kinds_seen)
        for person in persons_to_open(agent):
            paths += [tab.url(person.uuid) for tab in workspace.person_tabs_for(agent)]
        paths = [path for path in dict.fromkeys(paths) if path not in paths_seen]
        paths_seen.update(paths)
        for language in LANGUAGES:
            # The agent's language is read from their profile on each request.
            Agent.objects.filter(pk=agent.pk).update(language=language)
            for path in paths:
                for width in WIDTHS:
                    ui.page.set_viewport_size({"width": width, "height": 800})
                    if width == WIDTHS[0]:
                        assert ui.go(path).status == 200, path
                    context = f"{path} as {agent.username}, {language}, {width} px"
                    failures += [
                        f"{context}: {problem}"
                        for problem in text_that_does_not_fit(ui)
                    ]
                    checked += 1
    assert checked >= len(LANGUAGES) * len(WIDTHS) * 20
    # Every failing page at once: one layout fault shows on many screens.
    assert not failures, f"{len(failures)} texts do not fit:\n" + "\n".join(failures)


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
