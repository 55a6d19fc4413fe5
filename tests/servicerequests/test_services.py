"""Requests: created and routed, deadlines in business hours, worked, taken once."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection, connections

import pytest

from guichet.agents.models import Team
from guichet.audit.models import AuditEvent
from guichet.contacts.models import Contact, Topic
from guichet.contacts.services import ContactInput
from guichet.core import clock
from guichet.core.errors import Conflict, Forbidden, StaleVersion, ValidationFailed
from guichet.servicerequests import selectors, services
from guichet.servicerequests.models import (
    Request,
    RequestEvent,
    ServiceLevelSignal,
    Status,
)
from guichet.servicerequests.services import RequestInput
from tests.factories import PersonFactory, TeamFactory

BRUSSELS = ZoneInfo("Europe/Brussels")
pytestmark = pytest.mark.django_db


@pytest.fixture
def at(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Pin the clock: `at(2026, 3, 2, 9, 0)` (Brussels time)."""

    def pin(*parts: int) -> dt.datetime:
        moment = dt.datetime(*parts, tzinfo=BRUSSELS)  # type: ignore[misc]
        monkeypatch.setattr(clock, "now", lambda: moment)
        return moment

    return pin


@pytest.fixture
def first(make_agent: Any, routing: Any) -> Any:
    return make_agent("first_line", teams=["cc-fr"], username="first")


@pytest.fixture
def second(make_agent: Any, routing: Any) -> Any:
    return make_agent("second_line", teams=["cc-fr"], username="second")


def _question(person: Any, **fields: Any) -> RequestInput:
    values: dict[str, Any] = {
        "kind": "question",
        "subject": "When is my benefit paid?",
        "topic": "benefit-payment",
        "channel": "phone",
        "person": str(person.uuid),
        "language": "fr",
    }
    values.update(fields)
    return RequestInput(**values)


def _codes(error: ValidationFailed) -> dict[str, str]:
    return {problem.field: problem.code for problem in error.errors}


def test_a_request_is_routed_and_gets_its_deadlines_in_business_hours(
    first: Any, at: Any
) -> None:
    at(2026, 3, 6, 15, 0)  # a Friday, two business hours before closing
    request = services.request_create(actor=first, data=_question(PersonFactory()))
    assert request.team.code == "cc-fr"
    assert request.status == Status.NEW
    assert request.reference == f"REQ-{request.created_at.year}-{request.pk:07d}"
    # 8 business hours: 2 on Friday, 6 on Monday from 09:00.
    assert request.first_answer_due == dt.datetime(2026, 3, 9, 15, 0, tzinfo=BRUSSELS)
    # 24 business hours: 2 + 8 + 8 + 6 -> Wednesday 15:00.
    assert request.resolution_due == dt.datetime(2026, 3, 11, 15, 0, tzinfo=BRUSSELS)
    assert list(request.events.values_list("kind", flat=True)) == ["created"]


def test_a_request_on_a_holiday_counts_from_the_next_opening(
    first: Any, at: Any
) -> None:
    at(2026, 4, 6, 10, 0)  # Easter Monday 2026, a legal holiday
    request = services.request_create(actor=first, data=_question(PersonFactory()))
    assert request.first_answer_due == dt.datetime(2026, 4, 7, 17, 0, tzinfo=BRUSSELS)


def test_consular_topics_go_to_the_consular_queue_dutch_to_the_dutch_one(
    first: Any,
) -> None:
    person = PersonFactory()
    legal = services.request_create(
        actor=first, data=_question(person, topic="legalisation", subject="Apostille")
    )
    assert legal.team.code == "legalisations"
    dutch = services.request_create(actor=first, data=_question(person, language="nl"))
    assert dutch.team.code == "cc-nl"


def test_without_a_matching_rule_the_request_stays_in_the_creators_queue(
    make_agent: Any, routing: Any
) -> None:
    agent = make_agent("front_office", teams=["visas"])
    request = services.request_create(
        actor=agent, data=_question(PersonFactory(), language="de")
    )
    assert request.team.code == "visas"


def test_the_language_and_reply_channel_follow_the_person(first: Any) -> None:
    person = PersonFactory(language="nl")
    request = services.request_create(
        actor=first, data=_question(person, language="", channel="email")
    )
    assert request.language == "nl"
    assert request.reply_channel == "email"


