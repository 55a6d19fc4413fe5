"""Articles, revisions, states, proposals and feedback: the rules of the services."""

from __future__ import annotations

from typing import Any

from django.db import DatabaseError, connection, transaction

import pytest

from guichet.audit.models import AuditEvent
from guichet.core.errors import Conflict, Forbidden, StaleVersion, ValidationFailed
from guichet.core.models import AppendOnlyError
from guichet.knowledge import selectors, services
from guichet.knowledge.models import (
    Article,
    ArticleRevision,
    ArticleText,
    Feedback,
    Proposal,
)
from tests.factories import AgentFactory, TeamFactory

from .factories import published, staff, topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def agents(db: Any) -> dict[str, Any]:
    return staff()


def _draft(agents: dict[str, Any]) -> Article:
    return services.article_create(
        actor=agents["author"],
        topic=topic(),
        kind="procedure",
        language="fr",
        title="Légalisation: les frais",
        body="Les frais sont payés au guichet.",
        note="First version",
    )


def test_creates_a_draft_with_its_first_revision(agents: dict[str, Any]) -> None:
    article = _draft(agents)
    assert article.state == "draft"
    assert article.revision_count == 1
    revision = ArticleRevision.objects.get(article=article)
    assert (revision.number, revision.language, revision.author) == (
        1,
        "fr",
        agents["author"],
    )
    assert AuditEvent.objects.filter(action="knowledge.article_create").count() == 1


def test_reader_at_level_d_may_not_write(agents: dict[str, Any]) -> None:
    with pytest.raises(Forbidden):
        services.article_create(
            actor=agents["reader"],
            topic=topic(),
            kind="faq",
            language="fr",
            title="x",
            body="y",
        )
    assert Article.objects.count() == 0


def test_bad_input_changes_nothing(agents: dict[str, Any]) -> None:
    with pytest.raises(ValidationFailed) as raised:
        services.article_create(
            actor=agents["author"],
            topic=topic(),
            kind="poem",
            language="xx",
            title="",
            body="",
        )
    assert {error.field for error in raised.value.errors} == {
        "kind",
        "language",
        "title",
        "body",
    }
    assert Article.objects.count() == 0


def test_every_change_is_a_revision_and_restore_adds_one(
    agents: dict[str, Any],
) -> None:
    article = _draft(agents)
    services.article_text_save(
        actor=agents["author"],
        article=article,
        expected_version=article.version,
        language="fr",
        title="Légalisation: les frais",
        body="Les frais sont payés au guichet, en espèces ou par carte.",
        note="Means of payment",
    )
    services.article_text_save(
        actor=agents["author"],
        article=article,
        expected_version=article.version,
        language="nl",
        title="Legalisatie: de kosten",
        body="De kosten worden aan het loket betaald.",
    )
    restored = services.article_restore(
        actor=agents["author"],
        article=article,
        expected_version=article.version,
        number=1,
    )
    assert restored.number == 4
    assert restored.restored_from == 1
    text = ArticleText.objects.get(article=article, language="fr")
    assert (text.body, text.revision) == ("Les frais sont payés au guichet.", 4)
    assert [
        r.number
        for r in selectors.article_history(agent=agents["author"], article=article)
    ] == [4, 3, 2, 1]
    diff = selectors.revision_diff(agent=agents["author"], article=article, number=2)
    assert diff.previous is not None
    assert diff.previous.number == 1
    assert {line.kind for line in diff.lines} == {"same", "added", "removed"}


def test_a_stale_edit_is_refused_and_changes_nothing(agents: dict[str, Any]) -> None:
    article = _draft(agents)
    stale = article.version
    services.article_text_save(
        actor=agents["author"],
        article=article,
        expected_version=stale,
        language="fr",
        title="Titre",
        body="Un",
    )
    with pytest.raises(StaleVersion):
        services.article_text_save(
            actor=agents["author"],
            article=article,
            expected_version=stale,
            language="fr",
            title="Titre",
            body="Deux",
        )
    assert ArticleText.objects.get(article=article, language="fr").body == "Un"
    assert ArticleRevision.objects.filter(article=article).count() == 2


