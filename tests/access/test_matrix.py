"""The permission matrix (issue #12): every role at every level the grant tables
distinguish, against every API read and every page of the workspace, compared with
what `access.policy` answers, on a person everyone may see, a person confidential to
another team, and another payment office's debt.

The roles and levels come from the grant tables (`access/domains/*.py`), the API
operations from the OpenAPI description and the pages from the workspace registries:
a new role, level, operation, section or tab joins the matrix by itself (a new read
operation must say here which action guards it, or the first test fails).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.test import Client

import pytest

from guichet.access import policy
from guichet.agents.models import LEVEL_RANK, Agent, RoleCode
from guichet.correspondence import pdf
from guichet.correspondence.services import letter_draft_create, templates_load
from guichet.documents import storage
from guichet.ui import workspace
from tests.correspondence.factories import LetterheadFactory, person_with_address
from tests.debts.factories import DebtFactory, load_shipped_tables
from tests.documents.factories import PDF, PNG, DocumentFactory, SpecimenFactory
from tests.factories import AgentFactory, OrganisationFactory, TeamFactory

pytestmark = [pytest.mark.django_db, pytest.mark.any_database, pytest.mark.untraced]


def _levels() -> list[str]:
    """The lowest level, and each level a grant starts at: every level the policy
    tells apart."""
    starts = {grant.min_level for grant in policy.GRANTS.values()}
    lowest = min(LEVEL_RANK, key=LEVEL_RANK.__getitem__)
    return sorted(starts | {lowest}, key=LEVEL_RANK.__getitem__)


ROLES = [str(role) for role in RoleCode]
LEVELS = _levels()


def levels_of(role: str) -> list[str]:
    """The levels at which what `role` may do changes: the lowest, and each level a
    grant of this role starts at."""
    starts = {
        grant.min_level for grant in policy.GRANTS.values() if role in grant.roles
    }
    return [level for level in LEVELS if level == LEVELS[0] or level in starts]


def home_agents(role: str) -> Iterator[tuple[str, Agent]]:
    """An agent of the team `home` with `role` at each of `levels_of(role)`."""
    for level in levels_of(role):
        yield (
            level,
            AgentFactory(roles=[role], level=level, teams=[TeamFactory(code="home")]),
        )


@dataclass(frozen=True)
class Read:
    """An API read: the action that guards it and the object it is about."""

    action: str | None  # None: every authenticated agent
    subject: str | None = None  # the key of the object in `World`, None: a list
    ok: frozenset[int] = frozenset({200})


# Every GET operation of the API, with the action the policy grants it by.
READS: dict[str, Read] = {
    "/me": Read(None),
    "/persons": Read("person.view"),
    "/persons/{person_id}": Read("person.view", "person"),
    "/organisations": Read("organisation.view"),
    "/organisations/{organisation_id}": Read("organisation.view", "organisation"),
    "/letter-types": Read("letter.draft"),
    "/letters/{letter_id}": Read("letter.view", "letter"),
    "/letters/{letter_id}/docx": Read("letter.draft", "letter"),  # of a draft
    "/letters/{letter_id}/preview": Read("letter.view", "letter"),
    "/letters/{letter_id}/pdf": Read(
        "letter.view", "letter", frozenset({200, 409})
    ),  # a draft has no PDF yet: 409
    "/approvals": Read("letter.approve"),
    "/persons/{person_id}/letters": Read("letter.view", "person"),
    "/letters-to-post": Read("letter.dispatch"),
    "/print-batches/{batch_id}/pdf": Read("letter.batch", "missing"),
    "/forms/{form}": Read("form.render", "person"),  # prefilled for the person
    "/incoming-mail": Read("mail.view"),
    "/incoming-mail/{mail_id}": Read("mail.view", "missing"),
    "/incoming-mail/{mail_id}/scan": Read("mail.view", "missing"),
    "/minutes/{minutes_id}": Read("minutes.view", "missing"),
    "/minutes/{minutes_id}/pdf": Read("minutes.view", "missing"),
    "/action-items": Read(None),
    "/garnishment/tables": Read("garnishment.compute"),
    "/persons/{person_id}/debts": Read("debt.view", "person"),
    "/debts/{debt_id}": Read("debt.view", "debt"),
    "/debts/{debt_id}/statement": Read("debt.view", "debt"),
    "/debts/{debt_id}/comments": Read("debt.view", "debt"),
    "/persons/{person_id}/debts/next-payment": Read("debt.view", "person"),
    "/persons/{person_id}/documents": Read("document.view", "person"),
    "/documents/{document_id}": Read("document.view", "document"),
    "/documents/{document_id}/content": Read("document.download", "document"),
    # The register of specimens: reference data, no person behind it.
    "/signing-officials": Read("specimen.view"),
    "/specimens": Read("specimen.view"),
    "/specimens/{specimen_id}": Read("specimen.view", "specimen"),
    "/specimens/{specimen_id}/image": Read("specimen.view", "specimen"),
    # A document's comparisons: the agent must see the document and the register.
    "/documents/{document_id}/specimen-comparisons": Read("specimen.view", "document"),
    "/topics": Read(None),
    "/persons/{person_id}/contacts": Read("contact.view", "person"),
    "/contacts/{contact_id}": Read("contact.view", "missing"),
    "/requests": Read("request.work"),
    "/my-work": Read("request.work"),
    "/workload": Read("request.work"),
    "/requests/{key}": Read("request.view", "missing"),
    "/requests/{key}/timeline": Read("request.view", "missing"),
    # Prefilled from the request's person: who works on the request (the write
    # matrix's reply builds a real one; tests/api checks the answer).
    "/requests/{key}/standard-answers": Read("request.work", "missing"),
    "/dossiers": Read("dossier.work"),
    "/my-dossier-tasks": Read(None),
    "/persons/{person_id}/dossiers": Read("dossier.view", "person"),
    "/dossiers/{key}": Read("dossier.view", "missing"),
    "/dossiers/{key}/transitions": Read("dossier.view", "missing"),
    "/dossiers/{key}/fees-due": Read("dossier.view", "missing"),
    # A dossier never transmitted has no package: 404 for all, as a hidden one;
    # tests/dossiers/test_export.py downloads a real one.
    "/dossiers/{key}/export-package": Read("dossier.view", "missing"),
    # The cash book: counters of the agent's teams; their days, payments and
    # refunds by id (the write matrix builds real ones).
    "/counters": Read("cashbook.view"),
    "/counters/{counter_id}/today": Read("cashbook.view", "missing"),
    "/cash-days/{day_id}": Read("cashbook.view", "missing"),
    "/payments/{payment_id}/receipt": Read("cashbook.view", "missing"),
    "/refunds/{refund_id}/receipt": Read("cashbook.view", "missing"),
    "/knowledge/articles": Read("knowledge.view"),
    "/knowledge/articles/{article_id}": Read("knowledge.view", "missing"),
    # Absences and the agenda feed (issue #17): the agent's and their teams'.
    "/absences": Read("absence.view"),
    "/absences/team": Read("absence.view"),
    "/absences/{absence_id}": Read("absence.view", "missing"),
    "/agenda/feeds": Read("agenda_feed.manage"),
    # Appointments: the offers and appointments of the agent's teams.
    "/agenda/offers": Read("agenda.appointment_book"),
    "/agenda/offers/{offer_id}": Read("agenda.appointment_book", "missing"),
    "/agenda/offers/{offer_id}/slots": Read("agenda.appointment_book", "missing"),
    "/agenda/appointments/{key}": Read("agenda.appointment_book", "missing"),
    "/persons/{person_id}/appointments": Read("agenda.appointment_book", "person"),
    "/dossiers/{dossier_id}/appointments": Read("agenda.appointment_book", "missing"),
    "/agenda/teams/{team_code}/appointments": Read("agenda.appointment_book"),
    "/agenda/meetings": Read("agenda.meeting_view"),
    "/agenda/meetings/{meeting_id}": Read("agenda.meeting_view", "missing"),
    "/agenda/resources": Read("agenda.resource_book"),
    "/agenda/resources/{resource_id}": Read("agenda.resource_book", "missing"),
    "/agenda/resources/{resource_id}/bookings": Read("agenda.resource_book", "missing"),
    "/agenda/events": Read("agenda.event_register"),
    "/agenda/events/{event_id}": Read("agenda.event_register", "missing"),
    "/agenda/events/{event_id}/registrations": Read("agenda.event_register", "missing"),
    # Benefit payments (issue #18): the payment office's runs and beneficiaries
    # (tests/payments and tests/api/test_payments.py read real ones).
    "/payment-runs": Read("payment.run_view"),
    "/payment-runs/{run_id}": Read("payment.run_view", "missing"),
    "/payment-runs/{run_id}/exceptions": Read("payment.run_view", "missing"),
    "/beneficiaries/{beneficiary_id}": Read("payment.view", "missing"),
    "/beneficiaries/{beneficiary_id}/documents": Read("payment.view", "missing"),
    "/beneficiaries/{beneficiary_id}/balances": Read("payment.view", "missing"),
    # Granted as payment.ledger_view: the same roles and levels as debt.view.
    "/debts/{debt_id}/payment-balances": Read("debt.view", "debt"),
}

QUERIES = {
    "/persons": "?name=Testperson",
    "/organisations": "?name=Organisation",
    "/persons/{person_id}/debts/next-payment": "?paid_on=2024-06-01&earned=2000",
    "/forms/{form}": "?language=fr&person_id={person_id}",
    "/knowledge/articles": "?q=fee",
    "/agenda/offers/{offer_id}/slots": "?first=2026-03-10&last=2026-03-10",
    "/agenda/teams/{team_code}/appointments": "?day=2026-03-10",
    "/agenda/meetings": "?start=2027-03-10&end=2027-03-11",
    "/agenda/resources/{resource_id}/bookings": "?start=2027-03-10&end=2027-03-11",
    "/agenda/events": "?start=2027-03-10&end=2027-03-11",
    "/beneficiaries/{beneficiary_id}/documents": "?month=2026-01",
}


@dataclass
class World:
    """The objects of the matrix, seen from the team `home`."""

    public: dict[str, Any]  # what a home agent may reach, if their role may
    confidential: dict[str, Any]  # a person confidential to `other`, and theirs
    elsewhere: dict[str, Any]  # another office's debt on the public person


@pytest.fixture
def world(settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> World:
    settings.MEDIA_ROOT = tmp_path
    # Who may read is the question here, not how a PDF looks: skip WeasyPrint.
    blank = pdf.Rendered(data=b"%PDF-1.7", pages=1)
    monkeypatch.setattr(pdf, "render_pdfa", lambda *args, **kwargs: blank)
    monkeypatch.setattr(pdf, "render_form", lambda *args, **kwargs: blank)
    stored = storage.store([PDF], max_bytes=len(PDF))
    load_shipped_tables()
    home, other = TeamFactory(code="home"), TeamFactory(code="other")
    LetterheadFactory(team=home, prefix="HOM")
    LetterheadFactory(team=other, prefix="OTH")
    templates_load(actor=None)
    writer = AgentFactory(roles=["support_agent"], level="B", teams=[home])
    image = storage.store([PNG], max_bytes=len(PNG))
    specimen = SpecimenFactory(content_sha256=image.sha256, size=image.size)

    def objects(person: Any, team: Any) -> dict[str, Any]:
        letter = letter_draft_create(
            actor=writer, person_id=person.uuid, letter_type="acknowledgement"
        )
        return {
            "person": person,
            "letter": letter,
            "document": DocumentFactory(
                person=person, content_sha256=stored.sha256, size=stored.size
            ),
            "debt": DebtFactory(person=person, team=team),
            "organisation": OrganisationFactory(),
            "specimen": specimen,
        }

    public = objects(person_with_address(), home)
    secret = person_with_address(confidential_team=other)
    writer_secret = AgentFactory(roles=["support_agent"], level="B", teams=[other])
    confidential = {
        "person": secret,
        "letter": letter_draft_create(
            actor=writer_secret, person_id=secret.uuid, letter_type="acknowledgement"
        ),
        "document": DocumentFactory(
            person=secret, content_sha256=stored.sha256, size=stored.size
        ),
        "debt": DebtFactory(person=secret, team=other),
        "organisation": public["organisation"],
        "specimen": specimen,
    }
    elsewhere = {**public, "debt": DebtFactory(person=public["person"], team=other)}
    return World(public=public, confidential=confidential, elsewhere=elsewhere)


def _path(template: str, objects: dict[str, Any]) -> str:
    ids = {
        "person_id": objects["person"].uuid,
        "organisation_id": objects["organisation"].uuid,
        "letter_id": objects["letter"].uuid,
        "document_id": objects["document"].uuid,
        "debt_id": objects["debt"].uuid,
        "specimen_id": objects["specimen"].uuid,
        "form": "legalisation_request",
        "batch_id": "00000000-0000-0000-0000-000000000000",
        "mail_id": "00000000-0000-0000-0000-000000000000",
        "minutes_id": "00000000-0000-0000-0000-000000000000",
        "contact_id": "00000000-0000-0000-0000-000000000000",
        "counter_id": "00000000-0000-0000-0000-000000000000",
        "day_id": "00000000-0000-0000-0000-000000000000",
        "payment_id": "00000000-0000-0000-0000-000000000000",
        "refund_id": "00000000-0000-0000-0000-000000000000",
        "run_id": "00000000-0000-0000-0000-000000000000",
        "beneficiary_id": "00000000-0000-0000-0000-000000000000",
        "article_id": "00000000-0000-0000-0000-000000000000",
        "absence_id": "00000000-0000-0000-0000-000000000000",
        "meeting_id": "00000000-0000-0000-0000-000000000000",
        "resource_id": "00000000-0000-0000-0000-000000000000",
        "event_id": "00000000-0000-0000-0000-000000000000",
        "key": "REQ-2026-9999999",
        "offer_id": "00000000-0000-0000-0000-000000000000",
        "dossier_id": "00000000-0000-0000-0000-000000000000",
        "team_code": "home",
    }
    return re.sub(r"\{(\w+)\}", lambda m: str(ids[m.group(1)]), template)


def _expected(agent: Agent, read: Read, objects: dict[str, Any]) -> bool:
    if read.action is None:
        return True
    if read.subject is None:
        return policy.may(agent, read.action)
    if read.subject == "missing":
        return False
    obj = objects[read.subject]
    if read.subject == "person" and read.action != "person.view":
        # A person's list of X: the agent must see the person and hold the action.
        return policy.may(agent, "person.view", obj) and policy.may(agent, read.action)
    if read.subject == "document" and read.action == "specimen.view":
        # A document's comparisons with specimens: the document and the register.
        return policy.may(agent, "document.view", obj) and policy.may(
            agent, read.action
        )
    return policy.may(agent, read.action, obj)


def test_every_read_of_the_api_is_in_the_matrix() -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    reads = {
        path.removeprefix("/api/v1")
        for path, methods in schema["paths"].items()
        if "get" in methods
    }
    assert reads == set(READS)


def test_the_matrix_covers_every_role_and_the_levels_grants_start_at() -> None:
    assert set(ROLES) == {
        "first_line",
        "second_line",
        "front_office",
        "support_agent",
    } | {
        "dossier_handler",
        "payment_agent",
        "supervisor",
        "admin",
    }
    assert LEVELS[0] == "D"
    assert {"C", "B"} <= set(LEVELS)


def _denied(response: Any) -> bool:
    """Refused (403, or 404: missing and forbidden look the same), or a list that
    shows nothing."""
    if response.status_code in (403, 404):
        return True
    if response.status_code != 200 or not response["Content-Type"].startswith(
        "application/json"
    ):
        return False
    body = response.json()
    return body == [] or (isinstance(body, dict) and body.get("items") == [])


@pytest.mark.parametrize("role", ROLES)
def test_api_reads_follow_the_policy(
    world: World, api_for: Callable[..., Any], role: str
) -> None:
    wrong = []
    for level, agent in home_agents(role):
        api = api_for(agent)
        for case, objects in (
            ("public", world.public),
            ("confidential", world.confidential),
            ("elsewhere", world.elsewhere),
        ):
            for template, read in READS.items():
                if case != "public" and read.subject in (None, "missing"):
                    continue
                if case == "elsewhere" and read.subject != "debt":
                    continue
                url = _path(template + QUERIES.get(template, ""), objects)
                response = api.get(url)
                allowed = _expected(agent, read, objects)
                if (
                    response.status_code not in read.ok
                    if allowed
                    else not _denied(response)
                ):
                    wrong.append((level, case, template, response.status_code, allowed))
    assert not wrong, "\n".join(map(str, wrong))


def _pages(objects: dict[str, Any]) -> list[tuple[str, str | None, str]]:
    """(kind, action, url) of every section and every person tab."""
    person = objects["person"].uuid
    return [
        *(
            ("section", section.action, section.url)
            for section in workspace.all_sections()
            if section.url_name != "admin:index"
        ),
        *(("tab", tab.action, tab.url(person)) for tab in workspace.all_person_tabs()),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_pages_follow_the_policy_and_the_navigation(world: World, role: str) -> None:
    """A section or tab is shown exactly when the policy allows it, and its page
    answers 200 exactly then (403 or 404 otherwise), on a confidential person too."""
    wrong = []
    for level, agent in home_agents(role):
        client = Client()
        client.force_login(agent)
        shown_sections = {section.key for section in workspace.sections_for(agent)}
        shown_tabs = {tab.key for tab in workspace.person_tabs_for(agent)}
        for section in workspace.all_sections():
            if section.url_name == "admin:index":
                continue
            allowed = section.action is None or policy.may(agent, section.action)
            status = client.get(section.url).status_code
            if allowed != (section.key in shown_sections) or (status == 200) != allowed:
                wrong.append((level, section.key, status, allowed))
        for case, objects in (
            ("public", world.public),
            ("confidential", world.confidential),
        ):
            person = objects["person"]
            for tab in workspace.all_person_tabs():
                allowed = policy.may(agent, "person.view", person) and policy.may(
                    agent, tab.action
                )
                status = client.get(tab.url(person.uuid)).status_code
                if (status == 200) != allowed or (
                    case == "public" and allowed != (tab.key in shown_tabs)
                ):
                    wrong.append((level, case, tab.key, status, allowed))
                if not allowed and status not in (403, 404):
                    wrong.append((level, case, tab.key, status, "not 403 or 404"))
    assert not wrong, "\n".join(map(str, wrong))
