"""Suggestions in a real browser (issue #15): with the demo's topic model, a new
request registered from a call shows its language, likely topics, answers and
articles next to the message; one click sets the suggested topic. The page is
checked by axe-core at 1280 and 390 px."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from guichet.demo import suggest as demo_suggest
from guichet.parties.models import Person
from guichet.suggest import services
from guichet.suggest.models import SuggestionFeedback
from tests.e2e.test_requests import _login, _register_request, office  # noqa: F401

Check = Callable[[str, str | None], None]


@pytest.fixture
def demo_model(tmp_path: Path, settings: Any) -> Iterator[Path]:
    settings.SUGGEST_MODEL = tmp_path / "topics.npz"
    services.forget_model()
    assert demo_suggest.build().written
    yield settings.SUGGEST_MODEL
    services.forget_model()


def test_a_new_request_shows_suggestions_and_a_click_sets_the_topic(
    ui: Any,
    checked: Check,
    office: Person,  # noqa: F811
    demo_model: Path,
) -> None:
    _login(ui, "first.fr")
    request = _register_request(
        ui,
        office,
        "general-information",
        "Je dois faire légaliser mon acte de naissance",
    )
    panel = ui.page.locator("#suggestions")
    expect(panel).to_contain_text("Suggestions")
    expect(panel).to_contain_text("Français")  # first.fr works in French
    expect(panel).not_to_contain_text("Pas encore de modèle")
    expect(panel.locator("li").first).to_contain_text("%")
    checked("suggestions at 1280 px", None)
    ui.page.set_viewport_size({"width": 390, "height": 800})
    checked("suggestions at 390 px", None)
    ui.page.set_viewport_size({"width": 1280, "height": 800})

    panel.get_by_role("button", name="Choisir ce sujet : Légalisation").click()
    ui.page.wait_for_url(f"**/requests/{request.reference}/")
    request.refresh_from_db()
    assert request.topic.code == "legalisation"
    assert SuggestionFeedback.objects.get().chosen.code == "legalisation"
