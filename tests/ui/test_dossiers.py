"""The dossier screens through the browser's HTTP: the queue, opening, the
workbench and its actions, the approval queue, the person's tab and "My work"."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest

from guichet.agents.models import Agent, Team
from guichet.casetypes import services as casetype_services
from guichet.casetypes.selectors import definition_cache_clear
from guichet.cashbook import services as cashbook_services
from guichet.core import clock
from guichet.dossiers import services
from guichet.dossiers.models import (
    Decision,
    DecisionState,
    DocumentRequest,
    Dossier,
    DossierTask,
)
from tests.dossiers.conftest import hand_in_all, pay_fee, yes
from tests.factories import AgentFactory, PersonFactory, TeamFactory

pytestmark = pytest.mark.django_db

LEGAL = "consular-legalisation"


@pytest.fixture
def teams(db: Any) -> dict[str, Team]:
    definition_cache_clear()
    made = {
        code: TeamFactory(code=code)
        for code in ("legalisations", "travel-documents", "payment-office", "visas")
    }
    casetype_services.casetypes_import(
        agent=None, files=casetype_services.shipped_files()
    )
    return made


@pytest.fixture
def people(teams: dict[str, Team]) -> dict[str, Agent]:
    legal = [teams["legalisations"]]
    return {
        "front": AgentFactory(
            roles=["front_office"], level="C", teams=legal, language="en"
        ),
        "handler": AgentFactory(
            roles=["dossier_handler"], level="B", teams=legal, language="en"
        ),
        "boss": AgentFactory(
            roles=["supervisor"], level="A2", teams=legal, language="en"
        ),
        "visas": AgentFactory(
            roles=["dossier_handler"],
            level="B",
            teams=[teams["visas"]],
            language="en",
        ),
        "first": AgentFactory(roles=["first_line"], level="C", teams=[], language="en"),
    }


@pytest.fixture
def open_legal(people: dict[str, Agent]) -> Callable[..., Dossier]:
    def make(**facts: Any) -> Dossier:
        return services.dossier_open(
            actor=people["front"],
            case_type=LEGAL,
            applicant=PersonFactory(),
            facts={"document_language": "fr", **facts},
        )

    return make


def _url(name: str, dossier: Dossier, *extra: object) -> str:
    return reverse(name, args=[dossier.reference, *extra])


def _page(client: Client, dossier: Dossier) -> str:
    response = client.get(_url("ui:dossier_detail", dossier))
    assert response.status_code == 200
    return response.content.decode()


def _step(client: Client, dossier: Dossier, code: str, **fields: Any) -> Any:
    dossier.refresh_from_db()
    data = {"version": dossier.version, "transition": code, **fields}
    return client.post(_url("ui:dossier_step", dossier), data)


def _checked(dossier: Dossier) -> dict[str, str]:
    return {f"check_{code}": "on" for code in yes(dossier)}


# ---------------------------------------------------------------- queue


def test_queue_lists_team_dossiers_by_deadline_with_days_left(
    client_for: Callable[[Any], Client],
    people: dict[str, Agent],
    open_legal: Callable[..., Dossier],
) -> None:
    first, second = open_legal(), open_legal()
    html = client_for(people["front"]).get(reverse("ui:dossier_queue")).content.decode()
    assert first.reference in html
    assert second.reference in html
    assert "Legalisation of a document" in html
    assert "days left" in html or "day left" in html or "due today" in html


def test_queue_filters_by_owner_and_status(
    client_for: Callable[[Any], Client],
    people: dict[str, Agent],
    open_legal: Callable[..., Dossier],
) -> None:
    mine = services.dossier_open(
        actor=people["front"],
        case_type=LEGAL,
        applicant=PersonFactory(),
        owner=people["front"],
    )
    other = open_legal()
    client = client_for(people["front"])
    html = client.get(reverse("ui:dossier_queue") + "?owner=me").content.decode()
    assert mine.reference in html
    assert other.reference not in html
    html = client.get(reverse("ui:dossier_queue") + "?status=checking").content.decode()
    assert mine.reference not in html


def test_queue_is_refused_to_the_contact_center(
    client_for: Callable[[Any], Client], people: dict[str, Agent]
) -> None:
    assert (
        client_for(people["first"]).get(reverse("ui:dossier_queue")).status_code == 403
    )


def test_queue_does_not_show_another_team_s_dossiers(
    client_for: Callable[[Any], Client],
    people: dict[str, Agent],
    open_legal: Callable[..., Dossier],
) -> None:
    dossier = open_legal()
    html = client_for(people["visas"]).get(reverse("ui:dossier_queue")).content.decode()
    assert dossier.reference not in html


def test_queue_query_count_does_not_grow_with_rows(
    client_for: Callable[[Any], Client],
    people: dict[str, Agent],
    open_legal: Callable[..., Dossier],
    django_assert_max_num_queries: Any,
) -> None:
    for _ in range(12):
        open_legal()
    client = client_for(people["front"])
    client.get(reverse("ui:dossier_queue"))
    with django_assert_max_num_queries(20):
        response = client.get(reverse("ui:dossier_queue"))
    assert response.content.decode().count("DOS-") >= 12


def test_queue_row_shows_applicant_owner_and_deadline(
    client_for: Callable[[Any], Client],
    people: dict[str, Agent],
    open_legal: Callable[..., Dossier],
) -> None:
    """The rows are printed from plain values (bench/RESULTS.md, "Dossiers"):
    each cell still says what the dossier holds."""
    applicant = PersonFactory()
    owned = services.dossier_open(
        actor=people["front"],
        case_type=LEGAL,
        applicant=applicant,
        owner=people["front"],
    )
    unowned = open_legal()
    html = client_for(people["front"]).get(reverse("ui:dossier_queue")).content.decode()
    detail = reverse("ui:dossier_detail", args=[owned.reference])
    row = html[html.index(f'<a href="{detail}">{owned.reference}</a>') :]
    row = row[: row.index("</tr>")]
    assert str(applicant) in row
    owner = people["front"]
    assert (owner.get_full_name() or owner.username) in row
    due = owned.processing_due or owned.service_norm_due
    assert due is not None
    assert f'<time datetime="{due.isoformat()}">' in row
    other = html[html.index(f">{unowned.reference}</a>") :]
    assert "nobody" in other[: other.index("</tr>")]


def test_queue_page_reads_teams_once_and_no_case_type_definition(
    client_for: Callable[[Any], Client],
    people: dict[str, Agent],
    open_legal: Callable[..., Dossier],
) -> None:
    """The agent's teams are read once by the page for its form and case types
    (once more by the queue, once by the header), the case types without their
    versions' definitions and sources (bench/RESULTS.md, "Dossiers")."""
    open_legal()
    client = client_for(people["front"])
    client.get(reverse("ui:dossier_queue"))  # definitions parsed once a process
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("ui:dossier_queue"))
    assert response.status_code == 200
    selects = [
        query["sql"]
        for query in captured.captured_queries
        if query["sql"].startswith("SELECT")
    ]
    teams = [
        sql for sql in selects if sql.split(" FROM ")[1].startswith('"agents_team"')
    ]
    assert len(teams) <= 3, teams
    versions = [sql for sql in selects if 'FROM "casetypes_casetypeversion"' in sql]
    assert versions
    for sql in versions:
        assert '"casetypes_casetypeversion"."definition"' not in sql, sql
        assert '"casetypes_casetypeversion"."source"' not in sql, sql


