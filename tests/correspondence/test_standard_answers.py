"""Standard answers and the level rule for every written answer (issue #15, items
3 and 4): every function level against every kind of answer, on both paths a
written answer takes (a reply on a request, a letter), with nothing leaving before
a supervisor approved what the agent's level may not send alone.

The expected table is written by hand from the seeds (docs/sources.md §5.1: seed
001, "Questions ou plaintes", and seed 003, "Contacts"; seed 000, "Autonomie"): D
sends a standard answer unchanged, C fills its free fields, B adapts it; no
standard answer, or an answer the agent flags, always waits."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.core import mail

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guichet.access import policy
from guichet.access.domains.base import grant
from guichet.audit.models import AuditEvent
from guichet.core.errors import Forbidden
from guichet.correspondence import autonomy
from guichet.correspondence.errors import Code
from guichet.correspondence.models import Letter, LetterDispatch, LetterStatus
from guichet.correspondence.selectors import (
    replies_waiting,
    standard_answers_for_request,
)
from guichet.correspondence.services import (
    brochure_add,
    letter_approve,
    letter_draft_create,
    letter_reject,
    letter_submit,
    request_reply,
    request_reply_dispatch,
)
from guichet.correspondence.services.letters import letter_send_email
from guichet.servicerequests import services
from guichet.servicerequests.models import Request
from guichet.servicerequests.services import RequestInput
from tests.documents.factories import PDF

pytestmark = pytest.mark.django_db

PROCEDURE = "answer_legalisation_procedure"  # no free fields
READY = "answer_document_ready"  # two free fields: a date and an amount
FREE = {"collect_from": "2027-01-15", "fee": "20.00"}
LEVELS = ["D", "C", "B", "A1", "A2"]
KINDS = ["standard", "free_fields", "adapted", "no_template", "flagged"]
PATHS = ["request reply", "letter"]
ISSUED, WAITS = "issued", "pending_approval"

# kind of answer -> outcome for levels D, C, B, A1, A2
EXPECTED: dict[str, tuple[str, ...]] = {
    "standard": (ISSUED, ISSUED, ISSUED, ISSUED, ISSUED),
    "free_fields": (WAITS, ISSUED, ISSUED, ISSUED, ISSUED),
    "adapted": (WAITS, WAITS, ISSUED, ISSUED, ISSUED),
    "no_template": (WAITS, WAITS, WAITS, WAITS, WAITS),
    "flagged": (WAITS, WAITS, WAITS, WAITS, WAITS),
}
ADAPTED_BODY = (
    "{{ person.salutation }}\n\nVotre légalisation est prête, exceptionnellement."
)


def _request(agent: Any, person: Any) -> Request:
    return services.request_create(
        actor=agent,
        data=RequestInput(
            kind="question",
            subject="Comment légaliser un diplôme ?",
            topic="legalisation",
            channel="email",
            person=str(person.uuid),
            language="fr",
        ),
    )


def _reply(agent: Any, request: Request, kind: str) -> Letter:
    """An answer of this kind on the request's reply screen (one action)."""
    arguments: dict[str, Any] = {
        "standard": {"standard_answer": PROCEDURE},
        "free_fields": {"standard_answer": READY, "free_values": FREE},
        "adapted": {"standard_answer": PROCEDURE, "body": ADAPTED_BODY},
        "no_template": {"answer": "Votre légalisation est prête."},
        "flagged": {
            "standard_answer": PROCEDURE,
            "is_flagged": True,
            "flag_reason": "Litige en cours.",
        },
    }[kind]
    reply = request_reply(actor=agent, request=request, **arguments)
    assert reply.dispatched == (reply.letter.status == ISSUED)
    return reply.letter


def _letter(agent: Any, request: Request, kind: str) -> Letter:
    """An answer of this kind written as a letter, then submitted."""
    common = {
        "actor": agent,
        "person_id": request.person.uuid,  # type: ignore[union-attr]
        "references": {"request": request.reference},
    }
    arguments: dict[str, Any] = {
        "standard": {"letter_type": PROCEDURE},
        "free_fields": {"letter_type": READY, "free_values": FREE},
        "adapted": {"letter_type": PROCEDURE, "body": ADAPTED_BODY},
        "no_template": {"subject": "Votre légalisation", "body": ADAPTED_BODY},
        "flagged": {
            "letter_type": PROCEDURE,
            "is_flagged": True,
            "flag_reason": "Litige en cours.",
        },
    }[kind]
    draft = letter_draft_create(**common, **arguments)
    return letter_submit(
        actor=agent, letter_id=draft.uuid, expected_version=draft.version
    )