def test_a_contact_and_its_request_are_created_together_or_not_at_all(
    first: Any,
) -> None:
    person = PersonFactory()
    contact, request = services.contact_with_request(
        actor=first,
        contact=ContactInput(channel="phone", person=str(person.uuid)),
        request=_question(person),
    )
    assert contact.outcome == "request_created"
    assert list(request.contacts.all()) == [contact]
    with pytest.raises(ValidationFailed):
        services.contact_with_request(
            actor=first,
            contact=ContactInput(channel="phone", person=str(person.uuid)),
            request=_question(person, topic="no-such-topic"),
        )
    assert Contact.objects.count() == 1


def test_bad_requests_change_nothing(first: Any) -> None:
    hidden = PersonFactory(confidential_team=TeamFactory(code="visas"))
    with pytest.raises(ValidationFailed) as caught:
        services.request_create(
            actor=first,
            data=RequestInput(
                kind="wish",
                subject="",
                topic="nope",
                channel="phone",
                person=str(hidden.uuid),
                priority="asap",
            ),
        )
    assert _codes(caught.value) == {
        "kind": "invalid_choice",
        "subject": "required",
        "topic": "unknown_topic",
        "priority": "invalid_choice",
        "person": "not_found",
    }
    assert not Request.objects.exists()


def test_only_a_complaint_has_complaint_fields(first: Any) -> None:
    with pytest.raises(ValidationFailed) as caught:
        services.request_create(
            actor=first, data=_question(PersonFactory(), seriousness="serious")
        )
    assert _codes(caught.value) == {"complaint_about": "complaint_only"}
    with pytest.raises(ValidationFailed) as missing:
        services.request_create(
            actor=first, data=_question(PersonFactory(), kind="complaint")
        )
    assert _codes(missing.value) == {"seriousness": "required"}


def test_a_complaint_is_acknowledged_and_closed_only_with_a_classification(
    first: Any, second: Any
) -> None:
    acknowledged: list[Request] = []
    services.complaint_registered.append(
        lambda agent, request: acknowledged.append(request)
    )
    try:
        complaint = services.request_create(
            actor=first,
            data=_question(
                PersonFactory(),
                kind="complaint",
                seriousness="serious",
                complaint_about="Waited two hours at the counter",
                complaint_service="cc-fr",
            ),
        )
    finally:
        services.complaint_registered.pop()
    assert acknowledged == [complaint]
    with pytest.raises(ValidationFailed) as caught:
        services.request_transition(
            actor=second,
            request=complaint,
            expected_version=1,
            to="closed",
            text_="Done",
        )
    assert _codes(caught.value) == {"classification": "required"}
    services.request_transition(
        actor=second,
        request=complaint,
        expected_version=1,
        to="closed",
        text_="Apologies sent",
        classification="founded",
    )
    assert complaint.classification == "founded"
    assert complaint.status == "closed"


def test_a_transition_outside_the_table_is_refused(first: Any, second: Any) -> None:
    request = services.request_create(actor=first, data=_question(PersonFactory()))
    with pytest.raises(ValidationFailed) as caught:
        services.request_transition(
            actor=second, request=request, expected_version=1, to="reopened", text_="x"
        )
    assert _codes(caught.value) == {"status": "transition_not_allowed"}
    with pytest.raises(ValidationFailed) as no_text:
        services.request_transition(
            actor=second, request=request, expected_version=1, to="answered"
        )
    assert _codes(no_text.value) == {"text": "required"}
    request.refresh_from_db()
    assert request.status == "new"
    assert request.version == 1


def test_a_stale_transition_is_refused(first: Any, second: Any) -> None:
    request = services.request_create(actor=first, data=_question(PersonFactory()))
    services.request_transition(
        actor=second, request=request, expected_version=1, to="in_progress"
    )
    with pytest.raises(StaleVersion):
        services.request_transition(
            actor=first, request=request, expected_version=1, to="answered", text_="x"
        )


def test_waiting_for_the_citizen_pauses_the_clock(
    first: Any, second: Any, at: Any
) -> None:
    at(2026, 3, 2, 9, 0)  # Monday
    request = services.request_create(actor=first, data=_question(PersonFactory()))
    assert request.resolution_due == dt.datetime(2026, 3, 4, 17, 0, tzinfo=BRUSSELS)
    at(2026, 3, 2, 10, 0)
    services.request_transition(
        actor=second,
        request=request,
        expected_version=1,
        to="waiting_citizen",
        text_="Please send your C4.",
    )
    # The citizen's question was answered, asking something back.
    assert request.first_answered_at == dt.datetime(2026, 3, 2, 10, 0, tzinfo=BRUSSELS)
    at(2026, 3, 3, 10, 0)  # answers a business day (8 hours) later
    services.request_transition(
        actor=second, request=request, expected_version=2, to="in_progress"
    )
    assert request.paused_since is None
    assert request.resolution_due == dt.datetime(2026, 3, 5, 17, 0, tzinfo=BRUSSELS)
    kinds = list(request.events.values_list("kind", "to_status"))
    assert kinds == [
        ("created", "new"),
        ("status", "waiting_citizen"),
        ("status", "in_progress"),
    ]