# ---------------------------------------------------------------- 404 alike


def test_workbench_of_another_team_s_dossier_is_a_404(
    client_for: Callable[[Any], Client],
    people: dict[str, Agent],
    open_legal: Callable[..., Dossier],
) -> None:
    dossier = open_legal()
    client = client_for(people["visas"])
    hidden = client.get(_url("ui:dossier_detail", dossier))
    missing = client.get(reverse("ui:dossier_detail", args=["DOS-2026-9999999"]))
    assert hidden.status_code == missing.status_code == 404
    posted = client.post(
        _url("ui:dossier_note", dossier), {"text": "I should not be here"}
    )
    assert posted.status_code == 404
    assert not dossier.notes.exists()


def test_person_tab_of_a_hidden_person_is_a_404(
    client_for: Callable[[Any], Client], people: dict[str, Agent]
) -> None:
    hidden = PersonFactory(confidential_team=TeamFactory(code="other"))
    response = client_for(people["front"]).get(
        reverse("ui:person_dossiers", args=[hidden.uuid])
    )
    assert response.status_code == 404


# ---------------------------------------------------------------- open


def test_open_a_dossier_from_the_person_s_tab(
    client_for: Callable[[Any], Client], people: dict[str, Agent]
) -> None:
    person = PersonFactory()
    client = client_for(people["front"])
    tab = client.get(reverse("ui:person_dossiers", args=[person.uuid]))
    assert f"{reverse('ui:dossier_open')}?person={person.uuid}" in tab.content.decode()
    form = client.get(reverse("ui:dossier_open") + f"?person={person.uuid}")
    assert form.status_code == 200
    assert "Legalisation of a document" in form.content.decode()
    response = client.post(
        reverse("ui:dossier_open"), {"case_type": LEGAL, "applicant": person.uuid}
    )
    dossier = Dossier.objects.get(person=person)
    assert response.status_code == 302
    assert response["Location"] == _url("ui:dossier_detail", dossier)
    tab = client.get(reverse("ui:person_dossiers", args=[person.uuid]))
    assert dossier.reference in tab.content.decode()


