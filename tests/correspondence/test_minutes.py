"""Fillable PDF forms (the minutes moved to tests/agenda/minutes/)."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pikepdf
import pytest

from guichet.audit.models import AuditEvent
from guichet.core.errors import ValidationFailed
from guichet.correspondence import pdfcheck, selectors

pytestmark = pytest.mark.django_db

FORM_FIELDS = [
    "person_surname",
    "person_given_names",
    "person_birth_date",
    "person_national_number",
    "person_address",
    "person_email",
    "person_phone",
    "document",
    "issuer",
    "country",
    "copies",
    "urgent",
    "remarks",
    "signed_on",
    "signature",
]


def _fields(data: bytes) -> dict[str, Any]:
    with pikepdf.open(io.BytesIO(data)) as document:
        return {
            str(field.T): (str(field.FT), str(field.get("/V", "")))
            for field in document.Root.AcroForm.Fields
        }


def test_a_form_prefilled_for_a_person_is_a_fillable_pdfa(
    writer: Callable[..., Any], person: Any, templates: int
) -> None:
    agent = writer("C")

    rendered = selectors.form_render(
        agent=agent,
        form="legalisation_request",
        language="fr",
        person_id=person.uuid,
    )

    report = pdfcheck.inspect(rendered.data)
    assert report.problems == []
    assert report.fields == FORM_FIELDS
    assert not report.need_appearances
    fields = _fields(rendered.data)
    assert fields["person_surname"] == ("/Tx", "Lefèvre")
    assert fields["person_given_names"] == ("/Tx", "Hélène")
    assert fields["person_email"] == ("/Tx", "helene.lefevre@example.be")
    assert fields["document"] == ("/Tx", "")
    assert fields["urgent"] == ("/Btn", "/Off")
    read = AuditEvent.objects.filter(chain="access", action="person.view").last()
    assert read is not None
    assert read.object_id == str(person.uuid)


def test_a_blank_form_has_empty_fields_in_each_language(
    writer: Callable[..., Any], templates: int
) -> None:
    agent = writer("C")
    for language in ("fr", "nl", "de", "en"):
        rendered = selectors.form_render(
            agent=agent, form="legalisation_request", language=language
        )
        report = pdfcheck.inspect(rendered.data)
        assert report.problems == [], language
        assert report.language == language
        assert report.fields == FORM_FIELDS
        assert {value for _kind, value in _fields(rendered.data).values()} <= {
            "",
            "/Off",
        }


def test_an_unknown_form_is_named(writer: Callable[..., Any], templates: int) -> None:
    with pytest.raises(ValidationFailed) as caught:
        selectors.form_render(agent=writer("C"), form="acknowledgement", language="fr")
    assert [(item.field, item.code) for item in caught.value.errors] == [
        ("letter_type", "unknown_letter_type")
    ]
