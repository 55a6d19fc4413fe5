"""End-to-end tests in a real headless Chromium (Debian's), driven by Playwright.

One browser for the whole session, a fresh context (cookies, storage) per test.
Every page a test visits is checked by axe-core (vendored under vendor/, MPL-2.0)
for serious and critical accessibility violations, and the test fails on any
Content-Security-Policy violation or script error the browser reports.

Without /usr/bin/chromium the tests are skipped, and the run says how to install
it; with GUICHET_REQUIRE_E2E=1 (CI) a missing browser fails the run instead.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.core.signals import request_finished, request_started

import pytest

from tests import snapshot

CHROMIUM = Path(os.environ.get("GUICHET_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
INSTALL_HINT = "sudo apt-get install chromium chromium-driver"
VENDOR = Path(__file__).resolve().parent / "vendor"
AXE = VENDOR / "axe-4.14.1.min.js"
# Served to the page from its own origin, so the strict CSP (script-src 'self')
# lets it run without weakening the policy under test.
AXE_PATH = "/__e2e__/axe.min.js"
# Every run takes the screenshots (so they cannot rot) into var/, which git
# ignores; `make screenshots` writes them into docs/screenshots/ for the README.
SCREENSHOTS = Path(
    os.environ.get(
        "GUICHET_SCREENSHOTS",
        Path(__file__).resolve().parents[2] / "var" / "screenshots",
    )
)
PASSWORD = "correct horse battery"
SMALL = {"width": 390, "height": 800}
WIDE = {"width": 1280, "height": 800}


def widths_for(language: str) -> tuple[tuple[dict[str, int], str], ...]:
    """The widths a test's four-language screen check looks at in `language`, with
    the screenshot's suffix: both in English, only the narrow one (390 px) in the
    other languages, where a longer translation runs out of room. The crawl shows
    every section and tab in every language at both widths (CONTRIBUTING.md, "Test
    time")."""
    if language == "en":
        return ((WIDE, ""), (SMALL, "-390"))
    return ((SMALL, "-390"),)


class _InFlight:
    """Requests the live server is still handling, counted by Django's request
    signals: a test must not end (and its database be flushed) under a request that
    the browser gave up on, such as a search htmx aborted for the next keystroke;
    on SQLite the flush then fails on a locked table (CI, 2026-11-23). Only the live
    server's threads count: a request of Django's test client runs in the test's
    own thread, and one that raises never sends `request_finished` (the permission
    matrices run in the same process as the crawl)."""

    def __init__(self) -> None:
        self.count = 0
        self.changed = threading.Condition()

    def started(self, **_kwargs: Any) -> None:
        if threading.current_thread() is threading.main_thread():
            return
        with self.changed:
            self.count += 1

    def finished(self, **_kwargs: Any) -> None:
        if threading.current_thread() is threading.main_thread():
            return
        with self.changed:
            self.count -= 1
            self.changed.notify_all()

    def wait_idle(self, timeout: float = 30.0) -> bool:
        with self.changed:
            return self.changed.wait_for(lambda: self.count <= 0, timeout=timeout)


_in_flight = _InFlight()
request_started.connect(_in_flight.started, dispatch_uid="e2e-in-flight-started")
request_finished.connect(_in_flight.finished, dispatch_uid="e2e-in-flight-finished")

# Playwright's sync API runs an event loop in this thread; Django refuses ORM
# calls from a thread with a running loop unless told it is safe (it is: the
# loop only drives the browser).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    here = Path(__file__).resolve().parent
    for item in items:
        if here in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.e2e)


