"""Queues, an agent's work and one request: only what the agent sees."""

from __future__ import annotations

from typing import Any

import pytest

from guichet.core.errors import NotFound
from guichet.servicerequests import selectors, services
from guichet.servicerequests.selectors import QueueFilter
from guichet.servicerequests.services import RequestInput
from tests.factories import PersonFactory, TeamFactory

pytestmark = pytest.mark.django_db


def _question(person: Any, **fields: Any) -> RequestInput:
    values: dict[str, Any] = {
        "kind": "question",
        "subject": "Question",
        "topic": "benefit-payment",
        "channel": "phone",
        "person": str(person.uuid),
        "language": "fr",
    }
    values.update(fields)
    return RequestInput(**values)


@pytest.fixture
def agents(make_agent: Any, routing: Any) -> dict[str, Any]:
    return {
        "first": make_agent("first_line", teams=["cc-fr"]),
        "second": make_agent("second_line", teams=["cc-fr"]),
        "visas": make_agent("second_line", teams=["cc-fr", "visas"]),
    }


def test_the_queue_sorts_by_deadline_and_hides_confidential_persons(
    agents: Any,
) -> None:
    hidden = PersonFactory(confidential_team=TeamFactory(code="visas"))
    first = agents["first"]
    urgent = services.request_create(
        actor=agents["visas"], data=_question(hidden), team=TeamFactory(code="cc-fr")
    )
    normal = services.request_create(actor=first, data=_question(PersonFactory()))
    assert urgent.team.code == "cc-fr"
    second_rows = selectors.queue(agent=agents["second"], filters=QueueFilter()).rows
    assert second_rows == [normal]
    visas_rows = selectors.queue(agent=agents["visas"], filters=QueueFilter()).rows
    assert set(visas_rows) == {urgent, normal}
    with pytest.raises(NotFound) as hidden_error:
        selectors.request_get_for_agent(agent=agents["second"], key=urgent.reference)
    with pytest.raises(NotFound) as missing_error:
        selectors.request_get_for_agent(agent=agents["second"], key="REQ-2026-9999999")
    assert str(hidden_error.value.message) == str(missing_error.value.message)


def test_a_request_is_found_by_reference_or_public_id(agents: Any) -> None:
    request = services.request_create(
        actor=agents["first"], data=_question(PersonFactory())
    )
    by_ref = selectors.request_get_for_agent(
        agent=agents["second"], key=request.reference.lower()
    )
    by_uuid = selectors.request_get_for_agent(
        agent=agents["second"], key=str(request.uuid)
    )
    assert by_ref.obj == by_uuid.obj == request
    assert "request.work" in by_ref.actions
    for bad in ["REQ-2026", "REQ-x-1", "REQ-2026-99999999999999999999999", ""]:
        with pytest.raises(NotFound):
            selectors.request_get_for_agent(agent=agents["second"], key=bad)


def test_filters_and_my_work(agents: Any) -> None:
    first, second = agents["first"], agents["second"]
    mine = services.request_create(actor=first, data=_question(PersonFactory()))
    services.request_create(
        actor=first, data=_question(PersonFactory(), priority="urgent")
    )
    services.request_take(actor=second, request=mine)
    assert selectors.queue(agent=second, filters=QueueFilter(owner="me")).rows == [mine]
    assert (
        len(selectors.queue(agent=second, filters=QueueFilter(owner="none")).rows) == 1
    )
    assert (
        len(selectors.queue(agent=second, filters=QueueFilter(priority="urgent")).rows)
        == 1
    )
    work = selectors.my_work(agent=second)
    assert work.owned == [mine]
    assert work.unowned_count == 1
    (load,) = [w for w in selectors.workload(agent=second) if w.team.code == "cc-fr"]
    assert (load.open_count, load.unowned) == (2, 1)
    assert load.by_owner == [(second.username, 1)]