def test_open_refuses_a_future_day_next_to_the_field(
    client_for: Callable[[Any], Client], people: dict[str, Agent]
) -> None:
    person = PersonFactory()
    future = clock.today() + dt.timedelta(days=3)
    response = client_for(people["front"]).post(
        reverse("ui:dossier_open"),
        {"case_type": LEGAL, "applicant": person.uuid, "received_on": future},
    )
    assert response.status_code == 422
    assert "A dossier is not received in the future." in response.content.decode()
    assert not Dossier.objects.exists()


# ---------------------------------------------------------------- workbench


def test_workbench_shows_header_checklist_and_only_offered_steps(
    client_for: Callable[[Any], Client],
    people: dict[str, Agent],
    open_legal: Callable[..., Dossier],
) -> None:
    dossier = open_legal()
    html = _page(client_for(people["front"]), dossier)
    assert dossier.reference in html
    assert "We have received your application." in html
    assert "Is the applicant&#x27;s identity checked?" in html
    assert "Conclude: file complete" in html
    assert "Documents still missing" in html
    # Steps from other statuses, and the supervisor's, are not offered.
    assert 'value="approve_decision"' not in html
    assert 'value="archive"' not in html


def test_a_guard_refusal_is_shown_and_changes_nothing(
    client_for: Callable[[Any], Client],
    people: dict[str, Agent],
    open_legal: Callable[..., Dossier],
) -> None:
    dossier = open_legal()
    response = _step(client_for(people["front"]), dossier, "conclude_complete")
    assert response.status_code == 422
    html = response.content.decode()
    assert "Documents still missing" in html
    assert "Answer yes to every question of the checklist first" in html
    dossier.refresh_from_db()
    assert dossier.status == "received"


def test_a_required_motivation_is_asked_for_next_to_the_field(
    client_for: Callable[[Any], Client],
    people: dict[str, Agent],
    open_legal: Callable[..., Dossier],
) -> None:
    dossier = open_legal()
    response = _step(
        client_for(people["front"]),
        dossier,
        "request_documents",
        completion_due=clock.today() + dt.timedelta(days=15),
    )
    assert response.status_code == 422
    assert 'id="step-request_documents_text_error"' in response.content.decode()
    assert not DocumentRequest.objects.exists()


