"""Replies to the citizen on a request: by the person's preferred channel, in their
language, through the letters' own approval rule (issue #13, item 4)."""

from __future__ import annotations

from typing import Any

from django.core import mail

import pytest
from hypothesis import given
from hypothesis import strategies as st

from guichet.contacts.models import Channel as ContactChannel
from guichet.contacts.models import Contact, Direction
from guichet.core.errors import Forbidden, NotFound, ValidationFailed
from guichet.correspondence.errors import WrongState
from guichet.correspondence.models import Letter, LetterDispatch, LetterStatus
from guichet.correspondence.selectors import letters_to_post
from guichet.correspondence.services import (
    letter_approve,
    request_reply,
    request_reply_dispatch,
)
from guichet.correspondence.services.replies import reply_channel
from guichet.servicerequests import services
from guichet.servicerequests.models import Request, RequestEvent
from guichet.servicerequests.services import RequestInput
from tests.correspondence.factories import person_with_address

pytestmark = pytest.mark.django_db

# A shipped standard answer on legalisation, without free fields.
PROCEDURE = "answer_legalisation_procedure"


def _request(agent: Any, person: Any, **fields: Any) -> Request:
    values: dict[str, Any] = {
        "kind": "question",
        "subject": "Is my legalisation ready?",
        "topic": "legalisation",
        "channel": "email",
        "person": str(person.uuid) if person else "",
        "language": "fr",
    }
    values.update(fields)
    return services.request_create(actor=agent, data=RequestInput(**values))


@pytest.mark.parametrize(
    ("_case", "preferred", "has_email", "expected"),
    [
        ("email with an address", "email", True, "email"),
        ("email without an address", "email", False, "letter"),
        ("a phone call", "phone", True, "letter"),
        ("a visit", "counter", True, "letter"),
        ("a letter", "letter", True, "letter"),
    ],
)
def test_the_reply_channel_follows_the_preference(
    _case: str, preferred: str, has_email: bool, expected: str
) -> None:
    assert reply_channel(preferred=preferred, has_email=has_email) == expected


@given(preferred=st.sampled_from(ContactChannel.values), has_email=st.booleans())
def test_a_reply_goes_by_email_exactly_when_asked_and_possible(
    preferred: str, has_email: bool
) -> None:
    channel = reply_channel(preferred=preferred, has_email=has_email)
    assert channel in {"email", "letter"}
    assert (channel == "email") == (preferred == "email" and has_email)


def test_a_reply_by_email_goes_out_in_the_persons_language_and_is_a_contact(
    templates: int, writer: Any
) -> None:
    person = person_with_address(surname="Peeters", language="nl")
    agent = writer("C")
    request = _request(agent, person, language="fr")

    reply = request_reply(actor=agent, request=request, standard_answer=PROCEDURE)

    letter = Letter.objects.get(pk=reply.letter.pk)
    assert letter.status == LetterStatus.SENT
    assert letter.language == "nl"
    assert letter.autonomy_kind == "standard"
    assert (letter.body_text, letter.free_values) == (None, {})
    assert request.reference in letter.content["subject"]
    assert reply.channel == "email"
    assert reply.dispatched
    assert LetterDispatch.objects.get(letter=letter).address == (
        "helene.lefevre@example.be"
    )
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["helene.lefevre@example.be"]
    contact = Contact.objects.get(direction=Direction.OUTBOUND)
    assert (contact.channel, contact.person, contact.agent) == ("email", person, agent)
    assert contact.summary == "De legalisatie van uw documenten"
    assert list(request.contacts.all()) == [contact]
    event = RequestEvent.objects.get(request=request, kind="reply")
    assert event.data == {
        "letter": str(letter.uuid),
        "channel": "email",
        "dispatched": True,
        "contact": str(contact.uuid),
    }


def test_a_reply_to_a_phone_request_is_a_letter_in_the_print_queue(
    templates: int, writer: Any, person: Any
) -> None:
    agent = writer("D")
    request = _request(agent, person, channel="phone")

    reply = request_reply(actor=agent, request=request, standard_answer=PROCEDURE)

    assert reply.channel == "letter"
    assert reply.dispatch is None
    assert [letter.pk for letter in letters_to_post(agent=agent)] == [reply.letter.pk]
    assert not mail.outbox
    contact = Contact.objects.get(direction=Direction.OUTBOUND)
    assert contact.channel == "letter"


