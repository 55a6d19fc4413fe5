"""The correspondence screens through the browser's HTTP: letters of a person, the
autonomy rule, approval, sending, incoming mail and minutes."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable
from typing import Any

from django.core import mail as outbox
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

import pytest

from guichet.agenda.minutes import services as minutes_services
from guichet.agenda.models import ActionItem, Minutes
from guichet.audit.models import AuditEvent
from guichet.core import clock
from guichet.correspondence import fields, services
from guichet.correspondence.models import (
    IncomingMail,
    Letter,
    PrintBatch,
)
from guichet.correspondence.services import templates_load
from guichet.ui.forms.correspondence import LetterEditForm
from tests.correspondence.factories import LetterheadFactory, person_with_address
from tests.factories import PersonFactory, TeamFactory

pytestmark = pytest.mark.django_db

PDF_SCAN = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def service(db: Any) -> Any:
    LetterheadFactory(team=TeamFactory(code="visas"), prefix="VIS")
    return LetterheadFactory(team=TeamFactory(code="legalisations"))


@pytest.fixture
def shipped(db: Any) -> int:
    return templates_load(actor=None)


@pytest.fixture
def writer(
    make_agent: Callable[..., Any], service: Any, shipped: int
) -> Callable[..., Any]:
    def make(level: str = "C") -> Any:
        return make_agent(
            "front_office",
            level=level,
            teams=("legalisations",),
            username=f"writer-{level}",
            first_name="Amélie",
            last_name=f"Niveau{level}",
        )

    return make


@pytest.fixture
def supervisor(make_agent: Callable[..., Any], service: Any) -> Any:
    return make_agent(
        "supervisor",
        level="A1",
        teams=("legalisations",),
        username="chief",
        first_name="Hendrik",
        last_name="Claes",
    )


@pytest.fixture
def outsider(make_agent: Callable[..., Any], service: Any) -> Any:
    return make_agent(
        "front_office", level="B", teams=("visas",), username="visa.agent"
    )


@pytest.fixture
def clerk(make_agent: Callable[..., Any], service: Any) -> Any:
    return make_agent(
        "support_agent", level="C", teams=("legalisations",), username="clerk"
    )


@pytest.fixture
def citizen(db: Any) -> Any:
    return person_with_address(
        given_names="Hélène", surname="Lefèvre", sex="F", language="nl"
    )


def _without_tokens(response: Any) -> str:
    """The page without its per-response CSRF tokens."""
    return re.sub(
        r'(csrf[^"]*" (?:content|value)=")[^"]+', r"\1", response.content.decode()
    )


def _start(client: Client, person: Any, letter_type: str, **extra: str) -> Letter:
    response = client.post(
        f"/persons/{person.uuid}/letters/new/",
        {"letter_type": letter_type, "language": person.language, **extra},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    letter = Letter.objects.get(person=person, status="draft")
    assert response["Location"] == f"/correspondence/letters/{letter.uuid}/"
    return letter


def _edit(client: Client, letter: Letter, **data: Any) -> Any:
    version = letter.template_version
    fields = {
        "version": letter.version,
        "subject": version.subject if version else "",
        "body": version.body if version else "",
        **data,
    }
    return client.post(f"/correspondence/letters/{letter.uuid}/", fields)


def _issued(agent: Any, person: Any, **extra: Any) -> Letter:
    """A standard letter written and issued by the agent, through the services."""
    draft = services.letter_draft_create(
        actor=agent, person_id=person.uuid, letter_type="acknowledgement", **extra
    )
    return services.letter_submit(
        actor=agent, letter_id=draft.uuid, expected_version=draft.version
    )


def _submit(client: Client, letter: Letter) -> Any:
    letter.refresh_from_db()
    return client.post(
        f"/correspondence/letters/{letter.uuid}/submit/",
        {"version": letter.version},
        follow=True,
    )


# The person's letters tab.


def test_the_letters_tab_lists_letters_with_their_pdf(
    client_for: Any, writer: Callable[..., Any], citizen: Any
) -> None:
    agent = writer("C")
    letter = _issued(agent, citizen)
    client = client_for(agent)
    html = client.get(f"/persons/{citizen.uuid}/").content.decode()
    assert f'href="/persons/{citizen.uuid}/letters/"' in html
    response = client.get(f"/persons/{citizen.uuid}/letters/")
    html = response.content.decode()
    assert response.status_code == 200
    assert letter.number in html
    assert f'href="/correspondence/letters/{letter.uuid}/pdf/"' in html
    assert "Dutch" in html
    assert "issued, not sent yet" in html
    assert AuditEvent.objects.filter(
        chain="access", action="letter.timeline", object_id=str(citizen.uuid)
    ).exists()


def test_the_letters_tab_says_when_there_is_none(
    client_for: Any, writer: Callable[..., Any], citizen: Any
) -> None:
    html = client_for(writer("C")).get(f"/persons/{citizen.uuid}/letters/")
    assert "No letter was written to this person yet." in html.content.decode()


def test_the_new_letter_form_defaults_to_the_persons_language_and_shows_the_rule(
    client_for: Any, writer: Callable[..., Any], citizen: Any
) -> None:
    response = client_for(writer("D")).get(f"/persons/{citizen.uuid}/letters/new/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<option value="nl" selected>' in html
    assert '<option value="acknowledgement"' in html
    assert "What your level lets you send alone" in html
    # Level D: only the unchanged standard letter goes out without approval.
    assert html.count("by you, at once") == 1
    assert html.count("after a supervisor's approval") == 4
    # Each letter's free fields are named by their labels.
    assert "Free fields: Date of the appointment, Time of the appointment" in html
    assert "Free fields: date, time" not in html


# The autonomy rule, level by level.


def test_a_level_d_agent_issues_a_standard_letter_unchanged(
    client_for: Any, writer: Callable[..., Any], citizen: Any
) -> None:
    client = client_for(writer("D"))
    letter = _start(client, citizen, "acknowledgement")
    page = client.get(f"/correspondence/letters/{letter.uuid}/").content.decode()
    assert "Geachte mevrouw Lefèvre," in page  # the preview, in Dutch
    response = _submit(client, letter)
    letter.refresh_from_db()
    assert letter.status == "issued"
    assert letter.number == f"LEG/{letter.year}/000001"
    assert f"Letter {letter.number} was issued." in response.content.decode()


def test_a_level_d_agent_who_adapts_the_text_sends_it_to_the_queue(
    client_for: Any,
    writer: Callable[..., Any],
    supervisor: Any,
    make_agent: Callable[..., Any],
    citizen: Any,
) -> None:
    # given the service's supervisor, and one of another service
    make_agent("supervisor", level="A2", teams=("visas",), last_name="Elsewhere")
    client = client_for(writer("D"))
    letter = _start(client, citizen, "acknowledgement")
    body = letter.template_version.body + "\n\nWij bellen u volgende week."
    assert _edit(client, letter, body=body).status_code == 302
    # when the level-D author issues an adapted letter
    response = _submit(client, letter)
    letter.refresh_from_db()
    assert (letter.status, letter.number, letter.autonomy_kind) == (
        "pending_approval",
        None,
        "adapted",
    )
    # then the message and the page say where it waits and who may approve it
    html = response.content.decode()
    assert (
        "it now waits in the approval queue of Legalisations, where Hendrik Claes "
        "may approve it." in html
    )
    assert "In the approval queue of Legalisations" in html
    assert "Who may approve or reject it: <strong>Hendrik Claes</strong>." in html
    assert "Elsewhere" not in html
    assert "It is not sent before approval." in html
    # and it is not called a draft any more
    heading = re.search(r"<h1>(.*?)</h1>", html, re.DOTALL)
    assert heading is not None
    assert heading.group(1).startswith("Waiting for approval · ")
    tab = client.get(f"/persons/{citizen.uuid}/letters/").content.decode()
    assert ">draft<" not in tab
    assert "waiting for approval" in tab


def test_a_supervisor_of_several_services_chooses_the_service_once(
    client_for: Any, make_agent: Callable[..., Any], service: Any, shipped: int
) -> None:
    # given a supervisor of two services, with a letter to post in visas
    chief = make_agent(
        "supervisor", level="A1", teams=("legalisations", "visas"), username="boss"
    )
    person = person_with_address()
    letter = _issued(chief, person, team="visas")
    # when they show the visas letters
    page = client_for(chief).get("/correspondence/?team=visas").content.decode()
    # then the services are listed once, and the batch prints what is shown
    assert page.count('<select name="team"') == 1
    assert letter.number in page
    assert '<input type="hidden" name="team" value="visas" id="batch_team">' in page


def test_the_author_is_told_when_nobody_may_approve_yet(
    client_for: Any, writer: Callable[..., Any], citizen: Any
) -> None:
    client = client_for(writer("D"))
    letter = _start(client, citizen, "acknowledgement")
    _edit(client, letter, is_flagged="on", flag_reason="Klacht")
    html = _submit(client, letter).content.decode()
    assert "but no active supervisor there may approve it yet" in html
    assert "No active supervisor of Legalisations may approve it yet" in html


def test_a_level_b_agents_adapted_letter_is_issued(
    client_for: Any, writer: Callable[..., Any], citizen: Any
) -> None:
    client = client_for(writer("B"))
    letter = _start(client, citizen, "acknowledgement")
    body = letter.template_version.body + "\n\nWij bellen u volgende week."
    assert _edit(client, letter, body=body).status_code == 302
    _submit(client, letter)
    letter.refresh_from_db()
    assert (letter.status, letter.autonomy_kind) == ("issued", "adapted")
    assert "Wij bellen u volgende week." in letter.content["body"]


def test_an_out_of_the_ordinary_letter_waits_and_a_supervisor_approves_it(
    client_for: Any, writer: Callable[..., Any], supervisor: Any, citizen: Any
) -> None:
    author = writer("B")
    client = client_for(author)
    letter = _start(client, citizen, "acknowledgement")
    response = _edit(client, letter, is_flagged="on", flag_reason="Klacht")
    assert response.status_code == 302
    _submit(client, letter)
    letter.refresh_from_db()
    assert letter.status == "pending_approval"
    # The author may not approve their own letter: no form, and a refused POST.
    page = client.get(f"/correspondence/letters/{letter.uuid}/").content.decode()
    assert "Approve and issue" not in page
    refused = client.post(
        f"/correspondence/letters/{letter.uuid}/approve/",
        {"version": letter.version, "subject": "", "body": "", "note": ""},
    )
    assert refused.status_code == 403
    chief = client_for(supervisor)
    queue = chief.get("/correspondence/").content.decode()
    assert "Waiting for your approval" in queue
    assert f'href="/correspondence/letters/{letter.uuid}/"' in queue
    assert "out of the ordinary" in queue
    page = chief.get(f"/correspondence/letters/{letter.uuid}/").content.decode()
    assert "Approve and issue" in page
    version = letter.template_version
    response = chief.post(
        f"/correspondence/letters/{letter.uuid}/approve/",
        {
            "version": letter.version,
            "subject": version.subject,
            "body": version.body + "\n\nMet excuses voor het ongemak.",
            "note": "Zin toegevoegd.",
        },
        follow=True,
    )
    letter.refresh_from_db()
    assert letter.status == "issued"
    assert (letter.decided_by, letter.decision_reason) == (
        supervisor,
        "Zin toegevoegd.",
    )
    assert letter.decided_at is not None
    assert "Met excuses voor het ongemak." in letter.content["body"]
    assert f"Letter {letter.number} was approved and issued." in (
        response.content.decode()
    )
    approve = AuditEvent.objects.get(
        action="letter.approve", object_id=str(letter.uuid)
    )
    assert approve.actor_id == supervisor.pk


def test_a_supervisor_rejects_with_a_reason_and_the_author_sees_it(
    client_for: Any, writer: Callable[..., Any], supervisor: Any, citizen: Any
) -> None:
    author = writer("D")
    client = client_for(author)
    letter = _start(client, citizen, "acknowledgement")
    _edit(client, letter, is_flagged="on", flag_reason="Bijzonder geval")
    _submit(client, letter)
    letter.refresh_from_db()
    chief = client_for(supervisor)
    empty = chief.post(
        f"/correspondence/letters/{letter.uuid}/reject/",
        {"version": letter.version, "reason": "  "},
    )
    assert empty.status_code == 422
    assert "This field is required." in empty.content.decode()
    letter.refresh_from_db()
    assert letter.status == "pending_approval"
    response = chief.post(
        f"/correspondence/letters/{letter.uuid}/reject/",
        {"version": letter.version, "reason": "Geen klacht: gewone brief."},
    )
    assert response.status_code == 302
    letter.refresh_from_db()
    assert (letter.status, letter.decided_by) == ("rejected", supervisor)
    page = client.get(f"/correspondence/letters/{letter.uuid}/").content.decode()
    assert "Rejected by the supervisor" in page
    assert "Geen klacht: gewone brief." in page
    assert "Hendrik Claes" in page


# Holes, refusals, stale edits.


def test_a_letter_with_missing_values_lists_them_and_is_not_issued(
    client_for: Any, writer: Callable[..., Any]
) -> None:
    homeless = PersonFactory(surname="Sansadresse", language="fr")
    client = client_for(writer("C"))
    letter = _start(client, homeless, "documents_missing")
    page = client.get(f"/correspondence/letters/{letter.uuid}/").content.decode()
    assert "The letter cannot be issued yet:" in page
    assert "no value for <code>person.address</code>" in page
    assert "Missing documents: not filled in" in page
    assert "Deadline for sending them: not filled in" in page
    assert "<code>free.deadline</code>" not in page
    response = client.post(
        f"/correspondence/letters/{letter.uuid}/submit/", {"version": letter.version}
    )
    assert response.status_code == 422
    assert "<code>person.address</code>" in response.content.decode()
    letter.refresh_from_db()
    assert (letter.status, letter.number) == ("draft", None)
    preview = client.get(f"/correspondence/letters/{letter.uuid}/preview/")
    assert preview.status_code == 302


def test_free_fields_filled_by_a_level_c_agent_are_issued(
    client_for: Any, writer: Callable[..., Any], citizen: Any
) -> None:
    client = client_for(writer("C"))
    letter = _start(client, citizen, "documents_missing")
    response = _edit(
        client,
        letter,
        free_documents="Een kopie van uw paspoort",
        free_deadline="2026-12-15",
    )
    assert response.status_code == 302
    _submit(client, letter)
    letter.refresh_from_db()
    assert (letter.status, letter.autonomy_kind) == ("issued", "free_fields")
    assert letter.free_values == {
        "documents": "Een kopie van uw paspoort",
        "deadline": "2026-12-15",
    }
    assert "uiterlijk op 15 december 2026" in " ".join(letter.content["body"])


def test_an_impossible_date_or_time_is_refused_next_to_its_field(
    client_for: Any, writer: Callable[..., Any], citizen: Any
) -> None:
    client = client_for(writer("C"))
    letter = _start(client, citizen, "appointment")
    page = client.get(f"/correspondence/letters/{letter.uuid}/").content.decode()
    assert re.search(r'<input type="date" name="free_date"[^>]*>', page)
    assert re.search(r'<input type="time" name="free_time"[^>]*>', page)
    response = _edit(client, letter, free_date="2027-02-31", free_time="25:99")
    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="edit_free_date_error"' in html
    assert "Date of the appointment: 2027-02-31 is not a date." in html
    assert "Time of the appointment: 25:99 is not a time of day." in html
    letter.refresh_from_db()
    assert (letter.free_values, letter.version) == ({}, 1)


def test_a_stale_edit_changes_nothing_and_says_so(
    client_for: Any, writer: Callable[..., Any], citizen: Any
) -> None:
    client = client_for(writer("C"))
    letter = _start(client, citizen, "documents_missing")
    _edit(client, letter, free_documents="Paspoort", free_deadline="2026-05-01")
    response = _edit(client, letter, free_documents="Identiteitskaart")  # version 1
    assert response.status_code == 409
    letter.refresh_from_db()
    assert letter.free_values["documents"] == "Paspoort"
    assert "changed meanwhile" in response.content.decode()


def test_an_agent_of_another_team_gets_the_house_404(
    client_for: Any, writer: Callable[..., Any], outsider: Any, citizen: Any
) -> None:
    letter = _start(client_for(writer("C")), citizen, "acknowledgement")
    client = client_for(outsider)
    zero = "00000000-0000-0000-0000-000000000000"
    for url in ("", "preview/", "docx/", "cancel/"):
        response = client.get(f"/correspondence/letters/{letter.uuid}/{url}")
        unknown = client.get(f"/correspondence/letters/{zero}/{url}")
        assert (response.status_code, unknown.status_code) == (404, 404)
        seen = _without_tokens(response).replace(str(letter.uuid), zero)
        assert seen == _without_tokens(unknown)
    response = client.post(
        f"/correspondence/letters/{letter.uuid}/submit/", {"version": letter.version}
    )
    assert response.status_code == 404
    letter.refresh_from_db()
    assert (letter.status, letter.version) == ("draft", 1)


def test_anonymous_visitors_are_sent_to_the_login_page(citizen: Any) -> None:
    response = Client().get(f"/persons/{citizen.uuid}/letters/")
    assert response.status_code == 302
    assert response["Location"].startswith("/?next=")


def test_an_own_letter_without_template_needs_its_text_and_goes_to_the_queue(
    client_for: Any, writer: Callable[..., Any], citizen: Any
) -> None:
    client = client_for(writer("B"))
    url = f"/persons/{citizen.uuid}/letters/new/"
    refused = client.post(url, {"letter_type": "", "language": "nl"})
    assert refused.status_code == 422
    assert Letter.objects.count() == 0
    assert "This field is required." in refused.content.decode()
    letter = _start(
        client,
        citizen,
        "",
        subject="Uw vraag",
        body="Geachte {{ person.full_name }},\n\nWij antwoorden u spoedig.",
    )
    _submit(client, letter)
    letter.refresh_from_db()
    assert (letter.status, letter.autonomy_kind) == ("pending_approval", "no_template")


def test_withdrawing_a_draft_asks_first(
    client_for: Any, writer: Callable[..., Any], citizen: Any
) -> None:
    client = client_for(writer("C"))
    letter = _start(client, citizen, "acknowledgement")
    page = client.get(f"/correspondence/letters/{letter.uuid}/cancel/")
    assert "Withdraw this letter?" in page.content.decode()
    letter.refresh_from_db()
    assert letter.status == "draft"
    response = client.post(
        f"/correspondence/letters/{letter.uuid}/cancel/", {"version": letter.version}
    )
    assert response.status_code == 302
    letter.refresh_from_db()
    assert letter.status == "cancelled"


# Files: PDF, preview, DOCX out and back in.


def test_downloads_the_pdf_preview_and_docx_with_their_disposition(
    client_for: Any, writer: Callable[..., Any], citizen: Any
) -> None:
    client = client_for(writer("C"))
    letter = _start(client, citizen, "acknowledgement")
    preview = client.get(f"/correspondence/letters/{letter.uuid}/preview/")
    assert preview.status_code == 200
    assert preview["Content-Type"] == "application/pdf"
    assert preview["Content-Disposition"].startswith("inline;")
    assert preview.content.startswith(b"%PDF-")
    docx = client.get(f"/correspondence/letters/{letter.uuid}/docx/")
    assert docx["Content-Disposition"] == (
        f'attachment; filename="letter-{letter.uuid}.docx"'
    )
    assert docx.content.startswith(b"PK")
    _submit(client, letter)
    letter.refresh_from_db()
    response = client.get(f"/correspondence/letters/{letter.uuid}/pdf/")
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="{letter.number.replace("/", "-")}.pdf"'
    )
    assert response["X-Content-SHA256"] == letter.pdf_sha256
    assert response.content.startswith(b"%PDF-")
    assert AuditEvent.objects.filter(
        chain="access", action="letter.view", object_id=str(letter.uuid)
    ).exists()


def test_an_edited_docx_uploaded_back_becomes_the_letter(
    client_for: Any, writer: Callable[..., Any], citizen: Any
) -> None:
    import docx

    client = client_for(writer("B"))
    letter = _start(client, citizen, "acknowledgement")
    document = docx.Document(
        io.BytesIO(client.get(f"/correspondence/letters/{letter.uuid}/docx/").content)
    )
    document.add_paragraph("Persoonlijk toegevoegd.")
    edited = io.BytesIO()
    document.save(edited)
    response = client.post(
        f"/correspondence/letters/{letter.uuid}/docx/upload/",
        {
            "version": letter.version,
            "file": SimpleUploadedFile("brief.docx", edited.getvalue()),
        },
    )
    assert response.status_code == 302
    letter.refresh_from_db()
    assert letter.docx_sha256
    assert "Persoonlijk toegevoegd." in letter.body_text
    garbage = client.post(
        f"/correspondence/letters/{letter.uuid}/docx/upload/",
        {"version": letter.version, "file": SimpleUploadedFile("x.docx", b"nope")},
    )
    assert garbage.status_code == 422
    assert "This is not a Word document (DOCX) we can read." in (
        garbage.content.decode()
    )


# Sending: e-mail, counter, print batch.


def test_sends_by_email_hands_over_and_prints_a_batch(
    client_for: Any, writer: Callable[..., Any], citizen: Any
) -> None:
    agent = writer("C")
    client = client_for(agent)
    letters = []
    for _ in range(3):
        draft = services.letter_draft_create(
            actor=agent, person_id=citizen.uuid, letter_type="acknowledgement"
        )
        letters.append(
            services.letter_submit(
                actor=agent, letter_id=draft.uuid, expected_version=draft.version
            )
        )
    by_email, at_counter, by_post = letters
    response = client.post(f"/correspondence/letters/{by_email.uuid}/email/", {})
    assert response.status_code == 302
    assert len(outbox.outbox) == 1
    assert outbox.outbox[0].to == ["helene.lefevre@example.be"]
    bad = client.post(
        f"/correspondence/letters/{at_counter.uuid}/email/", {"address": "nope"}
    )
    assert bad.status_code == 422
    assert "Select a valid choice." in bad.content.decode()
    assert 'name="other_address"' not in bad.content.decode()
    client.post(f"/correspondence/letters/{at_counter.uuid}/hand-over/")
    page = client.get("/correspondence/").content.decode()
    assert by_post.number in page
    assert at_counter.number not in page
    response = client.post("/correspondence/print-batches/", {"team": ""})
    assert response.status_code == 201
    batch = PrintBatch.objects.get()
    assert batch.letter_count == 1
    pdf = client.get(f"/correspondence/print-batches/{batch.uuid}/pdf/")
    assert pdf["Content-Disposition"].startswith("attachment;")
    assert pdf.content.startswith(b"%PDF-")
    states = {
        letter.number: (letter.status, letter.channel)
        for letter in Letter.objects.all()
    }
    assert states == {
        by_email.number: ("sent", "email"),
        at_counter.number: ("sent", "counter"),
        by_post.number: ("sent", "post"),
    }
    nothing = client.post("/correspondence/print-batches/", {}, follow=True)
    assert "There is no letter to print." in nothing.content.decode()
    assert PrintBatch.objects.count() == 1


def test_a_level_b_agent_sends_elsewhere_only_with_a_reason(
    client_for: Any, writer: Callable[..., Any], citizen: Any
) -> None:
    agent = writer("B")
    letter = _issued(agent, citizen)
    client = client_for(agent)
    url = f"/correspondence/letters/{letter.uuid}/email/"
    page = client.get(f"/correspondence/letters/{letter.uuid}/").content.decode()
    assert '<option value="helene.lefevre@example.be"' in page
    assert 'name="other_address"' in page
    typo = client.post(url, {"other_address": "nope"})
    assert typo.status_code == 422
    assert 'id="email_other_address_error"' in typo.content.decode()
    unexplained = client.post(url, {"other_address": "avocat@example.org"})
    assert unexplained.status_code == 422
    assert "say why the letter goes there" in unexplained.content.decode()
    assert not outbox.outbox
    sent = client.post(
        url,
        {"other_address": "avocat@example.org", "address_reason": "Her lawyer."},
    )
    assert sent.status_code == 302
    assert outbox.outbox[0].to == ["avocat@example.org"]


def test_a_letter_sent_once_is_offered_again_only_with_a_reason(
    client_for: Any, writer: Callable[..., Any], citizen: Any
) -> None:
    agent = writer("C")
    letter = _issued(agent, citizen)
    client = client_for(agent)
    client.post(f"/correspondence/letters/{letter.uuid}/email/", {})
    page = client.get(f"/correspondence/letters/{letter.uuid}/").content.decode()
    assert "Send it once more" in page
    assert f"/correspondence/letters/{letter.uuid}/email/" not in page
    assert f"/correspondence/letters/{letter.uuid}/hand-over/" not in page
    assert letter.number not in client.get("/correspondence/").content.decode()
    url = f"/correspondence/letters/{letter.uuid}/resend/"
    unexplained = client.post(url, {"channel": "counter"})
    assert unexplained.status_code == 422
    assert "say why" in unexplained.content.decode()
    assert letter.dispatches.count() == 1
    again = client.post(
        url, {"channel": "counter", "resend_reason": "She lost the e-mail."}
    )
    assert again.status_code == 302
    assert list(letter.dispatches.order_by("id").values_list("channel", flat=True)) == [
        "email",
        "counter",
    ]
    printed = client.post(url, {"channel": "post", "resend_reason": "Paper copy."})
    assert printed.status_code == 201
    assert PrintBatch.objects.get().letter_count == 1


# Incoming mail.


def test_registers_paper_mail_and_dispatches_it(
    client_for: Any, clerk: Any, outsider: Any
) -> None:
    client = client_for(clerk)
    today = clock.today()
    response = client.post(
        "/correspondence/mail/new/",
        {
            "received_on": today.isoformat(),
            "sender_name": "Jan Peeters",
            "subject": "Vraag om legalisatie",
            "scan": SimpleUploadedFile("scan.pdf", PDF_SCAN, "application/pdf"),
        },
    )
    assert response.status_code == 302
    mail = IncomingMail.objects.get()
    assert mail.number.endswith("/000001")
    assert response["Location"] == f"/correspondence/mail/{mail.uuid}/"
    listing = client.get("/correspondence/mail/").content.decode()
    assert "Not dispatched yet" in listing
    assert mail.number in listing
    scan = client.get(f"/correspondence/mail/{mail.uuid}/scan/")
    assert scan.content == PDF_SCAN
    assert scan["Content-Disposition"] == 'attachment; filename="scan.pdf"'
    # Outside the registering service, the mail does not exist.
    assert (
        client_for(outsider).get(f"/correspondence/mail/{mail.uuid}/").status_code
        == 404
    )
    response = client.post(
        f"/correspondence/mail/{mail.uuid}/", {"version": mail.version, "team": "visas"}
    )
    assert response.status_code == 302
    mail.refresh_from_db()
    assert (mail.status, mail.dispatched_team.code, mail.dispatched_by) == (
        "dispatched",
        "visas",
        clerk,
    )
    listing = client.get("/correspondence/mail/").content.decode()
    assert "All registered mail has been dispatched." in listing
    assert (
        client_for(outsider).get(f"/correspondence/mail/{mail.uuid}/").status_code
        == 200
    )


def test_a_bad_scan_or_a_future_date_is_refused_next_to_its_field(
    client_for: Any, clerk: Any
) -> None:
    client = client_for(clerk)
    response = client.post(
        "/correspondence/mail/new/",
        {
            "received_on": (clock.today() + dt.timedelta(days=2)).isoformat(),
            "sender_name": "Jan Peeters",
            "subject": "Vraag",
            "scan": SimpleUploadedFile("scan.txt", b"hello", "text/plain"),
        },
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "Mail cannot be received in the future." in html
    assert "A scan is a PDF, JPEG, PNG or TIFF file" in html
    assert IncomingMail.objects.count() == 0


def test_only_mail_clerks_register_mail(
    client_for: Any, make_agent: Callable[..., Any], clerk: Any
) -> None:
    payer = make_agent(
        "payment_agent", level="B", teams=("legalisations",), username="payer"
    )
    response = client_for(payer).post(
        "/correspondence/mail/new/",
        {
            "received_on": clock.today().isoformat(),
            "sender_name": "Jan Peeters",
            "subject": "Vraag",
            "scan": SimpleUploadedFile("scan.pdf", PDF_SCAN, "application/pdf"),
        },
    )
    assert response.status_code == 403
    assert IncomingMail.objects.count() == 0
    assert client_for(clerk).get("/correspondence/mail/new/").status_code == 200


# Minutes.


def test_minutes_produce_a_pdf_and_the_action_items(
    client_for: Any, writer: Callable[..., Any], supervisor: Any
) -> None:
    agent = writer("C")
    client = client_for(agent)
    meeting = clock.today() - dt.timedelta(days=1)
    response = client.post(
        "/correspondence/minutes/new/",
        {
            "title": "Teamoverleg",
            "meeting_date": meeting.isoformat(),
            "place": "Zaal 3",
            "language": "nl",
            "attendees": "Amélie\r\nHendrik",
            "agenda": "Wachttijden\r\nNieuwe sjablonen",
            "decisions": "Extra loket op maandag",
            "action_0_description": "Rooster aanpassen",
            "action_0_owner": "chief",
            "action_0_due_date": (meeting + dt.timedelta(days=7)).isoformat(),
        },
    )
    assert response.status_code == 302
    minutes = Minutes.objects.get()
    assert response["Location"] == f"/correspondence/minutes/{minutes.uuid}/"
    assert (minutes.attendees, minutes.agenda) == (
        ["Amélie", "Hendrik"],
        ["Wachttijden", "Nieuwe sjablonen"],
    )
    item = ActionItem.objects.get()
    assert (item.description, item.owner) == ("Rooster aanpassen", supervisor)
    page = client.get(response["Location"]).content.decode()
    assert "Rooster aanpassen" in page
    assert "The minutes were recorded, with 1 action." in page
    pdf = client.get(f"/correspondence/minutes/{minutes.uuid}/pdf/")
    assert pdf.content.startswith(b"%PDF-")
    assert (
        "Rooster aanpassen"
        in client_for(supervisor).get("/correspondence/").content.decode()
    )


def test_the_owners_offered_are_the_services_agents_who_serve_citizens(
    client_for: Any, writer: Callable[..., Any], make_agent: Callable[..., Any]
) -> None:
    make_agent(
        "admin", level="A2", teams=("legalisations",), username="root", last_name="Root"
    )
    colleague = make_agent(
        "support_agent", level="D", teams=("legalisations",), last_name="Collègue"
    )
    page = client_for(writer("C")).get("/correspondence/minutes/new/")
    html = page.content.decode()
    assert f'<option value="{colleague.username}">' in html
    assert '<option value="root">' not in html


def test_minutes_with_a_half_filled_action_are_refused(
    client_for: Any, writer: Callable[..., Any]
) -> None:
    client = client_for(writer("C"))
    response = client.post(
        "/correspondence/minutes/new/",
        {
            "title": "Teamoverleg",
            "meeting_date": clock.today().isoformat(),
            "language": "nl",
            "attendees": "",
            "agenda": "Punt",
            "action_1_description": "Iets doen",
        },
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "Give the action, its owner and its due date." in html
    assert Minutes.objects.count() == 0
    response = client.post(
        "/correspondence/minutes/new/",
        {
            "title": "Teamoverleg",
            "meeting_date": clock.today().isoformat(),
            "language": "nl",
            "attendees": "",
            "agenda": "Punt",
        },
    )
    assert response.status_code == 422
    assert "Give at least one." in response.content.decode()
    assert Minutes.objects.count() == 0


def test_the_letter_page_speaks_the_agents_language(
    client_for: Any, make_agent: Callable[..., Any], service: Any, shipped: int
) -> None:
    agent = make_agent(
        "front_office", level="C", teams=("legalisations",), language="fr"
    )
    person = person_with_address(surname="Dupont", language="de")
    client = client_for(agent)
    letter = _start(client, person, "documents_missing")
    html = client.get(f"/correspondence/letters/{letter.uuid}/").content.decode()
    assert '<html lang="fr">' in html
    assert "Émettre la lettre" in html
    # Free fields go by their label in the agent's language, with a fitting input.
    assert '<label for="edit_free_deadline">Date limite de remise</label>' in html
    assert re.search(r'<input type="date" name="free_deadline"[^>]*>', html)
    assert "Date limite de remise : non rempli" in html
    assert "<code>free.deadline</code>" not in html
    assert "Champ libre" not in html
    assert letter.language == "de"


def test_list_pages_cost_the_same_queries_for_one_letter_or_many(
    client_for: Any, writer: Callable[..., Any], citizen: Any, clerk: Any
) -> None:
    agent = writer("C")
    client = client_for(agent)

    def issue() -> None:
        draft = services.letter_draft_create(
            actor=agent, person_id=citizen.uuid, letter_type="acknowledgement"
        )
        services.letter_submit(
            actor=agent, letter_id=draft.uuid, expected_version=draft.version
        )

    def cost(url: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    issue()
    tab, section = (
        cost(f"/persons/{citizen.uuid}/letters/"),
        cost("/correspondence/"),
    )
    issue()
    issue()
    assert cost(f"/persons/{citizen.uuid}/letters/") == tab
    assert cost("/correspondence/") == section


def test_the_owner_marks_an_action_done_once(
    client_for: Any, writer: Callable[..., Any], supervisor: Any
) -> None:
    meeting = clock.today() - dt.timedelta(days=1)
    minutes = minutes_services.minutes_create(
        actor=writer("C"),
        title="Overleg",
        meeting_date=meeting,
        language="nl",
        attendees=["Hendrik"],
        agenda=["Rooster"],
        actions=[
            minutes_services.ActionInput(
                description="Rooster aanpassen", owner="chief", due_date=meeting
            )
        ],
    )
    item = minutes.actions.get()
    client = client_for(supervisor)
    assert (
        f"/correspondence/actions/{item.uuid}/done/"
        in client.get("/correspondence/").content.decode()
    )
    url = f"/correspondence/actions/{item.uuid}/done/"
    response = client.post(url, {"version": item.version}, follow=True)
    item.refresh_from_db()
    assert (item.status, item.done_by) == ("done", supervisor)
    html = response.content.decode()
    assert "“Rooster aanpassen” is marked as done." in html
    assert "No open action." in html
    stale = client.post(url, {"version": 1}, follow=True)
    assert "Another agent changed this record meanwhile" in stale.content.decode()
    item.refresh_from_db()
    assert item.version == 2


def test_each_type_of_free_field_gets_its_own_input() -> None:
    labels = {"fr": "x", "nl": "x", "de": "x", "en": "Kind of document"}
    specs = [
        fields.FieldSpec("day", fields.FieldType.DATE, labels),
        fields.FieldSpec("hour", fields.FieldType.TIME, labels),
        fields.FieldSpec("fee", fields.FieldType.AMOUNT, labels),
        fields.FieldSpec(
            "kind",
            fields.FieldType.CHOICE,
            labels,
            options=(
                fields.Option(
                    "passport",
                    {
                        "fr": "passeport",
                        "nl": "paspoort",
                        "de": "Pass",
                        "en": "passport",
                    },
                ),
            ),
        ),
        fields.FieldSpec("note", fields.FieldType.TEXT, labels),
    ]
    form = LetterEditForm(free_fields=specs)
    html = {spec.name: str(form[f"free_{spec.name}"]) for spec in specs}
    assert 'type="date"' in html["day"]
    assert 'type="time"' in html["hour"]
    assert 'type="number"' in html["fee"]
    assert 'step="0.01"' in html["fee"]
    assert '<option value="passport">passport</option>' in html["kind"]
    assert html["note"].startswith("<textarea")
    assert form["free_kind"].label == "Kind of document"


def test_a_scan_named_in_another_script_keeps_its_name_on_download(
    client_for: Any, clerk: Any
) -> None:
    # given mail registered with a scan named in Greek letters
    client = client_for(clerk)
    client.post(
        "/correspondence/mail/new/",
        {
            "received_on": clock.today().isoformat(),
            "sender_name": "Νίκος Παπαδόπουλος",
            "subject": "Αίτηση",
            "scan": SimpleUploadedFile("αίτηση.pdf", PDF_SCAN, "application/pdf"),
        },
    )
    mail = IncomingMail.objects.get()
    # when it is downloaded
    scan = client.get(f"/correspondence/mail/{mail.uuid}/scan/")
    # then the header carries the name as RFC 6266 filename*
    assert scan["Content-Disposition"] == (
        "attachment; filename*=utf-8''%CE%B1%CE%AF%CF%84%CE%B7%CF%83%CE%B7.pdf"
    )