def test_a_stale_version_shows_the_dossier_again(
    client_for: Callable[[Any], Client],
    people: dict[str, Agent],
    open_legal: Callable[..., Dossier],
) -> None:
    dossier = open_legal()
    old = dossier.version
    services.dossier_facts_update(
        actor=people["handler"],
        dossier=dossier,
        expected_version=old,
        facts={"legalises_own_signature": False},
    )
    response = client_for(people["front"]).post(
        _url("ui:dossier_suspend", dossier), {"version": old, "reason": "Waiting"}
    )
    assert response.status_code == 409
    assert "Another agent changed this dossier meanwhile" in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.suspended_since is None


def test_incomplete_file_loop_then_answer(
    client_for: Callable[[Any], Client],
    people: dict[str, Agent],
    open_legal: Callable[..., Dossier],
) -> None:
    dossier = open_legal()
    client = client_for(people["front"])
    response = _step(
        client,
        dossier,
        "request_documents",
        text="Please send the original.",
        completion_due=clock.today() + dt.timedelta(days=15),
        **_checked(dossier),
    )
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == "awaiting_documents"
    asked = DocumentRequest.objects.filter(dossier=dossier)
    assert asked.count() >= 1
    html = _page(client, dossier)
    assert "Record the answer" in html
    for row in asked:
        assert (
            client.post(
                _url("ui:dossier_document_answer", dossier, row.uuid)
            ).status_code
            == 302
        )
    assert not DocumentRequest.objects.filter(
        dossier=dossier, answered_at__isnull=True
    ).exists()
    assert (
        _step(client, dossier, "documents_received", **_checked(dossier)).status_code
        == 302
    )
    dossier.refresh_from_db()
    assert dossier.status == "received"


def _to_payment(client: Client, dossier: Dossier) -> None:
    hand_in_all(dossier)
    assert (
        _step(client, dossier, "conclude_complete", **_checked(dossier)).status_code
        == 302
    )
    dossier.refresh_from_db()
    assert (
        _step(client, dossier, "request_payment", **_checked(dossier)).status_code
        == 302
    )
    dossier.refresh_from_db()
    pay_fee(dossier)


def test_the_workbench_sends_the_fee_to_the_counter(
    client_for: Callable[[Any], Client],
    people: dict[str, Agent],
    teams: dict[str, Team],
    open_legal: Callable[..., Dossier],
) -> None:
    """No "paid" mark on the workbench: the counter takes the payment, with its
    receipt and its place in the day's cash book; the link fills in the form."""
    dossier = open_legal()
    front = client_for(people["front"])
    hand_in_all(dossier)
    for code in ("conclude_complete", "request_payment"):
        assert _step(front, dossier, code, **_checked(dossier)).status_code == 302
        dossier.refresh_from_db()
    link = f"/cashbook/?dossier={dossier.reference}"
    assert link in _page(front, dossier)
    # A dossier handler takes no payment: no link for them.
    assert link not in _page(client_for(people["handler"]), dossier)
    cashbook_services.counter_create(
        actor=people["boss"], team=teams["legalisations"], code="c1", name="Counter 1"
    )
    form = front.get(link).content.decode()
    assert f'value="{dossier.reference}"' in form
    assert 'value="20.00"' in form
    # A reference the agent may not see fills in nothing, revealing nothing.
    hidden = front.get("/cashbook/?dossier=DOS-2026-9999999").content.decode()
    assert 'value="DOS-2026-9999999"' not in hidden
    pay_fee(dossier)
    assert link not in _page(front, dossier)


def test_four_eyes_refused_then_approved(
    client_for: Callable[[Any], Client],
    people: dict[str, Agent],
    open_legal: Callable[..., Dossier],
) -> None:
    dossier = open_legal()
    front = client_for(people["front"])
    _to_payment(front, dossier)
    response = _step(
        front,
        dossier,
        "propose_decision",
        text="Signature matches the specimen.",
        decision_type="legalisation",
        result="granted",
    )
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == "decision_proposed"
    # The proposer is not offered the approval.
    html = _page(front, dossier)
    assert "Approve the decision" not in html
    assert "a second agent approves or refuses it" in html
    # Refusing needs a reason.
    handler = client_for(people["handler"])
    approvals = handler.get(reverse("ui:dossier_approvals")).content.decode()
    assert dossier.reference in approvals
    assert "Approve the decision" in _page(handler, dossier)
    response = handler.post(
        _url("ui:dossier_review", dossier),
        {"version": dossier.version, "verdict": "refuse", "text": ""},
    )
    assert response.status_code == 422
    dossier.refresh_from_db()
    assert dossier.status == "decision_proposed"
    response = handler.post(
        _url("ui:dossier_review", dossier),
        {"version": dossier.version, "verdict": "refuse", "text": "Wrong specimen."},
    )
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == "checking"
    assert Decision.objects.get(dossier=dossier).state == DecisionState.REFUSED