def test_the_first_line_hands_over_with_a_reason_and_the_context_travels(
    first: Any, make_agent: Any
) -> None:
    person = PersonFactory()
    contact, request = services.contact_with_request(
        actor=first,
        contact=ContactInput(channel="phone", person=str(person.uuid)),
        request=_question(person),
    )
    services.request_note(actor=first, request=request, text_="Caller was upset")
    legal = TeamFactory(code="legalisations")
    with pytest.raises(ValidationFailed):
        services.request_handover(
            actor=first,
            request=request,
            expected_version=request.version,
            team=legal,
            reason="",
        )
    services.request_handover(
        actor=first,
        request=request,
        expected_version=request.version,
        team=legal,
        reason="Needs an apostille",
    )
    assert request.team == legal
    assert request.owner is None
    handler = make_agent("front_office", teams=["legalisations"])
    taken = services.request_take_next(actor=handler)
    assert taken == request
    assert list(taken.contacts.all()) == [contact]
    assert "note" in set(taken.events.values_list("kind", flat=True))


def test_another_teams_agent_cannot_work_on_the_request(
    first: Any, make_agent: Any
) -> None:
    request = services.request_create(actor=first, data=_question(PersonFactory()))
    outsider = make_agent("second_line", teams=["cc-nl"])
    with pytest.raises(Forbidden):
        services.request_transition(
            actor=outsider, request=request, expected_version=1, to="in_progress"
        )
    assert services.request_take_next(actor=outsider) is None


def test_take_next_takes_the_earliest_deadline_and_a_taken_request_cannot_be_taken(
    first: Any, second: Any, at: Any, make_agent: Any
) -> None:
    at(2026, 3, 2, 9, 0)
    later = services.request_create(actor=first, data=_question(PersonFactory()))
    at(2026, 3, 2, 8, 0)  # before opening: due at the same time as `later`...
    sooner = services.request_create(
        actor=first, data=_question(PersonFactory(), kind="question", priority="high")
    )
    assert sooner.resolution_due == later.resolution_due
    # ...so the older row id comes first; an urgent one with an earlier due wins.
    assert services.request_take_next(actor=second) == later
    assert services.request_take_next(actor=second) == sooner
    assert services.request_take_next(actor=second) is None
    other = make_agent("second_line", teams=["cc-fr"])
    with pytest.raises(Conflict):
        services.request_take(actor=other, request=later)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_agents_taking_at_once_never_get_the_same_request(
    make_agent: Any, routing: Any
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises every writer: a race proves nothing there")
    creator = make_agent("first_line", teams=["cc-fr"])
    for _ in range(6):
        services.request_create(actor=creator, data=_question(PersonFactory()))
    takers = [make_agent("second_line", teams=["cc-fr"]) for _ in range(8)]
    barrier = threading.Barrier(len(takers))
    results: list[Any] = [None] * len(takers)

    def run(index: int) -> None:
        try:
            barrier.wait()
            results[index] = services.request_take_next(actor=takers[index])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(takers))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    taken = [r.pk for r in results if r is not None]
    assert len(taken) == 6
    assert len(set(taken)) == 6
    assert RequestEvent.objects.filter(kind="taken").count() == 6


def test_a_supervisor_reassigns_within_the_team_only(
    first: Any, second: Any, make_agent: Any
) -> None:
    supervisor = make_agent("supervisor", teams=["cc-fr"], level="A1")
    request = services.request_create(actor=first, data=_question(PersonFactory()))
    services.request_assign(
        actor=supervisor, request=request, expected_version=1, agent=second
    )
    assert request.owner == second
    outsider = make_agent("second_line", teams=["cc-nl"])
    with pytest.raises(ValidationFailed) as caught:
        services.request_assign(
            actor=supervisor,
            request=request,
            expected_version=request.version,
            agent=outsider,
        )
    assert _codes(caught.value) == {"owner": "not_a_member"}
    with pytest.raises(Forbidden):
        services.request_assign(
            actor=second, request=request, expected_version=request.version, agent=first
        )


