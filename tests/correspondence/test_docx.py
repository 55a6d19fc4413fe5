"""A personalised letter as DOCX: downloaded, edited in Word, uploaded back, archived."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from typing import Any

from django.utils import translation

import docx
import pikepdf
import pytest

from guichet.audit.models import AuditEvent
from guichet.core.errors import ValidationFailed
from guichet.correspondence import archive, docx_io, pdfcheck, selectors, services
from guichet.correspondence.errors import WrongState
from guichet.correspondence.models import Letter

pytestmark = pytest.mark.django_db

EDITED = (
    "Nous avons examiné votre dossier avec attention et le complétons dès réception."
)


def _edit(data: bytes, change: Callable[[Any], None]) -> bytes:
    document = docx.Document(io.BytesIO(data))
    change(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _rewrite_second_paragraph(document: Any) -> None:
    """What an agent does in Word: rewrite a paragraph, touch the fixed parts too."""
    body = [
        paragraph
        for paragraph in document.paragraphs
        if paragraph.style.name not in (docx_io.FIXED, docx_io.SUBJECT)
        and paragraph.text.strip()
    ]
    for run in body[2].runs[1:]:
        run.text = ""
    body[2].runs[0].text = EDITED
    subject = next(p for p in document.paragraphs if p.style.name == docx_io.SUBJECT)
    subject.runs[0].text = "Objet: Votre demande de légalisation"
    fixed = next(p for p in document.paragraphs if p.style.name == docx_io.FIXED)
    fixed.runs[0].text = "Someone Else"


@pytest.fixture
def draft(writer: Callable[..., Any], person: Any, templates: int) -> Any:
    agent = writer("B")
    return agent, services.letter_draft_create(
        actor=agent, person_id=person.uuid, letter_type="acknowledgement"
    )


def test_an_edited_docx_becomes_the_letter_sent_and_is_archived_as_pdfa(
    draft: tuple[Any, Letter],
) -> None:
    agent, letter = draft
    original = selectors.letter_docx(agent=agent, letter_id=letter.uuid)
    assert docx.Document(io.BytesIO(original)).core_properties.identifier == str(
        letter.uuid
    )

    edited = _edit(original, _rewrite_second_paragraph)
    uploaded = services.letter_docx_upload(
        actor=agent, letter_id=letter.uuid, expected_version=1, data=edited
    )

    assert (uploaded.status, uploaded.version) == ("draft", 2)
    assert uploaded.docx_sha256 == archive.digest(edited)
    assert archive.read(uploaded.docx_sha256, "docx") == edited
    assert uploaded.subject_text == "Votre demande de légalisation"
    assert EDITED in (uploaded.body_text or "")
    # The draft's placeholder number went back to a placeholder, not into the text.
    assert "······" not in (uploaded.body_text or "")
    assert "{{ letter.number }}" in (uploaded.body_text or "")
    event = AuditEvent.objects.get(
        action="letter.docx_upload", object_id=str(letter.uuid)
    )
    assert event.summary["docx_sha256"] == uploaded.docx_sha256

    issued = services.letter_submit(
        actor=agent, letter_id=letter.uuid, expected_version=2
    )
    issued.refresh_from_db()
    assert (issued.status, issued.autonomy_kind) == ("issued", "adapted")
    assert issued.content["subject"] == "Votre demande de légalisation"
    assert EDITED in issued.content["body"]
    assert issued.number in issued.content["body"][1]
    # Fixed parts come from the register, not from the document.
    assert issued.content["recipient"][0] == "Madame Hélène Lefèvre"
    data = archive.read(issued.pdf_sha256, "pdf")
    assert pdfcheck.inspect(data).problems == []
    with pikepdf.open(io.BytesIO(data)) as document:
        assert str(document.docinfo["/Title"]) == (
            f"{issued.number} \u2013 Votre demande de légalisation"
        )


def test_a_level_c_agent_s_edited_docx_waits_for_approval(
    writer: Callable[..., Any], person: Any, templates: int
) -> None:
    agent = writer("C")
    letter = services.letter_draft_create(
        actor=agent, person_id=person.uuid, letter_type="acknowledgement"
    )
    edited = _edit(
        selectors.letter_docx(agent=agent, letter_id=letter.uuid),
        _rewrite_second_paragraph,
    )
    services.letter_docx_upload(
        actor=agent, letter_id=letter.uuid, expected_version=1, data=edited
    )
    submitted = services.letter_submit(
        actor=agent, letter_id=letter.uuid, expected_version=2
    )
    assert (submitted.status, submitted.number) == ("pending_approval", None)


def _zip_without_document() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as container:
        container.writestr("hello.txt", "not a Word document")
    return out.getvalue()


@pytest.mark.parametrize(
    ("_case", "data"),
    [
        ("a pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"),
        ("plain text", "Madame, je vous écris.".encode()),
        ("a zip without document", _zip_without_document()),
        ("empty", b""),
    ],
)
def test_a_file_that_is_not_a_docx_is_refused_and_changes_nothing(
    draft: tuple[Any, Letter], _case: str, data: bytes
) -> None:
    agent, letter = draft
    before = AuditEvent.objects.count()
    with translation.override("nl"), pytest.raises(ValidationFailed) as caught:
        services.letter_docx_upload(
            actor=agent, letter_id=letter.uuid, expected_version=1, data=data
        )
    assert [(item.field, item.code) for item in caught.value.errors] == [
        ("file", "invalid_file")
    ]
    with translation.override("nl"):
        assert "Word-document" in str(caught.value.errors[0].text)
    letter.refresh_from_db()
    assert (letter.version, letter.docx_sha256, letter.body_text) == (1, "", None)
    assert AuditEvent.objects.count() == before


def test_a_docx_made_for_another_letter_is_refused(
    draft: tuple[Any, Letter], person: Any
) -> None:
    agent, letter = draft
    other = services.letter_draft_create(
        actor=agent, person_id=person.uuid, letter_type="acknowledgement"
    )
    data = selectors.letter_docx(agent=agent, letter_id=other.uuid)
    with pytest.raises(ValidationFailed) as caught:
        services.letter_docx_upload(
            actor=agent, letter_id=letter.uuid, expected_version=1, data=data
        )
    assert [(item.field, item.code) for item in caught.value.errors] == [
        ("file", "invalid_file")
    ]
    assert str(other.uuid) in str(caught.value.errors[0].text)


def test_an_issued_letter_takes_no_upload(draft: tuple[Any, Letter]) -> None:
    agent, letter = draft
    data = selectors.letter_docx(agent=agent, letter_id=letter.uuid)
    issued = services.letter_submit(
        actor=agent, letter_id=letter.uuid, expected_version=1
    )
    copy = selectors.letter_docx(agent=agent, letter_id=letter.uuid)
    assert issued.number in docx.Document(io.BytesIO(copy)).paragraphs[1].text
    with pytest.raises(WrongState):
        services.letter_docx_upload(
            actor=agent, letter_id=letter.uuid, expected_version=2, data=data
        )
