"""The template editor of the admin: free-field declarations, checked before saving."""

from __future__ import annotations

from typing import Any

from django.test import Client

import pytest
import yaml

from guichet.correspondence.models import LetterTemplate

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(make_agent: Any, templates: int) -> Client:
    client = Client()
    client.force_login(make_agent("admin", level="A2", teams=("support",)))
    return client


def _form(template: LetterTemplate, **changes: str) -> dict[str, str]:
    return {
        "title": template.title,
        "subject": template.subject,
        "body": template.body,
        "declarations": yaml.safe_dump(template.fields, allow_unicode=True),
        "is_active": "on",
        # The read-only inline of the template's versions.
        "versions-TOTAL_FORMS": "0",
        "versions-INITIAL_FORMS": "0",
        **changes,
    }


def test_the_editor_shows_and_saves_the_declarations_as_a_new_version(
    admin_client: Client,
) -> None:
    template = LetterTemplate.objects.get(
        letter_type__code="appointment", language="fr"
    )
    url = f"/admin/correspondence/lettertemplate/{template.pk}/change/"
    page = admin_client.get(url).content.decode()
    assert "Date du rendez-vous" in page
    declarations = dict(template.fields)
    declarations["time"] = {**declarations["time"], "type": "text"}
    saved = admin_client.post(
        url, _form(template, declarations=yaml.safe_dump(declarations))
    )
    assert saved.status_code == 302
    template.refresh_from_db()
    assert template.version == 2
    assert template.versions.get(number=2).fields["time"]["type"] == "text"


@pytest.mark.parametrize(
    ("_case", "declarations", "message"),
    [
        ("not YAML", "date: [", "this is not valid YAML"),
        (
            "a field without declaration",
            "date:\n  type: date\n  label: {fr: a, nl: b, de: c, en: d}\n",
            "declare its type and its label",
        ),
        (
            "a wrong type",
            "date:\n  type: day\n  label: {fr: a, nl: b, de: c, en: d}\n"
            "time:\n  type: time\n  label: {fr: a, nl: b, de: c, en: d}\n",
            "choose its type among",
        ),
    ],
)
def test_a_wrong_declaration_is_refused_and_nothing_is_saved(
    admin_client: Client, _case: str, declarations: str, message: str
) -> None:
    template = LetterTemplate.objects.get(
        letter_type__code="appointment", language="fr"
    )
    url = f"/admin/correspondence/lettertemplate/{template.pk}/change/"
    response = admin_client.post(url, _form(template, declarations=declarations))
    assert response.status_code == 200
    assert message in response.content.decode()
    template.refresh_from_db()
    assert template.version == 1


def test_a_brochure_is_added_checked_and_withdrawn_from_the_admin(
    admin_client: Client,
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from guichet.audit.models import AuditEvent
    from guichet.correspondence.models import Brochure, LetterType
    from tests.documents.factories import PDF

    answer = LetterType.objects.get(code="answer_legalisation_procedure")
    url = "/admin/correspondence/brochure/add/"
    form = {"letter_type": str(answer.pk), "language": "fr", "title": "Guide"}

    wrong = admin_client.post(
        url, {**form, "upload": SimpleUploadedFile("guide.exe", b"MZ\x90\x00")}
    )
    added = admin_client.post(
        url, {**form, "upload": SimpleUploadedFile("guide.pdf", PDF)}
    )

    assert wrong.status_code == 200
    assert "Send a PDF, PNG or JPEG file with letters." in wrong.content.decode()
    assert added.status_code == 302, added.content.decode()[:2000]
    brochure = Brochure.objects.get()
    assert (brochure.filename, brochure.media_type, brochure.size) == (
        "guide.pdf",
        "application/pdf",
        len(PDF),
    )
    withdrawn = admin_client.post(
        f"/admin/correspondence/brochure/{brochure.pk}/change/", {}
    )
    assert withdrawn.status_code == 302
    brochure.refresh_from_db()
    assert not brochure.is_active
    assert list(
        AuditEvent.objects.filter(action__startswith="brochure.").values_list(
            "action", flat=True
        )
    ) == ["brochure.add", "brochure.withdraw"]