def test_merging_keeps_both_histories_and_moves_the_contacts(
    first: Any, second: Any
) -> None:
    person = PersonFactory()
    _, kept = services.contact_with_request(
        actor=first,
        contact=ContactInput(channel="phone", person=str(person.uuid)),
        request=_question(person),
    )
    contact, duplicate = services.contact_with_request(
        actor=first,
        contact=ContactInput(channel="email", person=str(person.uuid)),
        request=_question(person),
    )
    services.request_merge(
        actor=second, duplicate=duplicate, into=kept, reason="Same question"
    )
    duplicate.refresh_from_db()
    assert duplicate.merged_into == kept
    assert duplicate.status == "closed"
    assert contact in kept.contacts.all()
    assert duplicate.events.filter(kind="merged").exists()
    assert kept.events.filter(kind="merged").exists()
    with pytest.raises(ValidationFailed):
        services.request_merge(
            actor=second, duplicate=duplicate, into=kept, reason="again"
        )
    with pytest.raises(ValidationFailed):
        services.request_merge(actor=second, duplicate=kept, into=kept, reason="self")


def test_linking_refuses_a_cycle(first: Any, second: Any) -> None:
    person = PersonFactory()
    parent = services.request_create(actor=first, data=_question(person))
    child = services.request_create(actor=first, data=_question(person))
    services.request_link(actor=second, child=child, parent=parent)
    with pytest.raises(ValidationFailed) as caught:
        services.request_link(actor=second, child=parent, parent=child)
    assert _codes(caught.value) == {"parent": "link_cycle"}


def test_breaches_are_recorded_once_and_never_recalculated_away(
    first: Any, second: Any, at: Any, make_agent: Any
) -> None:
    make_agent("supervisor", teams=["cc-fr"], level="A1", username="boss")
    at(2026, 3, 2, 9, 0)
    request = services.request_create(actor=first, data=_question(PersonFactory()))
    at(2026, 3, 2, 14, 0)  # 3 hours before the first answer is due (warning at 4)
    assert services.service_levels_check() == {
        "warning": 1,
        "breach": 0,
        "escalation": 0,
    }
    at(2026, 3, 3, 9, 30)  # first answer overdue
    assert services.service_levels_check() == {
        "warning": 0,
        "breach": 1,
        "escalation": 1,
    }
    assert services.service_levels_check() == {
        "warning": 0,
        "breach": 0,
        "escalation": 0,
    }
    escalated = request.events.get(kind="escalated")
    assert escalated.data["supervisors"] == ["boss"]
    # The citizen waits, the clock stops; the breach stays.
    services.request_transition(
        actor=second,
        request=request,
        expected_version=1,
        to="waiting_citizen",
        text_="?",
    )
    assert ServiceLevelSignal.objects.filter(kind="breach").count() == 1


