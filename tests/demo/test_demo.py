"""The demo data set: valid, complete, and idempotent."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from guichet.access import policy
from guichet.agents.models import Agent, Team
from guichet.audit.models import AuditEvent
from guichet.checks.bce import check_bce
from guichet.checks.niss import check_niss
from guichet.correspondence import autonomy, selectors
from guichet.correspondence.models import IncomingMail, Letter
from guichet.documents import selectors as selectors_documents
from guichet.documents import storage
from guichet.documents.models import Document, SigningOfficial, Specimen
from guichet.parties.models import Organisation, Person
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _counts() -> dict[str, int]:
    return {
        "teams": Team.objects.count(),
        "agents": Agent.objects.count(),
        "persons": Person.objects.count(),
        "organisations": Organisation.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


def test_demo_loads_the_seed_teams_agents_and_valid_people(demo: Any) -> None:
    # `demo` is what `guichet demo --json` answered when the run first built it.
    assert demo["created"]["persons"] == 200
    assert set(Team.objects.values_list("code", flat=True)) == {
        "cc-fr",
        "cc-nl",
        "legalisations",
        "travel-documents",
        "visas",
        "payment-office",
        "support",
    }
    levels = set(Agent.objects.values_list("level", flat=True))
    assert levels == {"D", "C", "B", "A1", "A2"}
    roles = set(Agent.objects.values_list("roles__code", flat=True))
    assert roles == {
        "first_line",
        "second_line",
        "front_office",
        "support_agent",
        "dossier_handler",
        "payment_agent",
        "supervisor",
        "admin",
    }
    assert Agent.objects.get(username="first.fr").check_password("guichet-demo")
    # 20 enterprises, and 3 foreign authorities of the register of specimens
    # (without a Belgian enterprise number).
    assert Organisation.objects.count() == 23
    assert Organisation.objects.filter(enterprise_number=None).count() == 3
    assert all(
        check_niss(number).valid
        for number in Person.objects.exclude(national_number=None).values_list(
            "national_number", flat=True
        )
    )
    # One citizen registered a second time without a number (demo/duplicates.py).
    assert Person.objects.filter(national_number=None).count() == 1
    assert all(
        check_bce(number).valid
        for number in Organisation.objects.exclude(enterprise_number=None).values_list(
            "enterprise_number", flat=True
        )
    )
    assert Person.objects.filter(confidential_team__code="visas").exists()


def test_running_demo_twice_changes_nothing(demo: Any, cli: Any) -> None:
    before = _counts()
    code, out, _ = cli("demo", "--i-know-this-is-not-production", "--json")
    assert code == 0
    assert set(json.loads(out)["created"].values()) == {0}
    assert _counts() == before


def test_demo_refuses_to_run_in_production_without_confirmation(cli: Any) -> None:
    code, _, err = cli("demo")
    assert code == 2
    assert "production" in err
    assert Person.objects.count() == 0


def test_every_queue_of_every_demo_team_has_someone_to_work_it(demo: Any) -> None:
    """A letter waiting for approval, an issued letter to post and mail dispatched
    to a team each wait in a queue: in the demo, someone active may work each one,
    for every team and every kind of letter that needs approval."""
    # given the demo's teams and agents, and a person
    person = PersonFactory()
    active = list(Agent.objects.filter(is_active=True))
    for team in Team.objects.all():
        members = [agent for agent in active if team.pk in agent.team_ids]
        writers = [agent for agent in members if policy.may(agent, "letter.draft")]
        assert writers, team.code
        for kind in autonomy.LetterKind:
            # the members who could not send such a letter alone submit it
            for author in writers:
                if autonomy.decide(agent=author, kind=kind).may_send_alone:
                    continue
                waiting = Letter(
                    team=team,
                    person=person,
                    author=author,
                    submitted_by=author,
                    status="pending_approval",
                    autonomy_kind=kind.value,
                )
                approvers = selectors.letter_approvers(letter=waiting)
                assert approvers, (team.code, kind, author.username)
                assert all("supervisor" in a.role_codes for a in approvers)
        issued = Letter(team=team, person=person, author=writers[0], status="issued")
        assert any(policy.may(a, "letter.dispatch", issued) for a in members)
        mail = IncomingMail(team=team, dispatched_team=team, sender_name="Someone")
        assert any(policy.may(a, "mail.view", mail) for a in members), team.code


def test_every_team_whose_agents_need_approval_has_a_supervisor_who_sees_it(
    demo: Any,
) -> None:
    """Issue #15, item 4: an answer a level-D or level-C agent may not send alone
    waits in their team's approval queue; in the demo, for every such team, a
    supervisor other than the author finds it in the queue of their home page
    (`letters_waiting_approval`) and may approve it."""
    from guichet.correspondence.services import letter_draft_create, letter_submit
    from guichet.ui.views.servicerequests import my_work
    from tests.correspondence.factories import person_with_address

    person = person_with_address(surname="Lambert")
    checked = set()
    for team in Team.objects.filter(is_active=True):
        members = Agent.objects.filter(
            is_active=True, memberships__team=team, level__in=["D", "C"]
        ).distinct()
        for author in members:
            if not policy.may(author, "letter.draft"):
                continue
            # an answer of their own: no standard answer, it waits at any level
            draft = letter_draft_create(
                actor=author,
                person_id=person.uuid,
                team=team.code,
                subject="Votre demande",
                body="{{ person.salutation }}\n\nUne réponse particulière.",
            )
            letter = letter_submit(
                actor=author, letter_id=draft.uuid, expected_version=draft.version
            )
            assert letter.status == "pending_approval", (team.code, author.username)
            approvers = selectors.letter_approvers(letter=letter)
            seeing = [
                approver
                for approver in approvers
                if letter in my_work(approver).letters
                and autonomy.may_approve(
                    agent=approver,
                    kind=autonomy.kind_of(letter.autonomy_kind),
                    obj=letter,
                )
            ]
            assert seeing, (team.code, author.username)
            checked.add(team.code)
    # the support team, with its level-D and level-C agents, is among them
    assert {"support", "cc-fr", "cc-nl", "visas"} <= checked


def test_demo_routes_and_times_requests_in_several_statuses(cli: Any) -> None:
    from guichet.servicerequests.models import Request, RoutingRule

    cli("demo", "--i-know-this-is-not-production")
    rules_before = RoutingRule.objects.count()
    statuses = dict(Request.objects.values_list("subject", "status"))
    teams = dict(Request.objects.values_list("subject", "team__code"))
    assert set(statuses.values()) == {
        "new",
        "in_progress",
        "waiting_citizen",
        "closed",
        "answered",
    }
    assert teams["Légalisation d'un acte de naissance"] == "legalisations"
    assert teams["Allocation de mars non reçue"] == "payment-office"
    assert teams["Attente trop longue au guichet"] == "support"
    assert teams["Openingsuren van het loket"] == "cc-nl"
    assert Request.objects.filter(resolution_due__isnull=True).count() == 0
    cli("demo", "--i-know-this-is-not-production")
    assert RoutingRule.objects.count() == rules_before
    assert Request.objects.count() == len(statuses)


def test_demo_register_of_specimens_shows_valid_expired_and_withdrawn(
    demo: Any,
) -> None:
    assert demo["created"]["specimens"] == 5
    on = dt.date(2026, 1, 1)
    states = sorted(
        selectors_documents.specimen_state(specimen, on).value
        for specimen in Specimen.objects.all()
    )
    assert states == ["expired", "valid", "valid", "valid", "withdrawn"]
    assert {official.country for official in SigningOfficial.objects.all()} == {
        "CD",
        "MA",
    }
    document = Document.objects.get(document_number="DEMO-LEG-0001")
    assert document.content_type == "image/png"
    assert storage.exists(document.content_sha256)
    assert all(storage.exists(item.content_sha256) for item in Specimen.objects.all())


def test_demo_inbox_holds_citizens_mail_and_an_automatic_reply(demo: Any) -> None:
    from guichet.inbox.models import InboundMessage

    states = dict(InboundMessage.objects.values_list("source", "state"))
    assert states == {
        "demo:absence.eml": "auto_reply",
        "demo:legalisation.eml": "new",
        "demo:suspicious.eml": "new",
        "demo:verhuizing.eml": "new",
    }
    known = InboundMessage.objects.get(source="demo:legalisation.eml")
    assert known.sender_person is not None
    assert known.language == "fr"