_skipped: list[str] = []


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Say plainly, last, that the browser tests did not run and how to run them."""
    if _skipped:
        terminalreporter.section("end-to-end tests skipped", sep="!", yellow=True)
        terminalreporter.line(
            f"{len(_skipped)} end-to-end tests were SKIPPED: no Chromium at {CHROMIUM}.",
            yellow=True,
            bold=True,
        )
        terminalreporter.line(f"Install it to run them: {INSTALL_HINT}")


@pytest.fixture(autouse=True)
def _shipped_rows(django_db_setup: snapshot.Rows, django_db_blocker: Any) -> None:
    """The rows the migrations ship (the default business calendar, the topics, the
    roles, ...), put back before each browser test: every one is transactional, so
    the one before it flushed them, and a test must not depend on running first."""
    with django_db_blocker.unblock():
        snapshot.fill(django_db_setup)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        message = f"end-to-end tests need Chromium at {CHROMIUM}: {INSTALL_HINT}"
        if os.environ.get("GUICHET_REQUIRE_E2E") == "1":
            pytest.fail(message + " (GUICHET_REQUIRE_E2E=1: skipping is a failure)")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS
        )
        yield launched
        launched.close()


class Browser:
    """One page of a fresh context, with the checks every test wants."""

    def __init__(self, page: Any, base_url: str) -> None:
        self.page = page
        self.base_url = base_url
        self.problems: list[str] = []
        # (path, viewport width) -> the page languages axe has fully checked it in.
        self._axed: dict[tuple[str, int], set[str]] = {}
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        page.on("response", self._response)
        page.on("requestfailed", self._request_failed)

    def _console(self, message: Any) -> None:
        text = message.text
        if "Content Security Policy" in text:
            self.problems.append(f"CSP: {text}")
        elif message.type == "error" and not text.startswith("Failed to load resource"):
            self.problems.append(f"console error: {text}")

    def _response(self, response: Any) -> None:
        """A page may answer 4xx (a form with errors, the 404 and 403 pages), but
        nothing it loads may fail, and nothing may answer 5xx.

        The browser also logs each 4xx page as "Failed to load resource"; those
        console lines are judged here, by status and kind, instead.
        """
        status = response.status
        kind = response.request.resource_type
        if status >= 500 or (status >= 400 and kind != "document"):
            self.problems.append(f"{kind} {response.url} answered {status}")

    def _request_failed(self, request: Any) -> None:
        # htmx aborts a search superseded by the next keystroke (hx-sync replace).
        if request.failure != "net::ERR_ABORTED":
            self.problems.append(f"{request.resource_type} {request.url} failed")

    def go(self, path: str) -> Any:
        return self.page.goto(self.base_url + path)

    def login(self, username: str, password: str = PASSWORD) -> None:
        self.go("/")
        self.page.get_by_label("Username").fill(username)
        self.page.get_by_label("Password").fill(password)
        self.page.get_by_role("button", name="Log in").click()
        self.page.wait_for_url("**/home/")

    def check_accessibility(self, context: str) -> None:
        """Run axe-core on the page as it is; fail on serious or critical findings.

        A page already checked at this width in another language (the four-language
        screen checks) runs only the rules a translation can change: the page's
        language and the scrolling regions that longer words create. Names, roles,
        contrast and landmarks are the same in every language.
        """
        if not self.page.evaluate("() => typeof window.axe !== 'undefined'"):
            self.page.add_script_tag(url=self.base_url + AXE_PATH)
        path = urlsplit(self.page.url).path
        width = self.page.viewport_size["width"] if self.page.viewport_size else 0
        language = self.page.evaluate("() => document.documentElement.lang")
        checked_in = self._axed.setdefault((path, width), set())
        again = bool(checked_in) and language not in checked_in
        if not again:
            checked_in.add(language)
        violations = self.page.evaluate(
            """async (again) => {
                const options = {resultTypes: ["violations"]};
                if (again) {
                    options.runOnly = {type: "rule", values: [
                        "html-has-lang", "html-lang-valid", "valid-lang",
                        "scrollable-region-focusable",
                    ]};
                }
                const result = await window.axe.run(document, options);
                return result.violations
                    .filter((v) => v.impact === "serious" || v.impact === "critical")
                    .map((v) => ({
                        id: v.id, impact: v.impact, help: v.help,
                        nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ")),
                    }));
            }""",
            again,
        )
        assert not violations, f"axe on {context}:\n" + json.dumps(violations, indent=1)

    def screenshot(self, name: str) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


@pytest.fixture
def chromium(request: Any) -> Any:
    """The session's browser; a test that cannot have it is counted as skipped."""
    try:
        return request.getfixturevalue("browser")
    except pytest.skip.Exception:
        _skipped.append(request.node.nodeid)
        raise


@pytest.fixture
def ui(chromium: Any, live_server: Any, settings: Any) -> Iterator[Browser]:
    settings.LANGUAGE_CODE = "en"
    context = chromium.new_context(
        viewport={"width": 1280, "height": 800}, locale="en-GB"
    )
    axe_source = AXE.read_text()
    context.route(
        "**" + AXE_PATH,
        lambda route: route.fulfill(
            status=200, content_type="text/javascript", body=axe_source
        ),
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    session = Browser(page, live_server.url)
    yield session
    context.close()
    assert _in_flight.wait_idle(), "the live server still handles a request"
    assert not session.problems, "\n".join(session.problems)


@pytest.fixture
def checked(ui: Browser) -> Callable[[str, str | None], None]:
    """Check the current page with axe and, when named, save its screenshot."""

    def check(context: str, screenshot: str | None = None) -> None:
        ui.check_accessibility(context)
        if screenshot:
            ui.screenshot(screenshot)

    return check
