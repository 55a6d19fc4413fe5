"""The correspondence grants and visibility rules, table-driven.

The expected table is written out by hand from the seeds' D/C/B criteria
(docs/sources.md §5.1: seed 001, "Questions ou plaintes", and seed 003, "Contacts";
seed 000, "Autonomie"); it is not computed from the grant table it checks.
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from guichet.access import policy
from guichet.access.domains import correspondence
from guichet.agents.models import Agent
from guichet.correspondence import autonomy
from guichet.correspondence.models import IncomingMail, Letter
from tests.correspondence.factories import LetterheadFactory
from tests.factories import AgentFactory, PersonFactory, TeamFactory

ROLES = [
    "first_line",
    "second_line",
    "front_office",
    "support_agent",
    "dossier_handler",
    "payment_agent",
    "supervisor",
    "admin",
]
LEVELS = ["D", "C", "B", "A1", "A2"]
SERVING = {
    "first_line",
    "second_line",
    "front_office",
    "support_agent",
    "dossier_handler",
    "payment_agent",
    "supervisor",
}
CLERKS = {"support_agent", "front_office", "supervisor"}

# action -> (roles allowed, lowest level allowed)
EXPECTED: dict[str, tuple[set[str], str]] = {
    "letter.view": (SERVING, "D"),
    "letter.draft": (SERVING, "D"),
    "letter.send_standard": (SERVING, "D"),
    "letter.fill_free_fields": (SERVING, "C"),
    "letter.adapt": (SERVING, "B"),
    "letter.approve": ({"supervisor"}, "B"),
    "letter.dispatch": (SERVING, "D"),
    "letter.email_elsewhere": (SERVING, "B"),
    "letter.batch": (
        {"support_agent", "dossier_handler", "payment_agent", "supervisor"},
        "C",
    ),
    "mail.view": (SERVING, "D"),
    "mail.register": (CLERKS, "D"),
    "mail.dispatch": (CLERKS, "D"),
    "minutes.view": (SERVING, "D"),
    "minutes.create": (SERVING, "D"),
    "action_item.view": (SERVING, "D"),
    "action_item.complete": (SERVING, "D"),
    "form.render": (SERVING, "D"),
}


def test_every_correspondence_action_has_an_expected_row() -> None:
    assert set(EXPECTED) == {str(action) for action in correspondence.Action}


def _allowed(action: str, role: str, level: str) -> bool:
    roles, minimum = EXPECTED[action]
    return role in roles and LEVELS.index(level) >= LEVELS.index(minimum)


@pytest.fixture
def agents(db: Any) -> dict[tuple[str, str], Agent]:
    team = TeamFactory(code="legalisations")
    return {
        (role, level): AgentFactory(
            username=f"{role}-{level}", roles=[role], level=level, teams=[team]
        )
        for role, level in itertools.product(ROLES, LEVELS)
    }


@pytest.mark.django_db
def test_actions_without_object_follow_the_table(
    agents: dict[tuple[str, str], Agent],
) -> None:
    for (role, level), agent in agents.items():
        for action in EXPECTED:
            assert policy.may(agent, action) == _allowed(action, role, level), (
                role,
                level,
                action,
            )


def _letter(team: Any, status: str, person: Any, author: Any, number: int) -> Letter:
    issued = status in {"issued", "sent"}
    return Letter.objects.create(
        team=team,
        author=author,
        person=person,
        language="fr",
        body_text="x",
        subject_text="x",
        status=status,
        number=f"LEG/2026/{number:06d}" if issued else None,
        year=2026 if issued else None,
        sequence=number if issued else None,
    )


LETTER_ACTIONS = [
    "letter.view",
    "letter.draft",
    "letter.send_standard",
    "letter.fill_free_fields",
    "letter.adapt",
    "letter.approve",
    "letter.dispatch",
    "letter.email_elsewhere",
]


@pytest.mark.django_db
def test_drafts_stay_in_their_service_and_issued_letters_follow_the_person(
    agents: dict[tuple[str, str], Agent],
) -> None:
    own = TeamFactory(code="legalisations")
    other = TeamFactory(code="visas")
    LetterheadFactory(team=own)
    author = agents[("front_office", "C")]
    public = PersonFactory()
    hidden = PersonFactory(confidential_team=other)
    own_draft = _letter(own, "pending_approval", public, author, 1)
    other_draft = _letter(other, "draft", public, author, 2)
    other_issued = _letter(other, "issued", public, author, 3)
    hidden_issued = _letter(other, "sent", hidden, author, 4)
    for (role, level), agent in agents.items():
        for action in LETTER_ACTIONS:
            allowed = _allowed(action, role, level)
            assert policy.may(agent, action, own_draft) == allowed, (
                role,
                level,
                action,
            )
            # Another service's issued letter is read, never worked on.
            assert policy.may(agent, action, other_issued) == (
                allowed and action == "letter.view"
            ), (role, level, action)
            assert policy.may(agent, action, other_draft) is False, (
                role,
                level,
                action,
            )
            assert policy.may(agent, action, hidden_issued) is False, (
                role,
                level,
                action,
            )
        expected = (
            {own_draft, other_issued} if _allowed("letter.view", role, level) else set()
        )
        assert set(policy.visible(agent, Letter.objects.all())) == expected, (
            role,
            level,
        )


@pytest.mark.django_db
def test_only_the_letters_service_and_its_supervisors_dispatch_it() -> None:
    # given an issued letter of the support service, which first line can read
    support, cc = TeamFactory(code="support"), TeamFactory(code="cc-fr")
    author = AgentFactory(roles=["support_agent"], level="C", teams=[support])
    colleague = AgentFactory(roles=["support_agent"], level="D", teams=[support])
    chief = AgentFactory(roles=["supervisor"], level="A1", teams=[support, cc])
    first = AgentFactory(roles=["first_line"], level="C", teams=[cc])
    other_chief = AgentFactory(roles=["supervisor"], level="A2", teams=[cc])
    letter = _letter(support, "issued", PersonFactory(), author, 1)
    letters = Letter.objects.filter(pk=letter.pk)
    # then its service and that service's supervisor may send it; nobody else may
    for agent in (author, colleague, chief):
        assert policy.may(agent, "letter.dispatch", letter)
        assert "letter.dispatch" in policy.allowed(agent, letter)
        assert list(policy.visible(agent, letters, for_action="letter.dispatch")) == [
            letter
        ]
    for agent in (first, other_chief):
        assert policy.may(agent, "letter.view", letter)
        assert not policy.may(agent, "letter.dispatch", letter)
        assert policy.allowed(agent, letter) == {"letter.view"}
        assert not policy.visible(agent, letters, for_action="letter.dispatch")
        assert list(policy.visible(agent, letters)) == [letter]


@pytest.mark.django_db
def test_every_kind_that_waits_for_approval_has_approvers_in_its_team(
    agents: dict[tuple[str, str], Agent],
) -> None:
    # given every role at every level in one service, and an agent of another one
    team = TeamFactory(code="legalisations")
    other = AgentFactory(roles=["supervisor"], level="A2", teams=[TeamFactory()])
    kinds_that_wait = set()
    for kind in autonomy.LetterKind:
        waiting = Letter(
            team=team,
            person=PersonFactory.build(),
            status="pending_approval",
            autonomy_kind=kind.value,
        )
        waits = {
            (role, level)
            for (role, level), agent in agents.items()
            if policy.may(agent, "letter.draft")
            and not autonomy.decide(agent=agent, kind=kind).may_send_alone
        }
        approvers = {
            (role, level)
            for (role, level), agent in agents.items()
            if autonomy.may_approve(agent=agent, kind=kind, obj=waiting)
        }
        if not waits:
            continue
        kinds_that_wait.add(kind)
        # then a kind that makes someone wait is approved by supervisors of level
        # B and above of that team, and by nobody else
        assert approvers == {("supervisor", level) for level in ("B", "A1", "A2")}
        assert not autonomy.may_approve(agent=other, kind=kind, obj=waiting)
    assert kinds_that_wait == set(autonomy.LetterKind) - {autonomy.LetterKind.STANDARD}


@pytest.mark.django_db
def test_mail_is_seen_by_the_registering_and_the_receiving_service(
    agents: dict[tuple[str, str], Agent],
) -> None:
    own = TeamFactory(code="legalisations")
    other = TeamFactory(code="visas")
    third = TeamFactory(code="support")
    clerk = agents[("support_agent", "C")]

    def mail(
        team: Any, dispatched: Any, sequence: int, sender: Any = None
    ) -> IncomingMail:
        return IncomingMail.objects.create(
            team=team,
            number=f"X/IN/2026/{sequence:06d}",
            year=2026,
            sequence=sequence,
            received_on="2026-01-05",
            sender_name="Someone",
            sender_person=sender,
            subject="Letter",
            scan_sha256="0" * 64,
            scan_name="scan.pdf",
            scan_content_type="application/pdf",
            scan_size=10,
            registered_by=clerk,
            status="dispatched" if dispatched else "registered",
            dispatched_team=dispatched,
        )

    registered_here = mail(own, None, 1)
    sent_here = mail(third, own, 2)
    elsewhere = mail(third, other, 3)
    confidential = mail(own, None, 4, sender=PersonFactory(confidential_team=other))
    for (role, level), agent in agents.items():
        for action in ("mail.view", "mail.dispatch"):
            allowed = _allowed(action, role, level)
            assert policy.may(agent, action, registered_here) == allowed, (role, level)
            assert policy.may(agent, action, sent_here) == allowed, (role, level)
            assert policy.may(agent, action, elsewhere) is False, (role, level)
            assert policy.may(agent, action, confidential) is False, (role, level)
        expected = (
            {registered_here, sent_here}
            if _allowed("mail.view", role, level)
            else set()
        )
        assert set(policy.visible(agent, IncomingMail.objects.all())) == expected


@pytest.mark.django_db
def test_unknown_or_foreign_actions_on_letters_are_refused() -> None:
    team = TeamFactory(code="legalisations")
    agent = AgentFactory(roles=["supervisor"], level="A2", teams=[team])
    letter = _letter(team, "issued", PersonFactory(), agent, 9)
    assert policy.may(agent, "letter.fly", letter) is False
    assert policy.may(agent, "person.view", letter) is False
    assert policy.may(agent, "mail.dispatch", letter) is False
    agent.is_active = False
    assert policy.may(agent, "letter.view", letter) is False