WRITE: dict[str, Callable[[Any, Request, str], Letter]] = {
    "request reply": _reply,
    "letter": _letter,
}


def _sent_anything(letter: Letter) -> bool:
    return LetterDispatch.objects.filter(letter=letter).exists() or any(
        str(letter.number) in message.subject for message in mail.outbox
    )


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("kind", KINDS)
def test_every_level_against_every_kind_of_answer_on_every_path(
    path: str,
    kind: str,
    templates: int,
    writer: Callable[..., Any],
    supervisor: Any,
    person: Any,
) -> None:
    for level, expected in zip(LEVELS, EXPECTED[kind], strict=True):
        # given an agent of this level and a request about the person
        agent = writer(level)
        request = _request(agent, person)
        mail.outbox.clear()

        # when they answer with this kind of answer
        letter = WRITE[path](agent, request, kind)

        # then it is issued exactly when their level sends it alone
        assert (letter.status, letter.autonomy_kind) == (expected, kind), level
        if expected == WAITS:
            # and nothing leaves before a supervisor approves it
            assert (letter.number, letter.content) == (None, {}), level
            assert not _sent_anything(letter), level
            assert not mail.outbox, level
            letter_approve(
                actor=supervisor,
                letter_id=letter.uuid,
                expected_version=letter.version,
            )
            if path == "request reply":
                request_reply_dispatch(
                    actor=agent, request=request, letter_id=letter.uuid
                )
            else:
                letter_send_email(actor=agent, letter_id=letter.uuid)
            letter.refresh_from_db()
            assert letter.decided_by == supervisor
        elif path == "letter":
            letter_send_email(actor=agent, letter_id=letter.uuid)
        # once issued (alone or approved), it goes out once, by e-mail
        assert letter.number is not None
        assert [message.to for message in mail.outbox] == [
            ["helene.lefevre@example.be"]
        ], level


def test_the_standard_answers_offered_follow_the_topic_and_the_persons_language(
    templates: int, writer: Callable[..., Any], person: Any
) -> None:
    agent = writer("D")
    request = _request(agent, person)

    answers = standard_answers_for_request(agent=agent, request=request)

    # legalisation's own answer, and consular matters' above it, in French
    assert [(answer.code, answer.language) for answer in answers] == [
        (READY, "fr"),
        (PROCEDURE, "fr"),
    ] or [(answer.code, answer.language) for answer in answers] == [
        (PROCEDURE, "fr"),
        (READY, "fr"),
    ]
    procedure = next(answer for answer in answers if answer.code == PROCEDURE)
    # filled from the person and the request; the free fields stay for the agent
    assert procedure.body.startswith("Madame,\n\n")
    assert request.reference in procedure.subject
    assert "{{" not in procedure.body
    ready = next(answer for answer in answers if answer.code == READY)
    assert list(ready.fields) == ["collect_from", "fee"]
    assert "{{ free.collect_from }}" in ready.body


def test_the_request_and_dossier_values_are_written_in_the_letters_language(
    templates: int, writer: Callable[..., Any], person: Any
) -> None:
    from guichet.correspondence import placeholders

    agent = writer("D")
    request = _request(agent, person)
    assert placeholders.written(Decimal("1234.5"), "fr") == "1\u00a0234,50\u00a0€"
    assert placeholders.is_known("request.reference")
    assert placeholders.is_known("dossier.fee_due")
    letter = _letter(agent, request, "standard")
    assert request.reference in letter.content["subject"]
    # another person's request fills nothing: the letter would have a hole
    other = _letter_about_someone_else(agent, request)
    assert other.status == LetterStatus.DRAFT


def _letter_about_someone_else(agent: Any, request: Request) -> Letter:
    from guichet.core.errors import ValidationFailed
    from tests.correspondence.factories import person_with_address

    stranger = person_with_address(surname="Autre", email="autre@example.be")
    draft = letter_draft_create(
        actor=agent,
        person_id=stranger.uuid,
        letter_type=PROCEDURE,
        references={"request": request.reference},
    )
    with pytest.raises(ValidationFailed) as refused:
        letter_submit(actor=agent, letter_id=draft.uuid, expected_version=1)
    assert "request.reference" in str(refused.value.errors)
    draft.refresh_from_db()
    return draft