def test_states_follow_the_roles(agents: dict[str, Any]) -> None:
    article = _draft(agents)
    article = services.article_transition(
        actor=agents["author"],
        article=article,
        expected_version=article.version,
        move="submit",
    )
    assert article.state == "in_review"
    # The author may not publish, nor edit while in review.
    with pytest.raises(Forbidden):
        services.article_transition(
            actor=agents["author"],
            article=article,
            expected_version=article.version,
            move="publish",
        )
    with pytest.raises(Forbidden):
        services.article_text_save(
            actor=agents["author"],
            article=article,
            expected_version=article.version,
            language="fr",
            title="T",
            body="B",
        )
    # Sending back needs a reason.
    with pytest.raises(ValidationFailed):
        services.article_transition(
            actor=agents["reviewer"],
            article=article,
            expected_version=article.version,
            move="send_back",
        )
    article = services.article_transition(
        actor=agents["reviewer"],
        article=article,
        expected_version=article.version,
        move="publish",
    )
    assert article.state == "published"
    assert article.published_at is not None
    with pytest.raises(Conflict):
        services.article_transition(
            actor=agents["reviewer"],
            article=article,
            expected_version=article.version,
            move="submit",
        )
    article = services.article_transition(
        actor=agents["supervisor"],
        article=article,
        expected_version=article.version,
        move="archive",
        reason="Replaced by the new fee rules",
    )
    assert article.state == "archived"
    # Readers no longer see it.
    assert not selectors.articles_search(agent=agents["reader"], query="frais")


def test_a_reviewer_does_not_publish_their_own_submission(
    agents: dict[str, Any],
) -> None:
    article = services.article_create(
        actor=agents["reviewer"],
        topic=topic(),
        kind="faq",
        language="en",
        title="T",
        body="B",
    )
    article = services.article_transition(
        actor=agents["reviewer"],
        article=article,
        expected_version=article.version,
        move="submit",
    )
    with pytest.raises(Forbidden):
        services.article_transition(
            actor=agents["reviewer"],
            article=article,
            expected_version=article.version,
            move="publish",
        )
    article.refresh_from_db()
    assert article.state == "in_review"


def test_readers_do_not_see_drafts(agents: dict[str, Any]) -> None:
    article = _draft(agents)
    assert not selectors.articles_search(agent=agents["reader"], query="frais")
    assert [
        hit.article
        for hit in selectors.articles_search(agent=agents["author"], query="frais")
    ] == [article]
    with pytest.raises(Forbidden):
        selectors.articles_search(agent=agents["admin"], query="frais")


def test_proposal_accepted_becomes_a_revision(agents: dict[str, Any]) -> None:
    article = published(agents)
    proposal = services.proposal_create(
        actor=agents["reader"],
        article=article,
        language="en",
        title="Legalisation fee",
        body="The fee is paid at the counter, by card or in cash.",
        reason="Citizens ask how they can pay.",
    )
    assert proposal.based_on_revision == 1
    with pytest.raises(Forbidden):
        services.proposal_accept(
            actor=agents["author"], proposal=proposal, expected_version=proposal.version
        )
    revision = services.proposal_accept(
        actor=agents["reviewer"], proposal=proposal, expected_version=proposal.version
    )
    proposal.refresh_from_db()
    assert (proposal.status, proposal.revision_number) == ("accepted", revision.number)
    assert revision.proposal == proposal
    assert ArticleText.objects.get(article=article, language="en").body.endswith(
        "in cash."
    )
    with pytest.raises(Conflict):
        services.proposal_reject(
            actor=agents["reviewer"],
            proposal=proposal,
            expected_version=proposal.version,
            reason="x",
        )
    mine = selectors.my_knowledge(agent=agents["reader"])
    assert mine.proposals == [proposal]


def test_proposal_rejected_with_a_reason_not_by_its_proposer(
    agents: dict[str, Any],
) -> None:
    article = published(agents)
    proposal = services.proposal_create(
        actor=agents["reviewer"],
        article=article,
        language="en",
        title="Legalisation fee",
        body="Something else.",
        reason="Better.",
    )
    with pytest.raises(Forbidden):
        services.proposal_reject(
            actor=agents["reviewer"],
            proposal=proposal,
            expected_version=proposal.version,
            reason="no",
        )
    with pytest.raises(ValidationFailed):
        services.proposal_reject(
            actor=agents["supervisor"],
            proposal=proposal,
            expected_version=proposal.version,
            reason=" ",
        )
    services.proposal_reject(
        actor=agents["supervisor"],
        proposal=proposal,
        expected_version=proposal.version,
        reason="The fee text is set by the ministry.",
    )
    proposal.refresh_from_db()
    assert proposal.status == "rejected"
    assert ArticleRevision.objects.filter(article=article).count() == 1


