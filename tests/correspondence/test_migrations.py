"""Data migrations of correspondence, each run from the state before it."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.migrations import migrate_to

BEFORE_FIELDS = ("correspondence", "0002_incomingmail_add_dispatched_dossier")
FIELDS_DECLARED = ("correspondence", "0004_lettertemplate_declare_fields")


@pytest.mark.usefixtures("scratch_database")
def test_existing_templates_get_declarations_and_drafts_typed_values() -> None:
    # given, before free fields had types: a shipped invitation, an
    # administrator's own template, and drafts with values typed by hand
    apps = migrate_to(BEFORE_FIELDS)
    team = apps.get_model("agents", "Team").objects.create(
        uuid=uuid.uuid4(), code="legalisations", name="Legalisations"
    )
    agent = apps.get_model("agents", "Agent").objects.create(
        uuid=uuid.uuid4(), username="writer", password="!"
    )
    person = apps.get_model("parties", "Person").objects.create(
        uuid=uuid.uuid4(), given_names="Hélène", surname="Lefèvre", sex="F"
    )
    LetterType = apps.get_model("correspondence", "LetterType")
    template_model = apps.get_model("correspondence", "LetterTemplate")
    version_model = apps.get_model("correspondence", "LetterTemplateVersion")
    Letter = apps.get_model("correspondence", "Letter")

    def template(code: str, body: str, free: list[str]) -> Any:
        kind = LetterType.objects.create(uuid=uuid.uuid4(), code=code, name=code)
        row = template_model.objects.create(
            uuid=uuid.uuid4(),
            letter_type=kind,
            language="fr",
            title=code,
            subject=code,
            body=body,
        )
        return version_model.objects.create(
            uuid=uuid.uuid4(),
            template=row,
            number=1,
            title=code,
            subject=code,
            body=body,
            free_fields=free,
        )

    invitation = template(
        "appointment", "Le {{ free.date }} à {{ free.time }}.", ["date", "time"]
    )
    own = template("colours", "Couleur : {{ free.colour }}.", ["colour"])

    def draft(version: Any, values: dict[str, str], status: str = "draft") -> Any:
        return Letter.objects.create(
            uuid=uuid.uuid4(),
            team=team,
            author=agent,
            person=person,
            language="fr",
            template_version=version,
            free_values=values,
            status=status,
        )

    readable = draft(invitation, {"date": "31/03/2027", "time": "14h30"})
    impossible = draft(
        invitation, {"date": "31/02/2027", "time": "9:05"}, "pending_approval"
    )
    colour = draft(own, {"colour": "31/03/2027"})

    # when the migrations run
    apps = migrate_to(FIELDS_DECLARED)

    # then every version and template declares its free fields
    version_model = apps.get_model("correspondence", "LetterTemplateVersion")
    template_model = apps.get_model("correspondence", "LetterTemplate")
    Letter = apps.get_model("correspondence", "Letter")
    declared = version_model.objects.get(pk=invitation.pk).fields
    assert {name: item["type"] for name, item in declared.items()} == {
        "date": "date",
        "time": "time",
    }
    assert declared["date"]["label"]["nl"] == "Datum van de afspraak"
    assert version_model.objects.get(pk=own.pk).fields == {
        "colour": {
            "type": "text",
            "label": {
                "fr": "colour",
                "nl": "colour",
                "de": "colour",
                "en": "colour",
            },
        }
    }
    assert template_model.objects.get(pk=invitation.template_id).fields == declared
    # and the drafts' values read as dates and times are kept in that form,
    # the others as they were (the letter page names them to correct)
    assert Letter.objects.get(pk=readable.pk).free_values == {
        "date": "2027-03-31",
        "time": "14:30",
    }
    assert Letter.objects.get(pk=impossible.pk).free_values == {
        "date": "31/02/2027",
        "time": "09:05",
    }
    assert Letter.objects.get(pk=colour.pk).free_values == {"colour": "31/03/2027"}


BEFORE_FRAMES = ("correspondence", "0007_lettertype_standard_answers")
FRAMES_MARKED = ("correspondence", "0008_request_reply_is_a_frame")


@pytest.mark.usefixtures("scratch_database")
def test_the_request_reply_becomes_a_frame_and_other_types_stay_standard() -> None:
    # given the shipped reply to a request and another letter type
    apps = migrate_to(BEFORE_FRAMES)
    LetterType = apps.get_model("correspondence", "LetterType")
    for code in ("request_reply", "acknowledgement"):
        LetterType.objects.create(uuid=uuid.uuid4(), code=code, name=code)
    # when the data migration runs
    apps = migrate_to(FRAMES_MARKED)
    LetterType = apps.get_model("correspondence", "LetterType")
    # then only the reply's frame is no standard text
    assert dict(LetterType.objects.values_list("code", "is_standard")) == {
        "acknowledgement": True,
        "request_reply": False,
    }
