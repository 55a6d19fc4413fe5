"""Fixtures of the reports tests: a pinned clock, a supervisor of two teams."""

from __future__ import annotations

from typing import Any

import pytest

from guichet.core import clock
from tests.factories import AgentFactory, TeamFactory
from tests.reports import dashboard_rows


@pytest.fixture
def pinned(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "now", lambda: dashboard_rows.NOW)
    monkeypatch.setattr(clock, "today", dashboard_rows.today)


@pytest.fixture
def teams(db: Any) -> dict[str, Any]:
    return {code: TeamFactory(code=code) for code in ("cc-fr", "visas", "secret")}


@pytest.fixture
def boss(teams: dict[str, Any]) -> Any:
    return AgentFactory(
        username="boss", roles=["supervisor"], teams=[teams["cc-fr"], teams["visas"]]
    )


@pytest.fixture
def worker(teams: dict[str, Any]) -> Any:
    return AgentFactory(
        username="worker",
        roles=["dossier_handler"],
        teams=[teams["cc-fr"], teams["visas"]],
    )