def test_without_an_email_on_record_the_reply_goes_by_post(
    templates: int, writer: Any
) -> None:
    person = person_with_address(surname="Dubois", email="")
    agent = writer("C")
    request = _request(agent, person, channel="email")

    reply = request_reply(actor=agent, request=request, standard_answer=PROCEDURE)

    assert reply.channel == "letter"
    assert reply.letter.status == LetterStatus.ISSUED
    assert not LetterDispatch.objects.exists()


def test_a_reply_above_the_agents_level_waits_for_approval_then_goes_out_once(
    templates: int, writer: Any, supervisor: Any, person: Any
) -> None:
    agent = writer("D")
    request = _request(agent, person)

    reply = request_reply(
        actor=agent, request=request, answer="Votre document est prêt."
    )

    assert reply.letter.status == LetterStatus.PENDING_APPROVAL
    assert not reply.dispatched
    assert not Contact.objects.filter(direction=Direction.OUTBOUND).exists()
    assert RequestEvent.objects.get(request=request, kind="reply").data[
        "dispatched"
    ] is (False)
    with pytest.raises(WrongState):
        request_reply_dispatch(
            actor=agent, request=request, letter_id=reply.letter.uuid
        )

    letter_approve(
        actor=supervisor,
        letter_id=reply.letter.uuid,
        expected_version=reply.letter.version,
    )
    sent = request_reply_dispatch(
        actor=agent, request=request, letter_id=reply.letter.uuid
    )

    assert sent.dispatched
    assert len(mail.outbox) == 1
    assert Contact.objects.filter(direction=Direction.OUTBOUND).count() == 1
    with pytest.raises(NotFound):
        request_reply_dispatch(
            actor=agent, request=request, letter_id=reply.letter.uuid
        )
    assert len(mail.outbox) == 1


def test_without_the_template_the_reply_is_written_from_scratch_and_approved(
    writer: Any, person: Any
) -> None:
    agent = writer("A1")
    request = _request(agent, person)

    reply = request_reply(actor=agent, request=request, answer="Réponse libre.")

    assert reply.letter.template_version is None
    assert reply.letter.body_text == "Réponse libre."
    assert reply.letter.status == LetterStatus.PENDING_APPROVAL


def test_a_request_about_nobody_cannot_be_answered_yet(
    templates: int, writer: Any
) -> None:
    agent = writer("C")
    contact_request = services.anonymous_contact_with_request(
        actor=agent,
        contact=_anonymous(),
        request=RequestInput(
            kind="question",
            subject="Opening hours?",
            topic="legalisation",
            channel="phone",
        ),
    )[1]

    with pytest.raises(ValidationFailed) as refused:
        request_reply(actor=agent, request=contact_request, answer="Réponse.")

    assert [error.field for error in refused.value.errors] == ["person"]
    assert not Letter.objects.exists()


def test_only_who_works_on_the_request_replies(
    templates: int, writer: Any, make_agent: Any, person: Any
) -> None:
    request = _request(writer("C"), person)
    outsider = make_agent("front_office", level="C", teams=("visas",))

    with pytest.raises(Forbidden):
        request_reply(actor=outsider, request=request, answer="Réponse.")
    with pytest.raises(ValidationFailed):
        request_reply(actor=writer("C"), request=request, answer="  ")

    assert not Letter.objects.exists()
    assert not RequestEvent.objects.filter(kind="reply").exists()


def _anonymous() -> Any:
    from guichet.contacts.services import ContactInput

    return ContactInput(channel="phone", anonymous_details="A man, 0470 12 34 56")


def test_a_reply_goes_out_only_by_its_letters_team(
    templates: int, writer: Any, supervisor: Any, make_agent: Any, person: Any
) -> None:
    """Dispatching a letter belongs to its team (issue #12, item 4): once the
    request was handed over, the new team works on it but may not record that the
    first team's reply went out, by post as by e-mail (the first team sends it
    from its own letters)."""
    from guichet.agents.models import Team

    author = writer("D")
    outsider = make_agent("front_office", level="C", teams=("visas",))
    for channel in ("phone", "email"):
        request = _request(author, person, channel=channel)
        reply = request_reply(actor=author, request=request, answer="Prêt.")
        letter_approve(
            actor=supervisor,
            letter_id=reply.letter.uuid,
            expected_version=reply.letter.version,
        )
        request = services.request_handover(
            actor=author,
            request=request,
            expected_version=request.version,
            team=Team.objects.get(code="visas"),
            reason="Theirs now.",
        )

        with pytest.raises(Forbidden):
            request_reply_dispatch(
                actor=outsider, request=request, letter_id=reply.letter.uuid
            )
        assert not Contact.objects.filter(direction=Direction.OUTBOUND).exists()
        assert not mail.outbox
