"""Suggestions for a message, the agent's choice as feedback, the retraining."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from guichet.audit.models import AuditEvent
from guichet.contacts.models import Topic
from guichet.core.errors import Forbidden, StaleVersion, ValidationFailed
from guichet.core.text import fold
from guichet.knowledge import services as knowledge
from guichet.servicerequests import services as requests
from guichet.servicerequests.services import RequestInput
from guichet.suggest import services
from guichet.suggest.model import Model, load
from guichet.suggest.models import SuggestionFeedback
from tests.factories import PersonFactory
from tests.knowledge.factories import published
from tests.servicerequests.conftest import routing  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def with_model(model_file: Path, sample_model: Model) -> Path:
    sample_model.save(model_file)
    return model_file


@pytest.fixture
def agents(make_agent: Any, routing: Any) -> dict[str, Any]:  # noqa: F811
    return {
        "author": make_agent("first_line", teams=["cc-fr"]),
        "reviewer": make_agent("second_line", level="B", teams=["cc-fr"]),
    }


def _request(agent: Any, subject: str, topic: str = "general-information") -> Any:
    return requests.request_create(
        actor=agent,
        data=RequestInput(
            kind="question",
            subject=subject,
            topic=topic,
            channel="email",
            person=str(PersonFactory().uuid),
            language="fr",
        ),
    )


def test_the_model_gives_three_topics_and_the_language(
    agents: dict[str, Any], with_model: Path
) -> None:
    found = services.suggestions_for(
        agents["author"], "Je dois faire légaliser mon acte de naissance."
    )
    assert found.from_model
    assert found.language == "fr"
    assert found.topics[0].topic.code == "legalisation"
    assert len(found.topics) == 3
    scores = [item.score for item in found.topics]
    assert scores == sorted(scores, reverse=True)
    assert 0 < sum(scores) <= 1.0001


def test_the_language_is_guessed_per_message(
    agents: dict[str, Any], with_model: Path
) -> None:
    found = services.suggestions_for(
        agents["author"], "Wann wird mein Arbeitslosengeld überwiesen?"
    )
    assert found.language == "de"
    found = services.suggestions_for(agents["author"], "???", language="nl")
    assert found.language == "nl"


def test_without_a_model_the_topics_come_from_search(
    agents: dict[str, Any], model_file: Path
) -> None:
    people = {"author": agents["author"], "reviewer": agents["reviewer"]}
    article = published(
        people,
        title="Apostille and legalisation",
        body="How to have a birth certificate legalised abroad.",
    )
    found = services.suggestions_for(
        agents["author"], "My birth certificate must be legalised"
    )
    assert not found.from_model
    assert found.topics[0].topic.code == "legalisation"
    assert [hint.article for hint in found.articles] == [article]
    assert found.articles[0].title == "Apostille and legalisation"


def test_only_visible_articles_are_suggested(
    agents: dict[str, Any], make_agent: Any, model_file: Path
) -> None:
    draft = knowledge.article_create(
        actor=agents["author"],
        topic=Topic.objects.get(team__isnull=True, code="legalisation"),
        kind="faq",
        language="en",
        title="Legalisation draft",
        body="A draft about birth certificate legalisation.",
    )
    reader = make_agent("first_line", level="D", teams=["cc-fr"])
    text = "birth certificate legalisation"
    seen = [
        h.article for h in services.suggestions_for(agents["author"], text).articles
    ]
    assert draft in seen
    assert draft not in [
        h.article for h in services.suggestions_for(reader, text).articles
    ]
    outsider = make_agent(teams=["elsewhere"])
    assert services.suggestions_for(outsider, text).articles == []


def test_feedback_is_recorded_when_the_agent_sets_the_topic(
    agents: dict[str, Any], with_model: Path
) -> None:
    agent = agents["author"]
    item = _request(agent, "Je dois faire légaliser mon diplôme")
    changed = services.request_topic_choose(
        agent=agent, request=item, expected_version=item.version, topic="legalisation"
    )
    assert changed.topic.code == "legalisation"
    feedback = SuggestionFeedback.objects.get()
    assert feedback.chosen.code == "legalisation"
    assert feedback.agent == agent
    assert feedback.message_id == str(item.uuid)
    assert feedback.suggested[0]["topic"] == "legalisation"
    assert len(feedback.suggested) == 3
    assert AuditEvent.objects.filter(action="suggest.feedback").count() == 1
    assert AuditEvent.objects.filter(action="request.topic").count() == 1


def test_a_bad_or_stale_choice_changes_nothing(
    agents: dict[str, Any], with_model: Path
) -> None:
    agent = agents["author"]
    item = _request(agent, "Légalisation")
    with pytest.raises(ValidationFailed):
        services.request_topic_choose(
            agent=agent, request=item, expected_version=item.version, topic="nope"
        )
    with pytest.raises(StaleVersion):
        services.request_topic_choose(
            agent=agent,
            request=item,
            expected_version=item.version + 1,
            topic="legalisation",
        )
    item.refresh_from_db()
    assert item.topic.code == "general-information"
    assert not SuggestionFeedback.objects.exists()


def test_retraining_keeps_the_model_with_too_few_examples(
    agents: dict[str, Any], model_file: Path
) -> None:
    _request(agents["author"], "Légalisation d'un acte", topic="legalisation")
    result = services.retrain()
    assert not result.written
    assert result.examples == 1
    assert not model_file.exists()


def test_retraining_learns_from_requests_and_feedback(
    agents: dict[str, Any], model_file: Path
) -> None:
    agent = agents["author"]
    for number in range(12):
        _request(
            agent, f"Légaliser un acte de naissance {number}", topic="legalisation"
        )
        _request(
            agent,
            f"Paiement de mes allocations en retard {number}",
            topic="benefit-payment",
        )
    item = _request(agent, "Mon passeport est perdu")
    services.request_topic_choose(
        agent=agent,
        request=item,
        expected_version=item.version,
        topic="travel-documents",
    )
    examples = services.training_examples()
    assert ("Mon passeport est perdu", "travel-documents") in examples
    result = services.retrain()
    assert result.written
    assert result.examples == 25
    model = load(model_file)
    assert set(model.labels) == {"legalisation", "benefit-payment", "travel-documents"}
    assert not [p for p in model_file.parent.iterdir() if p.name.startswith(".")]
    found = services.suggestions_for(agent, "Paiement des allocations")
    assert found.from_model
    assert found.topics[0].topic.code == "benefit-payment"


def _answer(code: str, topic: str, language: str, title: str) -> None:
    from guichet.correspondence.services import letter_type_ensure, template_save

    kind = letter_type_ensure(actor=None, code=code, name=title, topic=topic)
    template_save(
        actor=None,
        letter_type=kind,
        language=language,
        title=title,
        subject="{{ request.reference }}",
        body="{{ person.salutation }}\n\n" + title,
        fields={},
    )


def test_suggested_answers_are_of_the_topics_and_language(
    agents: dict[str, Any], make_agent: Any, with_model: Path
) -> None:
    _answer("legal_fr", "legalisation", "fr", "Légalisation: la procédure")
    _answer("legal_nl", "legalisation", "nl", "Legalisatie: de procedure")
    _answer("paid_fr", "benefit-payment", "fr", "Paiement effectué")
    text = "Je dois faire légaliser mon acte de naissance."
    found = services.suggestions_for(agents["author"], text)
    assert found.answers[0].code == "legal_fr"
    assert "legal_nl" not in [answer.code for answer in found.answers]
    dutch = services.suggestions_for(
        agents["author"], "Ik moet mijn geboorteakte laten legaliseren."
    )
    assert [answer.code for answer in dutch.answers] == ["legal_nl"]
    nobody = make_agent(teams=["cc-fr"])
    assert services.suggestions_for(nobody, text).answers == []


def test_the_weekly_task_and_the_command_retrain(
    agents: dict[str, Any], model_file: Path, cli: Any
) -> None:
    from guichet.core.schedule import PERIODIC
    from guichet.suggest import tasks

    assert [p for p in PERIODIC.values() if p.task is tasks.suggest_retrain]
    assert tasks.suggest_retrain.call() == 0
    assert not model_file.exists()
    code, out, _err = cli("suggest", "retrain", "--json")
    assert code == 0
    assert json.loads(out) == {
        "model": str(model_file),
        "n": 0,
        "labels": 0,
        "written": False,
    }
    agent = agents["author"]
    for number in range(10):
        _request(agent, f"Légaliser un acte {number}", topic="legalisation")
        _request(agent, f"Mes allocations {number}", topic="benefit-payment")
    assert tasks.suggest_retrain.call() == 20
    assert set(load(model_file).labels) == {"legalisation", "benefit-payment"}
    other = model_file.parent / "other.npz"
    code, out, _err = cli("suggest", "retrain", "--model", str(other))
    assert code == 0
    assert "20" in out
    assert other.exists()


def test_an_agent_outside_the_requests_service_may_not_choose_its_topic(
    agents: dict[str, Any], make_agent: Any, with_model: Path
) -> None:
    item = _request(agents["author"], "Légalisation")
    outsider = make_agent("first_line", teams=["cc-nl"])
    with pytest.raises(Forbidden):
        services.request_topic_choose(
            agent=outsider,
            request=item,
            expected_version=item.version,
            topic="legalisation",
        )
    assert not SuggestionFeedback.objects.exists()


@given(st.text(max_size=300))
def test_the_words_searched_are_few_distinct_and_folded(text: str) -> None:
    words = services._words(text)
    assert len(words) <= services.SEARCH_WORDS
    assert len(set(words)) == len(words)
    folded = fold(text).split()
    for word in words:
        assert word in folded
        assert len(word) >= services.MIN_WORD