def test_the_proposer_posting_an_approval_is_refused(
    client_for: Callable[[Any], Client],
    people: dict[str, Agent],
    open_legal: Callable[..., Dossier],
) -> None:
    dossier = open_legal()
    handler = client_for(people["handler"])
    _to_payment(handler, dossier)
    _step(
        handler,
        dossier,
        "propose_decision",
        text="Fine.",
        decision_type="legalisation",
        result="granted",
    )
    dossier.refresh_from_db()
    response = handler.post(
        _url("ui:dossier_review", dossier),
        {"version": dossier.version, "verdict": "approve"},
    )
    assert response.status_code == 422
    assert "The proposer may not approve" in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.status == "decision_proposed"


def test_tasks_notes_and_my_work(
    client_for: Callable[[Any], Client],
    people: dict[str, Agent],
    open_legal: Callable[..., Dossier],
) -> None:
    dossier = open_legal()
    front = client_for(people["front"])
    response = front.post(
        _url("ui:dossier_task", dossier),
        {"title": "Call the embassy", "assignee": people["handler"].username},
    )
    assert response.status_code == 302
    task = DossierTask.objects.get(dossier=dossier)
    home = client_for(people["handler"]).get(reverse("ui:home")).content.decode()
    assert "Call the embassy" in home
    assert (
        front.post(_url("ui:dossier_task_done", dossier, task.uuid)).status_code == 302
    )
    task.refresh_from_db()
    assert task.done_at is not None
    assert front.post(_url("ui:dossier_note", dossier), {"text": ""}).status_code == 422
    assert (
        front.post(
            _url("ui:dossier_note", dossier), {"text": "Citizen called."}
        ).status_code
        == 302
    )
    assert "Citizen called." in _page(front, dossier)


def test_suspend_and_resume(
    client_for: Callable[[Any], Client],
    people: dict[str, Agent],
    open_legal: Callable[..., Dossier],
) -> None:
    dossier = open_legal()
    front = client_for(people["front"])
    response = front.post(
        _url("ui:dossier_suspend", dossier), {"version": dossier.version, "reason": ""}
    )
    assert response.status_code == 422
    response = front.post(
        _url("ui:dossier_suspend", dossier),
        {"version": dossier.version, "reason": "Waiting for the court"},
    )
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.suspended_since == clock.today()
    assert "Resume: restart the clock" in _page(front, dossier)
    assert (
        front.post(
            _url("ui:dossier_resume", dossier), {"version": dossier.version}
        ).status_code
        == 302
    )
    dossier.refresh_from_db()
    assert dossier.suspended_since is None


def test_workbench_query_count_is_bounded(
    client_for: Callable[[Any], Client],
    people: dict[str, Agent],
    open_legal: Callable[..., Dossier],
    django_assert_max_num_queries: Any,
) -> None:
    dossier = open_legal()
    hand_in_all(dossier)
    for index in range(5):
        services.task_create(
            actor=people["front"], dossier=dossier, title=f"Task {index}"
        )
        services.note_add(actor=people["front"], dossier=dossier, text_=f"Note {index}")
    client = client_for(people["front"])
    client.get(_url("ui:dossier_detail", dossier))
    with django_assert_max_num_queries(60):
        assert client.get(_url("ui:dossier_detail", dossier)).status_code == 200


def test_approvals_is_the_only_current_section_on_its_page(
    client_for: Callable[[Any], Client], people: dict[str, Agent]
) -> None:
    html = client_for(people["handler"]).get(reverse("ui:dossier_approvals"))
    assert html.status_code == 200
    assert html.content.decode().count('aria-current="page"') == 1


