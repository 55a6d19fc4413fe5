"""Registering and correcting contacts: who, for whom, measured, never leaking."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from guichet.audit.models import AuditEvent
from guichet.contacts import selectors, services
from guichet.contacts.models import Contact, Outcome, Topic
from guichet.contacts.services import ContactCorrection, ContactInput
from guichet.core import clock
from guichet.core.errors import Forbidden, StaleVersion, ValidationFailed
from tests.factories import PersonFactory, TeamFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent(make_agent: Any) -> Any:
    return make_agent("first_line", teams=["cc-fr"])


def _codes(error: ValidationFailed) -> dict[str, str]:
    return {problem.field: problem.code for problem in error.errors}


def test_a_phone_contact_is_registered_with_its_measured_duration(agent: Any) -> None:
    person = PersonFactory()
    started = clock.now() - dt.timedelta(minutes=4)
    contact = services.contact_register(
        actor=agent,
        data=ContactInput(
            channel="phone",
            started_at=started,
            ended_at=clock.now(),
            person=str(person.uuid),
            topic="attestations",
            summary="Asked for the C4 attestation.",
            outcome=Outcome.ANSWERED,
        ),
    )
    assert contact.team.code == "cc-fr"
    assert contact.topic is not None
    assert contact.topic.code == "attestations"
    assert contact.ended_at is not None
    assert (
        dt.timedelta(minutes=3)
        < contact.ended_at - contact.started_at
        < dt.timedelta(minutes=5)
    )
    assert contact.language == person.language
    assert AuditEvent.objects.filter(
        action="contact.register", object_id=str(contact.uuid)
    ).exists()


def test_a_caller_on_behalf_of_someone_is_recorded_with_both(agent: Any) -> None:
    person, social_worker = PersonFactory(), PersonFactory()
    contact = services.contact_register(
        actor=agent,
        data=ContactInput(
            channel="phone",
            person=str(person.uuid),
            caller_person=str(social_worker.uuid),
            caller_relation="social_worker",
        ),
    )
    assert contact.caller_person == social_worker
    assert selectors.contacts_of_person(agent=agent, person=social_worker) == [contact]
    assert selectors.contacts_of_person(agent=agent, person=person) == [contact]


def test_a_caller_needs_someone_they_call_for(agent: Any) -> None:
    with pytest.raises(ValidationFailed) as caught:
        services.contact_register(
            actor=agent, data=ContactInput(channel="phone", caller_name="A neighbour")
        )
    assert _codes(caught.value) == {"person": "caller_without_concerned"}
    assert not Contact.objects.exists()


def test_an_anonymous_contact_keeps_what_is_known(agent: Any) -> None:
    contact = services.contact_register(
        actor=agent,
        data=ContactInput(
            channel="counter", anonymous_details="Man, about 40, asked about visas"
        ),
    )
    assert contact.person is None
    assert contact.anonymous_details.startswith("Man")


def test_a_hidden_person_reads_as_not_found_and_nothing_is_saved(
    agent: Any, make_agent: Any
) -> None:
    hidden = PersonFactory(confidential_team=TeamFactory(code="visas"))
    with pytest.raises(ValidationFailed) as hidden_error:
        services.contact_register(
            actor=agent, data=ContactInput(channel="phone", person=str(hidden.uuid))
        )
    with pytest.raises(ValidationFailed) as missing_error:
        services.contact_register(
            actor=agent,
            data=ContactInput(
                channel="phone", person="00000000-0000-4000-8000-000000000000"
            ),
        )
    assert [e.as_dict() for e in hidden_error.value.errors] == [
        e.as_dict() for e in missing_error.value.errors
    ]
    assert not Contact.objects.exists()


@pytest.mark.parametrize(
    ("data", "field", "code"),
    [
        (ContactInput(channel="pigeon"), "channel", "invalid_choice"),
        (
            ContactInput(channel="phone", topic="no-such-topic"),
            "topic",
            "unknown_topic",
        ),
        (
            ContactInput(
                channel="phone", started_at=clock.now() + dt.timedelta(hours=2)
            ),
            "started_at",
            "in_future",
        ),
        (
            ContactInput(channel="phone", started_at=dt.datetime(2026, 1, 1, 9, 0)),  # noqa: DTZ001 - the naive time is the point
            "started_at",
            "naive_time",
        ),
        (ContactInput(channel="phone", outcome="maybe"), "outcome", "invalid_choice"),
    ],
)
def test_bad_input_is_refused_with_the_field_named(
    agent: Any, data: ContactInput, field: str, code: str
) -> None:
    with pytest.raises(ValidationFailed) as caught:
        services.contact_register(actor=agent, data=data)
    assert _codes(caught.value)[field] == code
    assert not Contact.objects.exists()


def test_the_end_cannot_precede_the_start(agent: Any) -> None:
    now = clock.now()
    with pytest.raises(ValidationFailed) as caught:
        services.contact_register(
            actor=agent,
            data=ContactInput(
                channel="phone", started_at=now, ended_at=now - dt.timedelta(minutes=1)
            ),
        )
    assert _codes(caught.value) == {"ended_at": "ends_before_start"}


def test_another_services_own_topic_is_unknown(agent: Any) -> None:
    other = TeamFactory(code="visas")
    Topic.objects.create(
        code="visa-private",
        team=other,
        name_fr="x",
        name_nl="x",
        name_de="x",
        name_en="x",
    )
    with pytest.raises(ValidationFailed) as caught:
        services.contact_register(
            actor=agent, data=ContactInput(channel="phone", topic="visa-private")
        )
    assert _codes(caught.value) == {"topic": "unknown_topic"}


def test_an_agent_of_two_services_must_choose_one(make_agent: Any) -> None:
    agent = make_agent("first_line", teams=["cc-fr", "cc-nl"])
    with pytest.raises(ValidationFailed) as caught:
        services.contact_register(actor=agent, data=ContactInput(channel="phone"))
    assert _codes(caught.value) == {"team": "team_required"}
    contact = services.contact_register(
        actor=agent, data=ContactInput(channel="phone"), team=TeamFactory(code="cc-nl")
    )
    assert contact.team.code == "cc-nl"


def test_an_agent_cannot_register_for_a_service_they_are_not_in(agent: Any) -> None:
    with pytest.raises(ValidationFailed) as caught:
        services.contact_register(
            actor=agent,
            data=ContactInput(channel="phone"),
            team=TeamFactory(code="visas"),
        )
    assert _codes(caught.value) == {"team": "not_your_team"}


def test_an_administrator_does_not_register_contacts(make_agent: Any) -> None:
    administrator = make_agent("admin", teams=[])
    with pytest.raises(Forbidden):
        services.contact_register(
            actor=administrator, data=ContactInput(channel="phone")
        )


def test_a_correction_based_on_an_old_version_is_refused(agent: Any) -> None:
    contact = services.contact_register(actor=agent, data=ContactInput(channel="email"))
    services.contact_correct(
        actor=agent,
        contact=contact,
        expected_version=1,
        data=ContactCorrection(topic="complaints", summary="Complains about a delay"),
    )
    stale = Contact.objects.get(pk=contact.pk)
    stale.version = 1
    with pytest.raises(StaleVersion):
        services.contact_correct(
            actor=agent,
            contact=stale,
            expected_version=1,
            data=ContactCorrection(summary="overwritten"),
        )
    contact.refresh_from_db()
    assert contact.summary == "Complains about a delay"
    assert contact.version == 2


def test_a_contact_ends_once(agent: Any) -> None:
    contact = services.contact_register(actor=agent, data=ContactInput(channel="phone"))
    services.contact_end(actor=agent, contact=contact, outcome=Outcome.FORWARDED)
    assert contact.ended_at is not None
    with pytest.raises(ValidationFailed):
        services.contact_end(actor=agent, contact=contact)


def test_topic_options_are_a_tree_named_in_the_language() -> None:
    options = {o.code: o for o in selectors.topic_options(team=None, language="nl")}
    assert options["legalisation"].label == "Consulaire zaken > Legalisatie"
    assert options["legalisation"].depth == 1
    assert options["complaints"].depth == 0


def _anonymous(agent: Any) -> Contact:
    return services.contact_register(
        actor=agent,
        data=ContactInput(channel="phone", anonymous_details="A woman, 0470 12 34 56"),
    )


def test_an_anonymous_contact_is_identified_later_and_audited(agent: Any) -> None:
    contact = _anonymous(agent)
    person = PersonFactory(language="nl")

    services.contact_identify(
        actor=agent,
        contact=contact,
        expected_version=contact.version,
        person=str(person.uuid),
    )

    contact.refresh_from_db()
    assert contact.person == person
    assert contact.language == "nl"
    assert contact.anonymous_details == "A woman, 0470 12 34 56"
    event = AuditEvent.objects.get(action="contact.identify")
    assert event.summary == {"person": str(person.uuid), "was_anonymous": True}


def test_identifying_names_a_visible_person_once(agent: Any) -> None:
    contact = _anonymous(agent)
    hidden = PersonFactory(confidential_team=TeamFactory(code="visas"))
    with pytest.raises(ValidationFailed) as hidden_error:
        services.contact_identify(
            actor=agent,
            contact=contact,
            expected_version=contact.version,
            person=str(hidden.uuid),
        )
    with pytest.raises(ValidationFailed) as missing_error:
        services.contact_identify(
            actor=agent,
            contact=contact,
            expected_version=contact.version,
            person="00000000-0000-4000-8000-000000000000",
        )
    assert [e.as_dict() for e in hidden_error.value.errors] == [
        e.as_dict() for e in missing_error.value.errors
    ]
    person = PersonFactory()
    services.contact_identify(
        actor=agent, contact=contact, expected_version=1, person=str(person.uuid)
    )
    with pytest.raises(ValidationFailed) as again:
        services.contact_identify(
            actor=agent,
            contact=contact,
            expected_version=contact.version,
            person=str(PersonFactory().uuid),
        )
    assert _codes(again.value) == {"person": "already_identified"}
    contact.refresh_from_db()
    assert contact.person == person
    assert (
        not AuditEvent.objects.filter(action="contact.identify")
        .exclude(summary__person=str(person.uuid))
        .exists()
    )


def test_identifying_on_an_old_version_is_refused(agent: Any) -> None:
    contact = _anonymous(agent)
    with pytest.raises(StaleVersion):
        services.contact_identify(
            actor=agent,
            contact=contact,
            expected_version=contact.version + 1,
            person=str(PersonFactory().uuid),
        )
    contact.refresh_from_db()
    assert contact.person is None


class AuditDown(Exception):
    """The audit trail could not be written."""


WRITES = {
    "register": lambda agent, contact: services.contact_register(
        actor=agent, data=ContactInput(channel="email")
    ),
    "correct": lambda agent, contact: services.contact_correct(
        actor=agent,
        contact=contact,
        expected_version=contact.version,
        data=ContactCorrection(summary="Unaudited"),
    ),
    "end": lambda agent, contact: services.contact_end(actor=agent, contact=contact),
}


@pytest.mark.parametrize("_case", list(WRITES))
def test_a_write_is_undone_when_its_audit_record_fails(
    agent: Any, monkeypatch: pytest.MonkeyPatch, _case: str
) -> None:
    # given an open contact, and then an audit trail that cannot be written
    contact = services.contact_register(actor=agent, data=ContactInput(channel="phone"))
    before = list(Contact.objects.values())

    def fail(**kwargs: Any) -> None:
        raise AuditDown

    monkeypatch.setattr(services, "audit_record", fail)
    # when
    with pytest.raises(AuditDown):
        WRITES[_case](agent, contact)
    # then nothing was written: a write and its audit record are one transaction
    assert list(Contact.objects.values()) == before