@pytest.fixture
def agents(writer: Callable[..., Any], supervisor: Any) -> dict[str, Any]:
    return {level: writer(level) for level in LEVELS}


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    level=st.sampled_from(LEVELS),
    kind=st.sampled_from(KINDS),
    path=st.sampled_from(PATHS),
    approve=st.booleans(),
)
def test_an_answer_goes_out_only_alone_within_the_level_or_approved_by_another(
    level: str,
    kind: str,
    path: str,
    approve: bool,
    templates: int,
    agents: dict[str, Any],
    supervisor: Any,
    person: Any,
) -> None:
    author = agents[level]
    request = _request(author, person)
    letter = WRITE[path](author, request, kind)
    if approve and letter.status == WAITS:
        letter_approve(
            actor=supervisor, letter_id=letter.uuid, expected_version=letter.version
        )
        letter.refresh_from_db()
    numbered_or_sent = letter.number is not None or _sent_anything(letter)
    letter_kind = autonomy.kind_of(letter.autonomy_kind)
    alone = autonomy.decide(agent=author, kind=letter_kind).may_send_alone
    approved_by_other = (
        letter.decided_by_id is not None
        and letter.decided_by_id != author.pk
        and autonomy.may_approve(agent=letter.decided_by, kind=letter_kind, obj=letter)
    )
    assert not numbered_or_sent or alone or approved_by_other
    assert numbered_or_sent == (alone or (approve and approved_by_other))


def test_a_supervisor_approves_with_an_edit_their_level_covers(
    templates: int, writer: Callable[..., Any], supervisor: Any, person: Any
) -> None:
    agent = writer("D")
    letter = _reply(agent, _request(agent, person), "free_fields")

    approved = letter_approve(
        actor=supervisor,
        letter_id=letter.uuid,
        expected_version=letter.version,
        body=ADAPTED_BODY,
        note="Reformulé.",
    )

    assert approved.status == ISSUED
    assert "exceptionnellement" in " ".join(approved.content["body"])
    event = AuditEvent.objects.filter(action="letter.approve").get()
    assert event.summary["edited_kind"] == "adapted"


def test_an_edit_beyond_the_approvers_level_is_refused_and_changes_nothing(
    templates: int,
    writer: Callable[..., Any],
    supervisor: Any,
    person: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    agent = writer("D")
    letter = _reply(agent, _request(agent, person), "no_template")
    # adapting a text reserved, say, to A2: the A1 supervisor may approve, not edit
    monkeypatch.setitem(
        policy.GRANTS, "letter.adapt", grant("supervisor", min_level="A2")
    )

    with pytest.raises(Forbidden) as refused:
        letter_approve(
            actor=supervisor,
            letter_id=letter.uuid,
            expected_version=letter.version,
            body="{{ person.salutation }}\n\nAutre chose.",
        )

    assert refused.value.code == Code.EDIT_ABOVE_LEVEL
    letter.refresh_from_db()
    assert (letter.status, letter.number) == (WAITS, None)
    approved = letter_approve(
        actor=supervisor, letter_id=letter.uuid, expected_version=letter.version
    )
    assert approved.status == ISSUED


def test_a_rejected_answer_goes_back_with_its_reason_and_never_leaves(
    templates: int, writer: Callable[..., Any], supervisor: Any, person: Any
) -> None:
    agent = writer("C")
    request = _request(agent, person)
    letter = _reply(agent, request, "adapted")

    letter_reject(
        actor=supervisor,
        letter_id=letter.uuid,
        expected_version=letter.version,
        reason="Gardez la réponse standard.",
    )

    # the agent sees the outcome on the request's page, with the reason
    [shown] = replies_waiting(agent=agent, request=request)
    assert (shown.status, shown.decision_reason) == (
        LetterStatus.REJECTED,
        "Gardez la réponse standard.",
    )
    assert not LetterDispatch.objects.exists()
    assert not mail.outbox


def test_a_standard_answers_brochure_goes_with_the_email_and_is_named_in_it(
    templates: int, writer: Callable[..., Any], person: Any
) -> None:
    from guichet.correspondence.models import LetterType

    brochure_add(
        actor=None,
        letter_type=LetterType.objects.get(code=PROCEDURE),
        title="Guide de la légalisation",
        filename="guide.pdf",
        data=PDF,
        language="fr",
    )
    agent = writer("D")

    letter = _reply(agent, _request(agent, person), "standard")

    assert [item["title"] for item in letter.content["brochures"]] == [
        "Guide de la légalisation"
    ]
    [message] = mail.outbox
    assert [name for name, _data, _type in message.attachments][1:] == ["guide.pdf"]
    assert message.attachments[1][1] == PDF
