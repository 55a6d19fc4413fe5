"""The knowledge base over HTTP: search, read with a fallback language, propose,
report feedback; refusals change nothing."""

from __future__ import annotations

from typing import Any

import pytest

from guichet.knowledge.models import Feedback, Proposal
from tests.knowledge.factories import published, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(db: Any) -> dict[str, Any]:
    return staff()


def test_search_read_propose_and_report(people: dict[str, Any], api_for: Any) -> None:
    article = published(people, title="Legalisation fee", body="Paid at the counter.")
    api = api_for(people["reader"])
    found = api.get("/knowledge/articles?q=fees&language=en")
    assert found.status_code == 200
    (hit,) = found.json()["items"]
    assert (hit["id"], hit["title"], hit["language"]) == (
        str(article.uuid),
        "Legalisation fee",
        "en",
    )
    read = api.get(f"/knowledge/articles/{article.uuid}?language=fr")
    assert read.status_code == 200
    body = read.json()
    assert (body["language"], body["languages"], body["body"]) == (
        "en",
        ["en"],
        "Paid at the counter.",
    )
    proposed = api.post(
        f"/knowledge/articles/{article.uuid}/proposals",
        {
            "language": "en",
            "title": "Legalisation fee",
            "body": "Paid at the counter, by card.",
            "reason": "Citizens ask.",
        },
    )
    assert proposed.status_code == 201
    assert proposed.json()["status"] == "open"
    reported = api.post(
        "/knowledge/feedback",
        {"kind": "improvement", "text": "Say card too.", "article": str(article.uuid)},
    )
    assert reported.status_code == 201
    assert reported.json()["team"] == "cc-fr"


def test_refusals_change_nothing(people: dict[str, Any], api_for: Any) -> None:
    article = published(people)
    admin = api_for(people["admin"])
    assert admin.get("/knowledge/articles?q=fee").status_code == 403
    assert admin.get(f"/knowledge/articles/{article.uuid}").status_code == 404
    reader = api_for(people["reader"])
    invalid = reader.post(
        f"/knowledge/articles/{article.uuid}/proposals",
        {"language": "xx", "title": "", "body": "", "reason": ""},
    )
    assert invalid.status_code == 422
    assert reader.get("/knowledge/articles?q=fee&language=xx").status_code == 422
    assert (
        reader.post("/knowledge/feedback", {"kind": "gossip", "text": "x"}).status_code
        == 422
    )
    assert Proposal.objects.count() == 0
    assert Feedback.objects.count() == 0
