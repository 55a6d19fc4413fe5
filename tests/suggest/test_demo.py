"""The demo trains a topic model, so a new message in the demo has suggestions."""

from __future__ import annotations

from typing import Any

from django.conf import settings

import pytest

from guichet.agents.models import Agent
from guichet.suggest import services
from guichet.suggest.model import load

pytestmark = pytest.mark.django_db


def test_the_demo_model_suggests_for_a_new_message_in_each_language(demo: Any) -> None:
    model = load(settings.SUGGEST_MODEL)
    assert {"legalisation", "benefit-payment", "travel-documents"} <= set(model.labels)
    services.forget_model()
    agent = Agent.objects.get(username="first.fr")
    for text, language, topic in [
        (
            "Mon passeport a été volé, comment en obtenir un nouveau ?",
            "fr",
            "travel-documents",
        ),
        ("Wanneer wordt mijn werkloosheidsuitkering betaald?", "nl", "benefit-payment"),
        ("Ich brauche eine Apostille für meine Geburtsurkunde.", "de", "legalisation"),
    ]:
        found = services.suggestions_for(agent, text)
        assert found.from_model
        assert found.language == language
        assert topic in [item.topic.code for item in found.topics]
