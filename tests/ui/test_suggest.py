"""The suggestions panel on the request page: language, topics, answers, articles;
one click sets a suggested topic and records the choice."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from guichet.contacts.models import Contact
from guichet.suggest.models import SuggestionFeedback
from tests.suggest.conftest import model_file, sample_model  # noqa: F401 - fixtures
from tests.ui.test_servicerequests import (
    _create,
    agents,  # noqa: F401 - a fixture
)

pytestmark = pytest.mark.django_db


def test_the_panel_says_there_is_no_model_yet(
    client_for: Any,
    agents: Any,  # noqa: F811
    model_file: Path,  # noqa: F811
) -> None:
    request = _create(agents["first"], subject="Mon allocation n'est pas payée")
    page = client_for(agents["second"]).get(f"/requests/{request.reference}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="suggestions-title"' in html
    assert "No model yet" in html


def test_a_click_sets_the_suggested_topic_and_records_it(
    client_for: Any,
    agents: Any,  # noqa: F811
    model_file: Path,  # noqa: F811
    sample_model: Any,  # noqa: F811
) -> None:
    sample_model.save(model_file)
    request = _create(
        agents["first"],
        subject="Je dois faire légaliser mon acte de naissance",
        topic="general-information",
    )
    client = client_for(agents["second"])
    page = client.get(f"/requests/{request.reference}/")
    suggestions = page.context["suggestions"]
    assert suggestions.from_model
    assert suggestions.language == "fr"
    best = suggestions.topics[0]
    assert best.topic.code == "legalisation"
    html = page.content.decode()
    assert f"{best.percent}%" in html
    assert "No model yet" not in html
    done = client.post(
        f"/requests/{request.reference}/topic/",
        {"topic": str(best.topic.uuid), "version": request.version},
    )
    assert done.status_code == 302
    request.refresh_from_db()
    assert request.topic.code == "legalisation"
    assert SuggestionFeedback.objects.get().chosen == best.topic
    stale = client.post(
        f"/requests/{request.reference}/topic/",
        {"topic": "attestations", "version": request.version - 1},
    )
    assert stale.status_code == 302
    request.refresh_from_db()
    assert request.topic.code == "legalisation"
    assert SuggestionFeedback.objects.count() == 1


def test_a_contacts_summary_has_suggestions_too(
    client_for: Any,
    agents: Any,  # noqa: F811
    model_file: Path,  # noqa: F811
    sample_model: Any,  # noqa: F811
) -> None:
    from tests.ui.test_contacts import _post

    sample_model.save(model_file)
    client = client_for(agents["first"])
    _post(
        client, "/contacts/new/", summary="Ik moet mijn geboorteakte laten legaliseren."
    )
    contact = Contact.objects.get()
    page = client.get(f"/contacts/{contact.uuid}/")
    assert page.status_code == 200
    suggestions = page.context["suggestions"]
    assert suggestions.language == "nl"
    assert suggestions.topics[0].topic.code == "legalisation"
    html = page.content.decode()
    assert 'id="suggestions-title"' in html
    assert "/topic/" not in html  # no one-click topic on a contact