def test_the_timeline_shows_the_merged_requests_history(agents: Any) -> None:
    person = PersonFactory()
    kept = services.request_create(actor=agents["first"], data=_question(person))
    dup = services.request_create(actor=agents["first"], data=_question(person))
    services.request_merge(
        actor=agents["second"], duplicate=dup, into=kept, reason="same"
    )
    events = selectors.timeline(agent=agents["second"], request=kept)
    assert {e.request_id for e in events} == {kept.pk, dup.pk}
    assert selectors.requests_of_person(agent=agents["second"], person=person) == [
        dup,
        kept,
    ]


def test_handled_complaints_are_the_answered_and_closed_ones(agents: Any) -> None:
    first, second = agents["first"], agents["second"]
    pending = services.request_create(
        actor=first,
        data=_question(PersonFactory(), kind="complaint", seriousness="minor"),
    )
    handled = services.request_create(
        actor=first,
        data=_question(PersonFactory(), kind="complaint", seriousness="minor"),
    )
    services.request_create(actor=first, data=_question(PersonFactory()))
    services.request_transition(
        actor=second,
        request=handled,
        expected_version=handled.version,
        to="closed",
        text_="Apologies sent.",
        classification="founded",
    )
    assert list(selectors.complaints(agent=second, open_only=True)) == [pending]
    assert list(selectors.complaints_handled(agent=second)) == [handled]


def test_a_request_can_be_assigned_to_the_active_members_of_its_team(
    agents: Any, make_agent: Any
) -> None:
    request = services.request_create(
        actor=agents["first"], data=_question(PersonFactory())
    )
    make_agent("second_line", teams=["cc-nl"])
    make_agent("second_line", teams=["cc-fr"], is_active=False)
    make_agent("second_line", teams=["cc-fr"], is_system=True)  # the web form's
    assert set(selectors.assignable_agents(request=request)) == {
        agents["first"],
        agents["second"],
        agents["visas"],
    }


def test_a_queue_page_and_a_request_take_reference_data_from_memory(
    agents: dict[str, Any],
) -> None:
    """Neither joins topics, teams nor rules (PostgreSQL spent more planning those
    joins than running the query); a topic renamed since is seen at the next read."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from guichet.contacts.models import Topic

    first, second = agents["first"], agents["second"]
    created = services.request_create(
        actor=first, data=_question(PersonFactory(), priority="urgent")
    )
    selectors.queue(agent=second, filters=selectors.QueueFilter())
    with CaptureQueriesContext(connection) as captured:
        page = selectors.queue(agent=second, filters=selectors.QueueFilter())
        seen = selectors.request_get_for_agent(agent=second, key=created.reference)
        read = [
            (row.topic.code, row.team.code, row.service_level_rule.pk)
            for row in (*page.rows, seen.obj)
        ]
    tables = ('"contacts_topic"', '"agents_team"', '"servicerequests_servicelevelrule"')
    joined = [
        query["sql"]
        for query in captured.captured_queries
        # The cache's check counts rows of those tables; nothing else reads them.
        if not query["sql"].startswith("SELECT (SELECT COUNT(*)")
        and any(table in query["sql"] for table in tables)
    ]
    assert joined == []
    assert read == [("benefit-payment", "cc-fr", created.service_level_rule_id)] * 2
    assert [team.code for team in page.teams] == ["cc-fr"]
    topic = Topic.objects.get(code="benefit-payment")
    topic.name_en = "Benefit payments"
    topic.save()
    again = selectors.request_get_for_agent(agent=second, key=str(created.uuid)).obj
    assert again.topic.name("en") == "Benefit payments"


def test_the_workload_counts_no_request_the_agent_may_not_see(agents: Any) -> None:
    hidden = PersonFactory(confidential_team=TeamFactory(code="visas"))
    services.request_create(
        actor=agents["visas"], data=_question(hidden), team=TeamFactory(code="cc-fr")
    )
    services.request_create(actor=agents["first"], data=_question(PersonFactory()))

    def open_in_cc(agent: Any) -> int:
        rows = selectors.workload(agent=agent)
        return next(row.open_count for row in rows if row.team.code == "cc-fr")

    # The second-line agent sees one request of cc-fr; the visas agent both.
    assert open_in_cc(agents["second"]) == 1
    assert open_in_cc(agents["visas"]) == 2
