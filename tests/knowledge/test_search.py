"""Full-text search: ranked, with a snippet, accent-insensitive, stemmed on
PostgreSQL (the language's Snowball stemmer), on both databases."""

from __future__ import annotations

from typing import Any

from django.db import connection

import pytest

from guichet.core.errors import ValidationFailed
from guichet.knowledge import selectors
from guichet.knowledge.search import START, STOP, snippet_parts

from .factories import published, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def agents(db: Any) -> dict[str, Any]:
    return staff()


def _titles(agent: Any, query: str, language: str | None = None) -> list[str]:
    return [
        hit.title
        for hit in selectors.articles_search(
            agent=agent, query=query, language=language
        )
    ]


def test_accents_do_not_matter(agents: dict[str, Any]) -> None:
    published(
        agents,
        language="fr",
        title="Joindre un résumé",
        body="Le résumé du dossier est joint à la demande.",
    )
    assert _titles(agents["reader"], "resume") == ["Joindre un résumé"]
    assert _titles(agents["reader"], "RÉSUMÉ") == ["Joindre un résumé"]


def test_plural_finds_singular_in_french(agents: dict[str, Any]) -> None:
    published(
        agents,
        language="fr",
        title="Recevabilité",
        body="Toute demande incomplète est renvoyée au citoyen.",
    )
    assert _titles(agents["reader"], "demandes", "fr") == ["Recevabilité"]


@pytest.mark.postgres
def test_language_stemming_on_postgresql(agents: dict[str, Any]) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("Snowball stemming is PostgreSQL's")
    published(
        agents,
        language="de",
        title="Terminvereinbarung",
        body="Die biometrischen Daten werden am Schalter erfasst.",
    )
    published(
        agents,
        language="nl",
        title="Afspraak maken",
        body="De vingerafdrukken worden aan het loket genomen.",
    )
    assert _titles(agents["reader"], "biometrische Schaltern", "de") == [
        "Terminvereinbarung"
    ]
    assert _titles(agents["reader"], "vingerafdruk", "nl") == ["Afspraak maken"]


def test_ranked_title_first_with_a_snippet(agents: dict[str, Any]) -> None:
    published(
        agents, title="Opening hours", body="The counter closes at noon; fees apply."
    )
    published(agents, title="Fees", body="Fees of the consular post.")
    hits = selectors.articles_search(
        agent=agents["reader"], query="fees", language="en"
    )
    assert [hit.title for hit in hits] == ["Fees", "Opening hours"]
    assert hits[0].rank > hits[1].rank
    highlighted = [part.text.lower() for part in hits[1].snippet if part.hit]
    assert highlighted == ["fees"]


def test_one_hit_per_article_in_its_best_language(agents: dict[str, Any]) -> None:
    published(agents, language="en", title="Passport", body="Passport appointment.")
    assert len(selectors.articles_search(agent=agents["reader"], query="passport")) == 1
    assert (
        selectors.articles_search(
            agent=agents["reader"], query="passport", language="de"
        )
        == []
    )


def test_nothing_for_an_empty_query_and_an_unknown_language_is_refused(
    agents: dict[str, Any],
) -> None:
    published(agents)
    assert selectors.articles_search(agent=agents["reader"], query="  ?! ") == []
    with pytest.raises(ValidationFailed):
        selectors.articles_search(agent=agents["reader"], query="fee", language="xx")


def test_query_syntax_is_not_interpreted(agents: dict[str, Any]) -> None:
    published(agents, title="Fee", body="Paid at the counter.")
    assert _titles(agents["reader"], 'fee" OR "x* NEAR(') == []
    assert _titles(agents["reader"], "fee -") == ["Fee"]


def test_snippet_parts() -> None:
    parts = snippet_parts(f"a {START}b{STOP} c")
    assert [(part.text, part.hit) for part in parts] == [
        ("a ", False),
        ("b", True),
        (" c", False),
    ]