def test_feedback_is_routed_and_followed_to_a_decision(agents: dict[str, Any]) -> None:
    other = TeamFactory(code="legalisations")
    article = published(agents)
    Article.objects.filter(pk=article.pk).update(team=other)
    article.refresh_from_db()
    outsider = AgentFactory(
        roles=["supervisor"], level="A1", teams=[TeamFactory(code="visas")]
    )
    owner = AgentFactory(roles=["supervisor"], level="C", teams=[other])
    item = services.feedback_report(
        actor=agents["reader"],
        kind="recurring_problem",
        text_value="Citizens keep asking whether the fee can be paid by card.",
        screen="ui:dossier_detail",
        path="/dossiers/DOS-2026-0000001/",
        article=article,
    )
    assert item.team == other
    assert item.topic == article.topic
    with pytest.raises(Forbidden):
        services.feedback_decide(
            actor=outsider,
            feedback=item,
            expected_version=item.version,
            status="accepted",
            reason="x",
        )
    with pytest.raises(ValidationFailed):
        services.feedback_decide(
            actor=owner, feedback=item, expected_version=item.version, status="rejected"
        )
    services.feedback_decide(
        actor=owner, feedback=item, expected_version=item.version, status="in_progress"
    )
    services.feedback_decide(
        actor=owner,
        feedback=item,
        expected_version=item.version,
        status="accepted",
        reason="We add it.",
    )
    with pytest.raises(Conflict):
        services.feedback_decide(
            actor=owner,
            feedback=item,
            expected_version=item.version,
            status="rejected",
            reason="x",
        )
    services.feedback_decide(
        actor=owner, feedback=item, expected_version=item.version, status="done"
    )
    item.refresh_from_db()
    assert (item.status, item.decision_reason, item.handled_by) == (
        "done",
        "We add it.",
        owner,
    )
    assert selectors.my_knowledge(agent=agents["reader"]).feedback == [item]
    assert list(selectors.feedback_list(agent=outsider)) == []


def test_feedback_without_article_goes_to_the_reporters_team(
    agents: dict[str, Any],
) -> None:
    item = services.feedback_report(
        actor=agents["reader"], kind="incident", text_value="The printer jams."
    )
    assert item.team.code == "cc-fr"
    assert Feedback.objects.count() == 1
    with pytest.raises(ValidationFailed):
        services.feedback_report(actor=agents["reader"], kind="gossip", text_value="")
    assert Feedback.objects.count() == 1
    assert Proposal.objects.count() == 0


def test_articles_for_place_most_specific_first(agents: dict[str, Any]) -> None:
    by_topic = published(agents, title="About legalisation", body="General.")
    by_status = published(
        agents, title="Checking step", body="Check the chain.", code="benefits"
    )
    services.article_place_add(
        actor=agents["author"],
        article=by_status,
        kind="status",
        case_type_code="consular-legalisation",
        status_code="checking",
    )
    with pytest.raises(Conflict):
        services.article_place_add(
            actor=agents["author"],
            article=by_status,
            kind="status",
            case_type_code="consular-legalisation",
            status_code="checking",
        )
    with pytest.raises(ValidationFailed):
        services.article_place_add(
            actor=agents["author"], article=by_status, kind="status"
        )
    helps = selectors.articles_for_place(
        agent=agents["reader"],
        language="fr",
        topic_id=topic().pk,
        case_type_code="consular-legalisation",
        status_code="checking",
    )
    assert [(h.article, h.language) for h in helps] == [
        (by_status, "en"),
        (by_topic, "en"),
    ]
    assert (
        selectors.articles_for_place(agent=agents["admin"], topic_id=topic().pk) == []
    )


def test_revisions_are_append_only(agents: dict[str, Any]) -> None:
    article = _draft(agents)
    revision = ArticleRevision.objects.get(article=article)
    with pytest.raises(AppendOnlyError):
        ArticleRevision.objects.filter(pk=revision.pk).update(body="rewritten")
    with pytest.raises(AppendOnlyError):
        revision.delete()


@pytest.mark.postgres
def test_postgresql_refuses_rewriting_a_revision(agents: dict[str, Any]) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the trigger is PostgreSQL's")
    article = _draft(agents)
    with (
        pytest.raises(DatabaseError),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "UPDATE knowledge_articlerevision SET body = 'x' WHERE article_id = %s",
            [article.pk],
        )
    assert ArticleRevision.objects.get(article=article).body.startswith("Les frais")