def test_new_assignments_of_an_absent_agent_go_to_their_substitute(
    first: Any, second: Any, make_agent: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from guichet.agents import substitutions
    from guichet.servicerequests import selectors

    supervisor = make_agent("supervisor", teams=["cc-fr"], level="A1")
    stand_in = make_agent("second_line", teams=["cc-fr"])
    owned = services.request_create(actor=first, data=_question(PersonFactory()))
    services.request_take(actor=second, request=owned)
    substitutions.substitution_create(
        actor=second,
        agent=second,
        substitute=stand_in,
        starts_on=clock.today(),
        ends_on=clock.today(),
    )
    new = services.request_create(actor=first, data=_question(PersonFactory()))
    services.request_assign(
        actor=supervisor, request=new, expected_version=1, agent=second
    )
    assert new.owner == stand_in
    assert new.events.get(kind="assigned").data == {
        "owner": stand_in.username,
        "standing_in_for": second.username,
    }
    work = selectors.my_work(agent=stand_in)
    assert work.owned == [new]
    assert work.standing_in == [owned]
    assert work.standing_in_for == [second]


def test_reference_rules_are_ensured_once(db: Any) -> None:
    team = TeamFactory(code="cc-fr")
    topic = Topic.objects.get(code="consular")
    first = services.routing_rule_ensure(actor=None, team=team, topic=topic, order=5)
    again = services.routing_rule_ensure(actor=None, team=team, topic=topic, order=7)
    level = services.service_level_rule_ensure(
        actor=None,
        kind="question",
        first_answer_hours=Decimal(8),
        resolution_hours=Decimal(24),
    )
    level_again = services.service_level_rule_ensure(
        actor=None,
        kind="question",
        first_answer_hours=Decimal(8),
        resolution_hours=Decimal(24),
    )
    assert (first, first.order) == (again, 5)
    assert level == level_again
    assert AuditEvent.objects.filter(action="routing_rule.create").count() == 1
    assert AuditEvent.objects.filter(action="service_level_rule.create").count() == 1


def test_a_creation_reads_routing_and_service_levels_from_the_process_cache(
    first: Any, routing: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from guichet.servicerequests.models import RoutingRule

    person = PersonFactory()
    services.request_create(actor=first, data=_question(person))
    with CaptureQueriesContext(connection) as captured:
        again = services.request_create(actor=first, data=_question(person))
    rule_reads = [
        query["sql"]
        for query in captured.captured_queries
        if query["sql"].lstrip().upper().startswith("SELECT")
        and (
            '"servicerequests_routingrule"."' in query["sql"]
            or '"servicerequests_servicelevelrule"."' in query["sql"]
            or '"contacts_topic"."' in query["sql"]
        )
    ]
    assert rule_reads == []
    assert again.team.code == "cc-fr"
    # A rule added in any process is seen at the next creation.
    RoutingRule.objects.create(
        team=TeamFactory(code="benefits"),
        topic=again.topic,
        order=1,
    )
    moved = services.request_create(actor=first, data=_question(person))
    assert moved.team.code == "benefits"


def test_a_contact_with_its_request_looks_the_person_and_topic_up_once(
    first: Any, routing: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    person = PersonFactory()

    def create() -> Any:
        return services.contact_with_request(
            actor=first,
            contact=ContactInput(
                channel="phone", person=str(person.uuid), topic="benefit-payment"
            ),
            request=_question(person),
        )

    create()
    with CaptureQueriesContext(connection) as captured:
        contact, request = create()
    selects = [
        query["sql"]
        for query in captured.captured_queries
        if query["sql"].lstrip().upper().startswith("SELECT")
    ]
    assert sum('"parties_person"."' in sql for sql in selects) == 1
    assert not [sql for sql in selects if '"contacts_topic"."' in sql]
    assert (contact.person, contact.topic) == (person, request.topic)


def _unnamed(**fields: Any) -> RequestInput:
    """A question that names nobody (from an anonymous caller)."""
    values: dict[str, Any] = {
        "kind": "question",
        "subject": "What are your opening hours?",
        "topic": "benefit-payment",
        "channel": "phone",
        "language": "fr",
    }
    values.update(fields)
    return RequestInput(**values)


def _anonymous_contact(agent: Any) -> Contact:
    from guichet.contacts.services import contact_register

    return contact_register(
        actor=agent,
        data=ContactInput(
            channel="phone", anonymous_details="A man from Namur\n0470 12 34 56"
        ),
    )


def test_an_anonymous_contact_opens_a_request_about_nobody_yet(first: Any) -> None:
    contact = _anonymous_contact(first)

    request = services.request_from_contact(
        actor=first, contact=contact, data=_unnamed()
    )

    assert request.person is None
    assert request.requester_name == "A man from Namur"
    assert list(request.contacts.all()) == [contact]
    assert list(request.events.values_list("kind", flat=True)) == [
        "created",
        "contact",
    ]


def test_a_known_contact_gives_its_person_to_the_request(first: Any) -> None:
    from guichet.contacts.services import contact_register

    person = PersonFactory()
    contact = contact_register(
        actor=first, data=ContactInput(channel="phone", person=str(person.uuid))
    )
    request = services.request_from_contact(
        actor=first, contact=contact, data=_unnamed()
    )
    assert request.person == person


def test_an_anonymous_contact_and_its_request_are_registered_together(
    first: Any,
) -> None:
    contact, request = services.anonymous_contact_with_request(
        actor=first,
        contact=ContactInput(channel="counter", anonymous_details="Tall woman"),
        request=_unnamed(),
    )
    assert contact.outcome == "request_created"
    assert request.person is None
    with pytest.raises(ValidationFailed):
        services.anonymous_contact_with_request(
            actor=first,
            contact=ContactInput(channel="counter", anonymous_details="Again"),
            request=_unnamed(subject=""),
        )
    assert Contact.objects.count() == 1
    with pytest.raises(ValidationFailed) as named:
        services.anonymous_contact_with_request(
            actor=first,
            contact=ContactInput(channel="phone", person=str(PersonFactory().uuid)),
            request=_unnamed(),
        )
    assert named.value.code == "not_anonymous"
    assert Contact.objects.count() == 1
    assert Request.objects.count() == 1


def test_a_request_is_identified_once_with_a_visible_person(
    first: Any, second: Any
) -> None:
    request = services.request_from_contact(
        actor=first,
        contact=_anonymous_contact(first),
        data=_unnamed(),
    )
    hidden = PersonFactory(confidential_team=TeamFactory(code="visas"))
    with pytest.raises(ValidationFailed) as refused:
        services.request_identify(
            actor=second,
            request=request,
            expected_version=request.version,
            person=str(hidden.uuid),
        )
    assert _codes(refused.value) == {"person": "not_found"}
    with pytest.raises(StaleVersion):
        services.request_identify(
            actor=second,
            request=request,
            expected_version=request.version + 1,
            person=str(PersonFactory().uuid),
        )
    person = PersonFactory()

    services.request_identify(
        actor=second,
        request=request,
        expected_version=request.version,
        person=str(person.uuid),
    )

    assert request.person == person
    event = request.events.get(kind="identified")
    assert (event.agent, event.data) == (second, {"person": str(person.uuid)})
    assert AuditEvent.objects.filter(action="request.identify").count() == 1
    with pytest.raises(ValidationFailed) as again:
        services.request_identify(
            actor=second,
            request=request,
            expected_version=request.version,
            person=str(PersonFactory().uuid),
        )
    assert _codes(again.value) == {"person": "already_identified"}


def test_identifying_a_confidential_person_hides_the_request_from_others(
    first: Any, make_agent: Any
) -> None:
    visas = make_agent("front_office", teams=["visas", "cc-fr"], username="visas")
    request = services.request_from_contact(
        actor=first,
        contact=_anonymous_contact(first),
        data=_unnamed(),
        team=Team.objects.get(code="cc-fr"),
    )
    protected = PersonFactory(confidential_team=Team.objects.get(code="visas"))

    assert selectors.requests_visible(agent=first).filter(pk=request.pk).exists()
    services.request_identify(
        actor=visas,
        request=request,
        expected_version=request.version,
        person=str(protected.uuid),
    )
    assert not selectors.requests_visible(agent=first).filter(pk=request.pk).exists()


def test_a_call_about_a_request_is_registered_and_attached(
    first: Any, second: Any
) -> None:
    person = PersonFactory()
    request = services.request_create(actor=first, data=_question(person))

    contact = services.request_contact_add(
        actor=second,
        request=request,
        contact=ContactInput(channel="phone", summary="Asked where it stands"),
    )

    assert (contact.person, contact.topic) == (person, request.topic)
    assert contact.agent == second
    assert set(request.contacts.all()) == {contact}
    assert request.events.filter(kind="contact").count() == 1
    with pytest.raises(ValidationFailed):
        services.request_contact_add(
            actor=second, request=request, contact=ContactInput(channel="pigeon")
        )
    assert request.contacts.count() == 1


def test_a_reply_is_recorded_by_email_or_letter_only(first: Any) -> None:
    request = services.request_create(actor=first, data=_question(PersonFactory()))
    with pytest.raises(ValidationFailed) as refused:
        services.request_reply_record(
            actor=first,
            request=request,
            channel="phone",
            letter="x",
            text_="Hello",
            dispatched=True,
        )
    assert _codes(refused.value) == {"channel": "reply_channel"}
    assert not request.events.filter(kind="reply").exists()


def test_a_reply_that_goes_out_is_the_first_answer_once(first: Any, at: Any) -> None:
    at(2026, 3, 2, 9, 0)
    request = services.request_create(actor=first, data=_question(PersonFactory()))
    services.request_reply_record(
        actor=first,
        request=request,
        channel="letter",
        letter="a",
        text_="Waiting for approval",
        dispatched=False,
    )
    request.refresh_from_db()
    assert request.first_answered_at is None

    replied = at(2026, 3, 2, 10, 0)
    contact = services.request_reply_record(
        actor=first,
        request=request,
        channel="letter",
        letter="a",
        text_="Your benefit is paid on the 5th.",
        dispatched=True,
    )
    at(2026, 3, 2, 11, 0)
    services.request_reply_record(
        actor=first,
        request=request,
        channel="email",
        letter="b",
        text_="And again.",
        dispatched=True,
    )

    request.refresh_from_db()
    assert request.first_answered_at == replied
    assert contact is not None
    assert (contact.direction, contact.channel) == ("outbound", "letter")
    assert request.contacts.count() == 2
    assert request.status == Status.NEW
