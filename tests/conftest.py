"""Fixtures shared by every test: agents with roles and teams, API clients."""

from __future__ import annotations

import io
import json
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import Any

from django.test import Client

import pytest
from hypothesis import HealthCheck, settings

from tests import dbtemplate, snapshot
from tests.factories import AgentFactory, TeamFactory

# The machine is shared and noisy: no per-example deadline, fewer examples in CI.
settings.register_profile(
    "guichet",
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    max_examples=int(os.environ.get("HYPOTHESIS_MAX_EXAMPLES", "60")),
)
settings.load_profile("guichet")

# SQLite test databases copied from the first one migrated (tests/dbtemplate.py).
dbtemplate.install()


# Fixtures that give a test the database; pytest-django refuses it to the others.
_DATABASE_FIXTURES = {
    "db",
    "transactional_db",
    "django_db_reset_sequences",
    "django_db_setup",  # a fixture that wrote rows for the test (rolled_back, ...)
}


def _same_on_any_database(item: pytest.Item) -> bool:
    """Marked `any_database`, or never given the database: pytest-django blocks
    every query of a test without the `django_db` mark or a database fixture, so
    such a test cannot give another answer on another database."""
    if item.get_closest_marker("any_database"):
        return True
    fixtures = set(getattr(item, "fixturenames", ()))
    return not item.get_closest_marker("django_db") and not (
        fixtures & _DATABASE_FIXTURES
    )


def pytest_collection_modifyitems(
    config: pytest.Config, items: list[pytest.Item]
) -> None:
    """`GUICHET_TEST_SKIP_ANY_DATABASE=1` leaves out (deselects) the tests that give
    the same answer on any database: the continuous integration runs them on
    SQLite, and not again on PostgreSQL (CONTRIBUTING.md, "Test time")."""
    if os.environ.get("GUICHET_TEST_SKIP_ANY_DATABASE") != "1":
        return
    left_out = [item for item in items if _same_on_any_database(item)]
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = [item for item in items if not _same_on_any_database(item)]


@pytest.fixture(autouse=True)
def _default_language() -> Any:
    """Each test starts in English: a request or command elsewhere may leave
    another language active on the thread (Django never resets it)."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(scope="session")
def rolled_back(
    django_db_setup: Any, django_db_blocker: Any
) -> Callable[[], AbstractContextManager[None]]:
    """Database work for a module or session fixture that keeps only what it read.

    A fixture that renders a PDF, or loads a data set, once for many tests needs
    rows; it makes them inside `with rolled_back():`, keeps the bytes or values it
    needs, and the rows are rolled back at the end of the block, before any test of
    its scope opens its own transaction (pytest sets up the wider scopes first).
    """
    from django.db import transaction
    from django.utils import translation

    @contextmanager
    def block() -> Iterator[None]:
        with (
            django_db_blocker.unblock(),
            translation.override("en"),
            transaction.atomic(),
        ):
            yield
            transaction.set_rollback(True)

    return block


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> snapshot.Rows:
    """The test database, migrated; returns the rows the migrations put in it
    (roles, bracket tables, ...), which a transactional test's flush removes."""
    with django_db_blocker.unblock():
        return snapshot.read()


@pytest.fixture
def scratch_database(db: None) -> Iterator[None]:
    """A new, empty database for a data-migration test (tests/migrations.py)."""
    from tests.migrations import scratch_database

    with scratch_database():
        yield


@pytest.fixture(scope="session")
def demo_state(
    django_db_setup: snapshot.Rows,
    rolled_back: Callable[[], AbstractContextManager[None]],
) -> snapshot.State:
    """The database after `guichet demo`, built once per test run.

    Built on the rows the migrations ship (put back first if a transactional test
    flushed them), then rolled back: each test that wants the demo gets its rows
    from the `demo` fixture, in milliseconds.
    """
    from django.core.management import call_command

    def build() -> Any:
        out = io.StringIO()
        call_command("demo", "--i-know-this-is-not-production", "--json", stdout=out)
        return json.loads(out.getvalue())

    with rolled_back():
        snapshot.fill(django_db_setup)
        return snapshot.take(build)


@pytest.fixture
def demo(db: Any, demo_state: snapshot.State) -> Any:
    """The demo data set in this test's database (committed for a transactional
    test); returns what `guichet demo --json` answered when it was built."""
    snapshot.fill(demo_state.tables)
    return demo_state.result


@pytest.fixture
def make_agent(db: Any) -> Callable[..., Any]:
    """An agent with the given roles, level and team codes (teams created on demand)."""

    def make(
        *roles: str,
        level: str = "C",
        teams: Sequence[str] = ("cc-fr",),
        language: str = "en",
        **fields: Any,
    ) -> Any:
        team_rows = [TeamFactory(code=code) for code in teams]
        return AgentFactory(
            roles=roles, level=level, teams=team_rows, language=language, **fields
        )

    return make


@pytest.fixture
def first_line(make_agent: Callable[..., Any]) -> Any:
    return make_agent("first_line", level="C", teams=("cc-fr",), username="first")


class ApiClient:
    """Calls /api/v1/ with a bearer token, as a machine would."""

    def __init__(self, token: str, language: str = "en") -> None:
        self.client = Client(
            HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_ACCEPT_LANGUAGE=language
        )

    def _url(self, path: str) -> str:
        return "/api/v1" + path

    def get(self, path: str, **kwargs: Any) -> Any:
        return self.client.get(self._url(path), **kwargs)

    def post(self, path: str, data: Any = None, **kwargs: Any) -> Any:
        return self.client.post(
            self._url(path), data=data or {}, content_type="application/json", **kwargs
        )

    def patch(self, path: str, data: Any = None, **kwargs: Any) -> Any:
        return self.client.patch(
            self._url(path), data=data or {}, content_type="application/json", **kwargs
        )

    def delete(self, path: str, **kwargs: Any) -> Any:
        return self.client.delete(self._url(path), **kwargs)


@pytest.fixture
def api_for(db: Any) -> Callable[..., ApiClient]:
    from guichet.agents.services import token_create

    def make(agent: Any, language: str = "en") -> ApiClient:
        issued = token_create(actor=None, agent=agent, name="tests")
        return ApiClient(issued.secret, language=language)

    return make


@pytest.fixture
def cli(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Callable[..., tuple[int, str, str]]:
    """Run `guichet ARGS...` as a user would; return (exit code, stdout, stderr).

    Django closes every connection after a command run from the command line,
    which would end the test's transaction: that one call is made harmless here.
    """
    from django.db import connections

    from guichet.__main__ import main

    monkeypatch.setattr(connections, "close_all", lambda: None)

    def run(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = main(list(args))
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run