# ---------------------------------------------------------------- lives (#14)


def test_a_final_conclusion_is_confirmed_as_an_ordinary_step(
    client_for: Callable[[Any], Client], people: dict[str, Agent]
) -> None:
    """A decision that needs no approval is final when proposed: the step out of
    the proposal is offered on the workbench (it was hidden as if it were a review),
    and there is no approval to refuse."""
    visas = people["visas"]
    dossier = services.dossier_open(
        actor=visas, case_type="visa-extension", applicant=PersonFactory(), facts={}
    )
    hand_in_all(dossier)
    client = client_for(visas)
    assert (
        _step(client, dossier, "conclude_complete", **_checked(dossier)).status_code
        == 302
    )
    proposed = _step(
        client,
        dossier,
        "propose_decision",
        decision_type="conclusion",
        result="transferred",
        text="Complete.",
        **_checked(Dossier.objects.get(pk=dossier.pk)),
    )
    assert proposed.status_code == 302
    html = _page(client, dossier)
    assert 'value="approve_decision"' in html
    assert 'value="refuse_approval"' not in html
    assert "review_text" not in html  # no review form: nothing to review
    confirmed = _step(client, dossier, "approve_decision", **_checked(dossier))
    assert confirmed.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == "decided"


def test_the_facts_a_guard_reads_can_be_recorded_by_their_names(
    client_for: Callable[[Any], Client], teams: dict[str, Team]
) -> None:
    """The passport's proposal needs the biometrics appointment held: a fact the
    fact form must offer, though no document's condition reads it; and facts are
    named in the agent's language, not by their codes."""
    front = AgentFactory(
        roles=["front_office"],
        level="C",
        teams=[teams["travel-documents"]],
        language="fr",
    )
    dossier = services.dossier_open(
        actor=front, case_type="consular-passport", applicant=PersonFactory(), facts={}
    )
    client = client_for(front)
    html = _page(client, dossier)
    assert (
        '<option value="appointment_held">Rendez-vous biométrie tenu</option>' in html
    )
    assert "previous passport available" not in html
    fact = {"version": dossier.version, "name": "appointment_held", "value": "oui"}
    assert client.post(_url("ui:dossier_fact", dossier), fact).status_code == 302
    assert Dossier.objects.get(pk=dossier.pk).facts == {"appointment_held": True}
    html = _page(client, dossier)
    assert "appointment held" not in html
    assert html.count("Rendez-vous biométrie tenu") == 2  # the list and the form


def test_closing_keeps_the_decision_s_result_unless_told(
    client_for: Callable[[Any], Client], people: dict[str, Agent]
) -> None:
    visas = people["visas"]
    dossier = services.dossier_open(
        actor=visas, case_type="visa-extension", applicant=PersonFactory(), facts={}
    )
    hand_in_all(dossier)
    for code, extra in (
        ("conclude_complete", {}),
        (
            "propose_decision",
            {"decision_type": "conclusion", "result": "transferred", "text": "x"},
        ),
        ("approve_decision", {}),
        ("transmit", {}),
    ):
        dossier.refresh_from_db()
        done = _step(client_for(visas), dossier, code, **_checked(dossier), **extra)
        assert done.status_code == 302, (code, done.content.decode()[-2000:])
    dossier.refresh_from_db()
    client = client_for(visas)
    recorded = client.post(
        _url("ui:dossier_external", dossier),
        {
            "version": dossier.version,
            "decision_type": "extension",
            "result": "refused",
            "decided_on": clock.today().isoformat(),
            "body": "Immigration Office",
        },
    )
    assert recorded.status_code == 302
    assert _step(client, dossier, "inform_parties").status_code == 302
    dossier.refresh_from_db()
    closed = _step(client, dossier, "close", **_checked(dossier))
    assert closed.status_code == 302
    dossier.refresh_from_db()
    assert (dossier.status, dossier.result_code) == ("closed", "refused")
