"""Writing, approving and issuing letters: validation, holes, approval, versions,
audit, the timeline."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils import translation

import pytest

from guichet.audit.models import AuditEvent
from guichet.core.errors import Forbidden, NotFound, StaleVersion, ValidationFailed
from guichet.correspondence import composing, selectors, services
from guichet.correspondence.errors import WrongState
from guichet.correspondence.models import Letter, LetterReference, LetterTemplate
from guichet.parties.models import PostalAddress
from tests.correspondence.factories import person_with_address
from tests.factories import PersonFactory, TeamFactory

pytestmark = pytest.mark.django_db


def _changes() -> int:
    return AuditEvent.objects.filter(chain="changes").count()


def _fields(error: ValidationFailed) -> dict[str, str]:
    return {item.field: item.code for item in error.errors}


def test_issues_a_standard_letter_with_its_number_and_frozen_content(
    writer: Callable[..., Any], person: Any, templates: int
) -> None:
    agent = writer("D", first_name="Amélie", last_name="Lambert")
    draft = services.letter_draft_create(
        actor=agent, person_id=person.uuid, letter_type="acknowledgement"
    )
    assert (draft.status, draft.language, draft.number) == ("draft", "fr", None)
    letter = services.letter_submit(
        actor=agent, letter_id=draft.uuid, expected_version=draft.version
    )
    assert letter.status == "issued"
    assert (letter.number, letter.year, letter.sequence) == (
        f"LEG/{letter.year}/000001",
        letter.issued_at.year,
        1,
    )
    content = letter.content
    assert content["recipient"] == [
        "Madame Hélène Lefèvre",
        "Rue Haute 12 bte 3",
        "1000 Bruxelles",
    ]
    assert content["number"] == letter.number
    assert content["body"][0] == "Madame,"
    assert letter.number in content["body"][1]
    assert content["signature"] == ["Amélie Lambert", "Légalisations"]
    assert content["template"] == "acknowledgement/fr/v1"
    assert content["place_date"].startswith("Bruxelles, le ")
    letter.refresh_from_db()
    assert letter.pdf_sha256  # archived by the task (immediate backend in tests)
    submit = AuditEvent.objects.get(action="letter.submit", object_id=str(letter.uuid))
    assert submit.summary["outcome"] == "issued"
    assert submit.summary["level"] == "D"
    archived = AuditEvent.objects.get(
        action="letter.archive", object_id=str(letter.uuid)
    )
    assert archived.summary["sha256"] == letter.pdf_sha256


def test_the_letter_is_written_in_the_persons_language_by_default(
    writer: Callable[..., Any], templates: int
) -> None:
    agent = writer("C")
    for language, opening in [
        ("nl", "Geachte mevrouw Peeters,"),
        ("de", "Sehr geehrte Frau Peeters,"),
        ("en", "Dear Ms Peeters,"),
    ]:
        someone = person_with_address(surname="Peeters", sex="F", language=language)
        draft = services.letter_draft_create(
            actor=agent, person_id=someone.uuid, letter_type="acknowledgement"
        )
        letter = services.letter_submit(
            actor=agent, letter_id=draft.uuid, expected_version=draft.version
        )
        assert letter.content["language"] == language
        assert letter.content["body"][0] == opening


def test_a_missing_value_refuses_the_letter_and_lists_every_hole(
    writer: Callable[..., Any], templates: int
) -> None:
    agent = writer("C")
    homeless = PersonFactory(surname="Sansadresse", language="fr")
    draft = services.letter_draft_create(
        actor=agent,
        person_id=homeless.uuid,
        letter_type="documents_missing",
        free_values={"documents": "Un passeport"},
    )
    before = (_changes(), Letter.objects.filter(number__isnull=False).count())
    with translation.override("fr"), pytest.raises(ValidationFailed) as caught:
        services.letter_submit(
            actor=agent, letter_id=draft.uuid, expected_version=draft.version
        )
    error = caught.value
    assert error.code == "missing_value"
    assert [item.field for item in error.errors] == ["person.address", "free.deadline"]
    with translation.override("fr"):
        assert "n'ont pas de valeur" in error.text
        assert "person.address, free.deadline" in error.text
    assert (_changes(), Letter.objects.filter(number__isnull=False).count()) == before
    draft.refresh_from_db()
    assert (draft.status, draft.version) == ("draft", 1)


def test_bad_input_names_each_field_and_writes_nothing(
    writer: Callable[..., Any], person: Any, templates: int
) -> None:
    agent = writer("B")
    before = (_changes(), Letter.objects.count())
    with translation.override("nl"), pytest.raises(ValidationFailed) as caught:
        services.letter_draft_create(
            actor=agent,
            person_id=person.uuid,
            letter_type="appointment",
            language="de",
            free_values={"date": "3 mars", "colour": "bleu"},
            is_flagged=True,
            body="{{ person.surname }} {% load x %} {{ dossier.number }}",
        )
    fields = _fields(caught.value)
    assert fields == {
        "body": "unknown_placeholder",
        "free_values.date": "invalid_value",
        "free_values.colour": "unknown_free_field",
        "flag_reason": "required",
    }
    with translation.override("nl"):
        messages = [item.text for item in caught.value.errors if item.field == "body"]
    assert messages == [
        "Regel 1: {% is hier niet toegelaten; schrijf een invulveld als {{ person.surname }}.",
        "Regel 1: %} is hier niet toegelaten; schrijf een invulveld als {{ person.surname }}.",
        "Regel 1: geen enkele gegevensbron levert dossier.number.",
    ]
    assert (_changes(), Letter.objects.count()) == before


def test_unknown_types_and_languages_are_named(
    writer: Callable[..., Any], person: Any, templates: int
) -> None:
    agent = writer("C")
    with pytest.raises(ValidationFailed) as caught:
        services.letter_draft_create(
            actor=agent, person_id=person.uuid, letter_type="nope"
        )
    assert _fields(caught.value) == {"letter_type": "unknown_letter_type"}
    LetterTemplate.objects.filter(
        letter_type__code="appointment", language="de"
    ).update(is_active=False)
    with pytest.raises(ValidationFailed) as caught:
        services.letter_draft_create(
            actor=agent, person_id=person.uuid, letter_type="appointment", language="de"
        )
    assert _fields(caught.value) == {"language": "no_template_in_language"}
    assert "en, fr, nl" in caught.value.errors[0].text


def test_a_service_without_letterhead_cannot_write(
    make_agent: Callable[..., Any], person: Any, templates: int
) -> None:
    agent = make_agent("front_office", level="B", teams=("visas",))
    with pytest.raises(ValidationFailed) as caught:
        services.letter_draft_create(
            actor=agent, person_id=person.uuid, letter_type="information"
        )
    assert _fields(caught.value) == {"team": "no_letterhead"}


def test_an_agent_of_several_services_says_which(
    make_agent: Callable[..., Any], service: Any, person: Any, templates: int
) -> None:
    agent = make_agent("front_office", level="C", teams=("legalisations", "visas"))
    with pytest.raises(ValidationFailed) as caught:
        services.letter_draft_create(
            actor=agent, person_id=person.uuid, letter_type="acknowledgement"
        )
    assert _fields(caught.value) == {"team": "required"}
    with pytest.raises(ValidationFailed) as caught:
        services.letter_draft_create(
            actor=agent,
            person_id=person.uuid,
            letter_type="acknowledgement",
            team="payments",
        )
    assert _fields(caught.value) == {"team": "not_your_team"}
    letter = services.letter_draft_create(
        actor=agent,
        person_id=person.uuid,
        letter_type="acknowledgement",
        team="legalisations",
    )
    assert letter.team.code == "legalisations"


def test_a_confidential_person_is_missing_for_other_services(
    writer: Callable[..., Any], templates: int
) -> None:
    hidden = person_with_address(confidential_team=TeamFactory(code="visas"))
    with pytest.raises(NotFound):
        services.letter_draft_create(
            actor=writer("B"), person_id=hidden.uuid, letter_type="acknowledgement"
        )


def test_approval_by_a_supervisor_issues_with_name_time_and_edits_on_record(
    writer: Callable[..., Any], supervisor: Any, person: Any, templates: int
) -> None:
    agent = writer("C")
    draft = services.letter_draft_create(
        actor=agent,
        person_id=person.uuid,
        letter_type="acknowledgement",
        is_flagged=True,
        flag_reason="Plainte d'un avocat.",
    )
    waiting = services.letter_submit(
        actor=agent, letter_id=draft.uuid, expected_version=1
    )
    assert waiting.status == "pending_approval"
    assert [
        letter.uuid for letter in selectors.letters_waiting_approval(agent=supervisor)
    ] == [waiting.uuid]
    approved = services.letter_approve(
        actor=supervisor,
        letter_id=waiting.uuid,
        expected_version=waiting.version,
        body="{{ person.salutation }}\n\nNous avons bien reçu le courrier de votre avocat.",
        note="Texte revu.",
    )
    assert approved.status == "issued"
    assert approved.decided_by == supervisor
    assert approved.decided_at is not None
    assert approved.decision_reason == "Texte revu."
    assert approved.content["body"] == [
        "Madame,",
        "Nous avons bien reçu le courrier de votre avocat.",
    ]
    event = AuditEvent.objects.get(action="letter.approve")
    assert event.actor_id == supervisor.pk
    assert event.reason == "Texte revu."
    assert "body_text" in event.summary["edits"]
    assert selectors.letters_waiting_approval(agent=supervisor) == []


def test_rejection_needs_a_reason_and_sends_the_letter_back(
    writer: Callable[..., Any], supervisor: Any, person: Any, templates: int
) -> None:
    agent = writer("D")
    draft = services.letter_draft_create(
        actor=agent,
        person_id=person.uuid,
        letter_type="information",
        free_values={"information": "Votre dossier est complet."},
    )
    waiting = services.letter_submit(
        actor=agent, letter_id=draft.uuid, expected_version=1
    )
    with pytest.raises(ValidationFailed) as caught:
        services.letter_reject(
            actor=supervisor,
            letter_id=waiting.uuid,
            expected_version=waiting.version,
            reason=" ",
        )
    assert _fields(caught.value) == {"reason": "required"}
    rejected = services.letter_reject(
        actor=supervisor,
        letter_id=waiting.uuid,
        expected_version=waiting.version,
        reason="Préciser le délai.",
    )
    assert (rejected.status, rejected.decision_reason, rejected.decided_by) == (
        "rejected",
        "Préciser le délai.",
        supervisor,
    )
    with pytest.raises(WrongState):
        services.letter_submit(
            actor=agent, letter_id=waiting.uuid, expected_version=rejected.version
        )
    revised = services.letter_update(
        actor=agent,
        letter_id=waiting.uuid,
        expected_version=rejected.version,
        data={
            "free_values": {
                "information": "Votre dossier est complet depuis le 3 mars."
            }
        },
    )
    assert revised.status == "draft"


def test_nobody_approves_their_own_letter(
    make_agent: Callable[..., Any], service: Any, person: Any, templates: int
) -> None:
    chief = make_agent("supervisor", level="A2", teams=("legalisations",))
    draft = services.letter_draft_create(
        actor=chief,
        person_id=person.uuid,
        subject="Une affaire",
        body="Un texte libre.",
    )
    waiting = services.letter_submit(
        actor=chief, letter_id=draft.uuid, expected_version=1
    )
    assert waiting.status == "pending_approval"
    for decide in (services.letter_approve, services.letter_reject):
        with pytest.raises(Forbidden) as caught:
            decide(
                actor=chief,
                letter_id=waiting.uuid,
                expected_version=waiting.version,
                reason="x",
            ) if decide is services.letter_reject else decide(
                actor=chief, letter_id=waiting.uuid, expected_version=waiting.version
            )
        assert caught.value.code == "own_letter"
    waiting.refresh_from_db()
    assert waiting.status == "pending_approval"


@pytest.mark.parametrize(
    ("_case", "role", "level", "team"),
    [
        ("agent, not supervisor", "front_office", "A2", "legalisations"),
        ("supervisor of another service", "supervisor", "A2", "visas"),
    ],
)
def test_only_the_services_supervisors_approve(
    _case: str,
    role: str,
    level: str,
    team: str,
    writer: Callable[..., Any],
    make_agent: Callable[..., Any],
    person: Any,
    templates: int,
) -> None:
    agent = writer("C")
    draft = services.letter_draft_create(
        actor=agent, person_id=person.uuid, subject="Objet", body="Texte."
    )
    waiting = services.letter_submit(
        actor=agent, letter_id=draft.uuid, expected_version=1
    )
    other = make_agent(role, level=level, teams=(team,), username="other")
    expected = Forbidden if team == "legalisations" else NotFound
    with pytest.raises(expected):
        services.letter_approve(
            actor=other, letter_id=waiting.uuid, expected_version=waiting.version
        )
    waiting.refresh_from_db()
    assert (waiting.status, waiting.number) == ("pending_approval", None)


def test_a_stale_version_is_refused_and_changes_nothing(
    writer: Callable[..., Any], supervisor: Any, person: Any, templates: int
) -> None:
    agent = writer("C")
    draft = services.letter_draft_create(
        actor=agent, person_id=person.uuid, letter_type="information"
    )
    services.letter_update(
        actor=agent,
        letter_id=draft.uuid,
        expected_version=1,
        data={"free_values": {"information": "A"}},
    )
    with pytest.raises(StaleVersion) as caught:
        services.letter_update(
            actor=agent,
            letter_id=draft.uuid,
            expected_version=1,
            data={"free_values": {"information": "B"}},
        )
    assert caught.value.extra == {"current_version": 2}
    with pytest.raises(StaleVersion):
        services.letter_submit(actor=agent, letter_id=draft.uuid, expected_version=1)
    draft.refresh_from_db()
    assert (draft.free_values, draft.status, draft.number) == (
        {"information": "A"},
        "draft",
        None,
    )


def test_an_edit_that_says_the_same_thing_is_not_an_adaptation(
    writer: Callable[..., Any], person: Any, templates: int
) -> None:
    agent = writer("D")
    draft = services.letter_draft_create(
        actor=agent, person_id=person.uuid, letter_type="acknowledgement"
    )
    preview = composing.compose(draft, draft=True).content
    same_text = "\n\n".join(preview["body"]).replace(" votre ", "  votre ")
    # The draft shows a provisional number; the agent's copy repeats the placeholder.
    same_text = same_text.replace(preview["number"], "{{ letter.number }}")
    edited = services.letter_update(
        actor=agent, letter_id=draft.uuid, expected_version=1, data={"body": same_text}
    )
    letter = services.letter_submit(
        actor=agent, letter_id=draft.uuid, expected_version=edited.version
    )
    assert (letter.status, letter.autonomy_kind) == ("issued", "standard")


def test_cancelling_keeps_issued_letters_in_the_register(
    writer: Callable[..., Any], person: Any, templates: int
) -> None:
    agent = writer("C")
    draft = services.letter_draft_create(
        actor=agent, person_id=person.uuid, letter_type="acknowledgement"
    )
    issued = services.letter_submit(
        actor=agent, letter_id=draft.uuid, expected_version=1
    )
    with pytest.raises(WrongState):
        services.letter_cancel(
            actor=agent, letter_id=issued.uuid, expected_version=issued.version
        )
    other = services.letter_draft_create(
        actor=agent, person_id=person.uuid, letter_type="acknowledgement"
    )
    cancelled = services.letter_cancel(
        actor=agent, letter_id=other.uuid, expected_version=1, reason="Doublon."
    )
    assert (cancelled.status, cancelled.number) == ("cancelled", None)


def test_the_timeline_lists_a_persons_letters_and_logs_the_read(
    writer: Callable[..., Any],
    make_agent: Callable[..., Any],
    person: Any,
    templates: int,
) -> None:
    agent = writer("C")
    draft = services.letter_draft_create(
        actor=agent,
        person_id=person.uuid,
        letter_type="acknowledgement",
        references={"dossier": "D-2026-17"},
    )
    issued = services.letter_submit(
        actor=agent, letter_id=draft.uuid, expected_version=1
    )
    pending_draft = services.letter_draft_create(
        actor=agent, person_id=person.uuid, letter_type="information"
    )
    assert [
        letter.uuid
        for letter in selectors.letters_for_person(agent=agent, person_id=person.uuid)
    ] == [
        pending_draft.uuid,
        issued.uuid,
    ]
    # Another service sees the issued letter, not the other service's draft.
    first_line = make_agent("first_line", level="C", teams=("cc-fr",), username="cc")
    assert [
        letter.uuid
        for letter in selectors.letters_for_person(
            agent=first_line, person_id=person.uuid
        )
    ] == [issued.uuid]
    read = AuditEvent.objects.filter(chain="access", action="letter.timeline").last()
    assert read is not None
    assert read.summary["letters"] == [str(issued.uuid)]
    assert LetterReference.objects.get().object_id == "D-2026-17"
    assert [
        letter.uuid
        for letter in selectors.letters_for_reference(
            agent=agent, kind="dossier", object_id="D-2026-17"
        )
    ] == [issued.uuid]


def test_the_preview_shows_the_holes_before_submission(
    writer: Callable[..., Any], templates: int
) -> None:
    agent = writer("C")
    someone = person_with_address()
    PostalAddress.objects.filter(person=someone).delete()
    draft = services.letter_draft_create(
        actor=agent, person_id=someone.uuid, letter_type="appointment"
    )
    with pytest.raises(ValidationFailed) as caught:
        selectors.letter_preview(agent=agent, letter_id=draft.uuid)
    assert [item.field for item in caught.value.errors] == [
        "person.address",
        "free.date",
        "free.time",
    ]


# Typed free fields.


def test_an_impossible_date_or_time_is_refused_naming_the_field(
    writer: Callable[..., Any], person: Any, templates: int
) -> None:
    # given an agent writing an invitation to an appointment
    agent = writer("C")
    before = (_changes(), Letter.objects.count())
    # when the date and the time cannot exist
    with pytest.raises(ValidationFailed) as caught:
        services.letter_draft_create(
            actor=agent,
            person_id=person.uuid,
            letter_type="appointment",
            free_values={"date": "31/02/2027", "time": "25:99"},
        )
    # then each is refused, named by its label in the reader's language
    assert _fields(caught.value) == {
        "free_values.date": "invalid_value",
        "free_values.time": "invalid_value",
    }
    with translation.override("fr"):
        messages = [item.text for item in caught.value.errors]
    assert messages[0].startswith(
        "Date du rendez-vous : 31/02/2027 n'est pas une date."
    )
    assert messages[1].startswith("Heure du rendez-vous : 25:99 n'est pas une heure")
    assert (_changes(), Letter.objects.count()) == before


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("fr", "le 31 mars 2027 à 14 h 30"),
        ("nl", "op 31 maart 2027 om 14.30 uur"),
        ("de", "am 31. März 2027 um 14:30 Uhr"),
        ("en", "on 31 March 2027 at 14:30"),
    ],
)
def test_a_date_and_a_time_are_printed_in_the_letters_language(
    writer: Callable[..., Any],
    person: Any,
    templates: int,
    language: str,
    sentence: str,
) -> None:
    agent = writer("C")
    draft = services.letter_draft_create(
        actor=agent,
        person_id=person.uuid,
        letter_type="appointment",
        language=language,
        free_values={"date": "31/03/2027", "time": "14h30"},
    )
    assert draft.free_values == {"date": "2027-03-31", "time": "14:30"}
    letter = services.letter_submit(
        actor=agent, letter_id=draft.uuid, expected_version=draft.version
    )
    assert sentence in " ".join(letter.content["body"])


def test_a_draft_whose_stored_value_does_not_fit_is_not_issued(
    writer: Callable[..., Any], person: Any, templates: int
) -> None:
    # given a draft kept from before its fields were typed, with an impossible date
    agent = writer("C")
    draft = services.letter_draft_create(
        actor=agent,
        person_id=person.uuid,
        letter_type="appointment",
        free_values={"date": "2027-03-31", "time": "10:00"},
    )
    Letter.objects.filter(pk=draft.pk).update(
        free_values={"date": "31/02/2027", "time": "10:00"}
    )
    # then it is neither previewed nor issued, and the field is named
    with pytest.raises(ValidationFailed) as caught:
        selectors.letter_preview(agent=agent, letter_id=draft.uuid)
    assert (caught.value.code, _fields(caught.value)) == (
        "invalid_value",
        {"free_values.date": "invalid_value"},
    )
    with pytest.raises(ValidationFailed):
        services.letter_submit(
            actor=agent, letter_id=draft.uuid, expected_version=draft.version
        )
    draft.refresh_from_db()
    assert (draft.status, draft.number) == ("draft", None)


def test_every_shipped_free_field_is_declared_in_four_languages(
    templates: int,
) -> None:
    for template in LetterTemplate.objects.select_related("letter_type"):
        version = template.versions.get(number=template.version)
        assert set(version.fields) == set(version.free_fields), template
        for declaration in version.fields.values():
            assert set(declaration["label"]) == {"fr", "nl", "de", "en"}
    appointment = LetterTemplate.objects.get(
        letter_type__code="appointment", language="nl"
    )
    assert {name: item["type"] for name, item in appointment.fields.items()} == {
        "date": "date",
        "time": "time",
    }


def test_a_template_must_declare_each_free_field_it_uses(db: Any) -> None:
    letter_type = services.letter_type_ensure(actor=None, code="fee", name="Fee")
    with pytest.raises(ValidationFailed) as caught:
        services.template_save(
            actor=None,
            letter_type=letter_type,
            language="fr",
            title="Redevance",
            subject="Redevance",
            body="Montant : {{ free.amount }}.",
            fields={
                "other": {
                    "type": "text",
                    "label": {"fr": "a", "nl": "b", "de": "c", "en": "d"},
                }
            },
        )
    assert _fields(caught.value) == {
        "fields.amount": "invalid_declaration",
        "fields.other": "invalid_declaration",
    }
    assert not LetterTemplate.objects.filter(letter_type=letter_type).exists()
    saved = services.template_save(
        actor=None,
        letter_type=letter_type,
        language="fr",
        title="Redevance",
        subject="Redevance",
        body="Montant : {{ free.amount }}.",
        fields={
            "amount": {
                "type": "amount",
                "label": {
                    "fr": "Montant",
                    "nl": "Bedrag",
                    "de": "Betrag",
                    "en": "Amount",
                },
            }
        },
    )
    assert saved.versions.get().fields["amount"]["type"] == "amount"
