"""The table of allowed status changes, and the routing and service-level choice."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from guichet.agents.models import Team
from guichet.contacts.models import Topic
from guichet.servicerequests import rules, transitions
from guichet.servicerequests.models import RoutingRule, ServiceLevelRule, Status

STATUSES = [s.value for s in Status]


def test_every_status_can_be_left_and_every_status_reached() -> None:
    reached = {
        move.to for moves in transitions.ALLOWED.values() for move in moves.values()
    }
    assert reached == set(Status) - {Status.NEW}
    assert set(transitions.ALLOWED) == set(Status)


def test_answering_or_closing_needs_a_text_taking_it_up_does_not() -> None:
    assert transitions.move("new", "answered").needs_text  # type: ignore[union-attr]
    assert transitions.move("new", "closed").needs_text  # type: ignore[union-attr]
    assert not transitions.move("new", "in_progress").needs_text  # type: ignore[union-attr]
    assert transitions.move("closed", "reopened").needs_text  # type: ignore[union-attr]


@given(st.sampled_from(STATUSES), st.text(max_size=20))
def test_a_status_outside_the_table_is_never_allowed(current: str, target: str) -> None:
    if target not in STATUSES:
        assert transitions.move(current, target) is None


@given(st.sampled_from(STATUSES), st.sampled_from(STATUSES))
def test_no_request_goes_back_to_new_nor_stays_where_it_is(
    current: str, target: str
) -> None:
    move = transitions.move(current, target)
    if target == "new" or target == current:
        assert move is None


def test_a_closed_request_can_only_be_reopened() -> None:
    assert [m.to for m in transitions.targets("closed")] == [Status.REOPENED]


def _topic(code: str) -> Topic:
    return Topic(pk=hash(code) % 1000, code=code)


def test_the_most_specific_routing_rule_wins() -> None:
    consular = Topic(pk=1, code="consular")
    legal = Topic(pk=2, code="legalisation", parent=consular)
    a, b, c, d = (Team(pk=n, code=f"t{n}") for n in range(1, 5))
    any_fr = RoutingRule(pk=1, team=a, language="fr", order=1)
    consular_rule = RoutingRule(pk=2, team=b, topic=consular, order=5)
    legal_rule = RoutingRule(pk=3, team=c, topic=legal, order=9)
    legal_urgent = RoutingRule(pk=4, team=d, topic=legal, priority="urgent", order=9)
    every = [any_fr, consular_rule, legal_rule, legal_urgent]
    assert rules.route(topic=legal, language="fr", priority="normal", rules=every) == c
    assert rules.route(topic=legal, language="fr", priority="urgent", rules=every) == d
    assert (
        rules.route(topic=consular, language="fr", priority="normal", rules=every) == b
    )
    other = Topic(pk=3, code="complaints")
    assert rules.route(topic=other, language="fr", priority="normal", rules=every) == a
    assert (
        rules.route(topic=other, language="nl", priority="normal", rules=every) is None
    )
    inactive = RoutingRule(pk=5, team=a, topic=legal, order=0, is_active=False)
    assert (
        rules.route(topic=legal, language="fr", priority="normal", rules=[inactive])
        is None
    )


def test_the_service_level_of_the_closest_topic_applies() -> None:
    consular = Topic(pk=1, code="consular")
    legal = Topic(pk=2, code="legalisation", parent=consular)
    general = ServiceLevelRule(
        pk=1,
        kind="question",
        first_answer_hours=Decimal(8),
        resolution_hours=Decimal(40),
    )
    for_consular = ServiceLevelRule(
        pk=2,
        kind="question",
        topic=consular,
        first_answer_hours=Decimal(4),
        resolution_hours=Decimal(16),
    )
    complaint = ServiceLevelRule(
        pk=3,
        kind="complaint",
        first_answer_hours=Decimal(16),
        resolution_hours=Decimal(80),
    )
    every = [general, for_consular, complaint]
    assert (
        rules.service_level_for(
            kind="question", topic=legal, priority="normal", rules=every
        )
        == for_consular
    )
    assert (
        rules.service_level_for(
            kind="complaint", topic=legal, priority="normal", rules=every
        )
        == complaint
    )
    assert (
        rules.service_level_for(
            kind="information", topic=legal, priority="normal", rules=every
        )
        is None
    )


def test_a_topic_cycle_does_not_loop_forever() -> None:
    a = Topic(pk=1, code="a")
    b = Topic(pk=2, code="b", parent=a)
    a.parent = b
    assert rules.topic_lineage(a) == [1, 2]
