"""Letters: drafting, approval, dispatch, print batches and forms."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal
from uuid import UUID

from django.http import HttpRequest, HttpResponse

from ninja import Field, File, Query, Schema, UploadedFile
from ninja.responses import Status

from guichet.api.common import actor, expected_version, responses, set_etag
from guichet.correspondence import selectors, services
from guichet.correspondence.models import (
    Letter,
    LetterDispatch,
)

from .common import AgentRef, LanguageCode, _file, _pdf_name, router


class ReferenceOut(Schema):
    kind: str
    object_id: str


class DispatchOut(Schema):
    id: UUID = Field(alias="uuid")
    channel: str
    status: str
    address: str
    sent_at: dt.datetime | None
    requested_by: AgentRef
    print_batch_id: UUID | None = None

    @staticmethod
    def resolve_print_batch_id(obj: LetterDispatch) -> UUID | None:
        return obj.print_batch.uuid if obj.print_batch is not None else None


class LetterSummaryOut(Schema):
    id: UUID = Field(alias="uuid")
    version: int
    status: str
    number: str | None
    person_id: UUID
    team: str
    language: str
    letter_type: str | None
    subject: str
    is_flagged: bool
    autonomy_kind: str
    author: AgentRef
    created_at: dt.datetime
    issued_at: dt.datetime | None
    sent_at: dt.datetime | None
    channel: str

    @staticmethod
    def resolve_person_id(obj: Letter) -> UUID:
        return UUID(str(obj.person.uuid))

    @staticmethod
    def resolve_team(obj: Letter) -> str:
        return str(obj.team.code)

    @staticmethod
    def resolve_letter_type(obj: Letter) -> str | None:
        version = obj.template_version
        return str(version.template.letter_type.code) if version else None

    @staticmethod
    def resolve_subject(obj: Letter) -> str:
        if obj.content:
            return str(obj.content["subject"])
        if obj.subject_text is not None:
            return obj.subject_text
        return obj.template_version.subject if obj.template_version else ""


class LetterOut(LetterSummaryOut):
    template_version: int | None
    subject_text: str | None
    body_text: str | None
    free_values: dict[str, str]
    flag_reason: str
    submitted_by: AgentRef | None
    submitted_at: dt.datetime | None
    decided_by: AgentRef | None
    decided_at: dt.datetime | None
    decision_reason: str
    archived: bool
    pdf_sha256: str
    docx_sha256: str
    content: dict[str, Any]
    references: list[ReferenceOut]
    dispatches: list[DispatchOut]

    @staticmethod
    def resolve_template_version(obj: Letter) -> int | None:
        return obj.template_version.number if obj.template_version else None

    @staticmethod
    def resolve_archived(obj: Letter) -> bool:
        return bool(obj.pdf_sha256)

    @staticmethod
    def resolve_references(obj: Letter) -> list[Any]:
        return list(obj.references.all())

    @staticmethod
    def resolve_dispatches(obj: Letter) -> list[Any]:
        return list(obj.dispatches.select_related("requested_by", "print_batch"))


class LetterCreateIn(Schema):
    person_id: UUID
    letter_type: str | None = Field(
        None,
        description="Code of a letter type; none for a letter written from scratch.",
    )
    language: LanguageCode | None = Field(
        None, description="Default: the person's language."
    )
    team: str | None = Field(
        None, description="The service writing; needed if you work in several."
    )
    subject: str | None = Field(
        None, description="Your own subject; default: the template's."
    )
    body: str | None = Field(
        None, description="Your own text; default: the template's."
    )
    free_values: dict[str, str] = {}
    is_flagged: bool = Field(
        False, description="Out of the ordinary: a supervisor approves it."
    )
    flag_reason: str = ""
    references: dict[str, str] = Field(
        {},
        description="Objects of other apps the letter is about, such as {'dossier': '<id>'}.",
    )


class LetterPatchIn(Schema):
    subject: str | None = Field(
        None, description="null: back to the template's subject."
    )
    body: str | None = Field(None, description="null: back to the template's text.")
    free_values: dict[str, str] | None = None
    is_flagged: bool | None = None
    flag_reason: str | None = None


class ApproveIn(Schema):
    subject: str | None = None
    body: str | None = None
    note: str = ""


class ReasonIn(Schema):
    reason: str


class CancelIn(Schema):
    reason: str = ""


class LetterEmailIn(Schema):
    address: str | None = Field(
        None,
        description="Default: the person's preferred e-mail address. Another "
        "address than the person's needs level B and `address_reason`.",
    )
    address_reason: str = Field(
        "", description="Why the letter goes to an address the person did not give."
    )
    resend_reason: str = Field(
        "",
        description="Why the letter goes once more, when it was already sent or is "
        "being sent (required then).",
    )


class HandOverIn(Schema):
    resend_reason: str = Field(
        "",
        description="Why the letter is handed over once more, when it was already "
        "sent or is being sent (required then).",
    )


class PrintBatchIn(Schema):
    team: str | None = None
    letter_ids: list[UUID] | None = Field(
        None,
        description="Default: every issued letter of the service that no dispatch "
        "has sent or is sending.",
    )
    resend_reason: str = Field(
        "",
        description="Why named letters already sent, or being sent, are printed "
        "once more (required then).",
    )


class PrintBatchOut(Schema):
    id: UUID = Field(alias="uuid")
    team: str
    letter_count: int
    pdf_sha256: str
    created_at: dt.datetime

    @staticmethod
    def resolve_team(obj: Any) -> str:
        return str(obj.team.code)


class FreeFieldOut(Schema):
    type: Literal["date", "time", "amount", "text", "choice"]
    label: dict[str, str] = Field(description="The label in fr, nl, de and en.")
    options: dict[str, dict[str, str]] = Field(
        {}, description="A choice's options: key -> label in fr, nl, de and en."
    )


class LetterTypeOut(Schema):
    code: str
    name: str
    kind: str
    description: str
    languages: list[str]
    free_fields: list[str]
    fields: dict[str, FreeFieldOut] = Field(
        description="Each free field's type and labels. Give a date as 2027-03-31, "
        "a time as 14:30, an amount as 1234.50, a choice as its option's key."
    )
    titles: dict[str, str]


def _letter(request: HttpRequest, response: HttpResponse, letter: Letter) -> Letter:
    read = selectors.letter_get_for_agent(
        agent=actor(request), letter_id=letter.uuid, purpose="api.write"
    ).obj
    set_etag(response, read.version)
    return read


@router.get(
    "/letter-types",
    response=responses({200: list[LetterTypeOut]}, 403),
    summary="Letter types and their templates",
)
def letter_types(
    request: HttpRequest, kind: Literal["letter", "form"] = "letter"
) -> Any:
    return selectors.letter_types_available(agent=actor(request), kind=kind)


@router.post(
    "/letters",
    response=responses({201: LetterOut}, 403, 404),
    summary="Start a letter (a draft)",
)
def letter_create(
    request: HttpRequest, response: HttpResponse, payload: LetterCreateIn
) -> Any:
    letter = services.letter_draft_create(actor=actor(request), **payload.model_dump())
    response["Location"] = f"{request.path.rstrip('/')}/{letter.uuid}"
    return Status(201, _letter(request, response, letter))


@router.get(
    "/letters/{letter_id}",
    response=responses({200: LetterOut}, 404),
    summary="Read a letter",
)
def letter_read(request: HttpRequest, response: HttpResponse, letter_id: UUID) -> Any:
    letter = selectors.letter_get_for_agent(
        agent=actor(request), letter_id=letter_id
    ).obj
    set_etag(response, letter.version)
    return letter


@router.patch(
    "/letters/{letter_id}",
    response=responses({200: LetterOut}, 403, 404, 409, 412, 428),
    summary="Change a draft (If-Match required)",
)
def letter_update(
    request: HttpRequest,
    response: HttpResponse,
    letter_id: UUID,
    payload: LetterPatchIn,
) -> Any:
    letter = services.letter_update(
        actor=actor(request),
        letter_id=letter_id,
        expected_version=expected_version(request),
        data=payload.model_dump(exclude_unset=True),
    )
    return _letter(request, response, letter)


@router.post(
    "/letters/{letter_id}/docx",
    response=responses({200: LetterOut}, 403, 404, 409, 412, 428),
    summary="Upload the edited DOCX: its text becomes the letter's (If-Match required)",
)
def letter_docx_upload(
    request: HttpRequest,
    response: HttpResponse,
    letter_id: UUID,
    file: File[UploadedFile],
) -> Any:
    letter = services.letter_docx_upload(
        actor=actor(request),
        letter_id=letter_id,
        expected_version=expected_version(request),
        data=file.read(),
    )
    return _letter(request, response, letter)


@router.get(
    "/letters/{letter_id}/docx",
    response=responses({200: None}, 403, 404),
    summary="The letter as an editable DOCX",
)
def letter_docx(request: HttpRequest, letter_id: UUID) -> HttpResponse:
    data = selectors.letter_docx(agent=actor(request), letter_id=letter_id)
    return _file(
        data,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        f"letter-{letter_id}.docx",
    )


@router.get(
    "/letters/{letter_id}/preview",
    response=responses({200: None}, 403, 404, 409),
    summary="Preview a draft as PDF (marked DRAFT, not stored)",
)
def letter_preview(request: HttpRequest, letter_id: UUID) -> HttpResponse:
    rendered = selectors.letter_preview(agent=actor(request), letter_id=letter_id)
    return _file(rendered.data, "application/pdf", f"draft-{letter_id}.pdf")


@router.get(
    "/letters/{letter_id}/pdf",
    response=responses({200: None}, 404, 409),
    summary="The issued letter's archived PDF/A",
)
def letter_pdf(request: HttpRequest, letter_id: UUID) -> HttpResponse:
    letter, data = services.letter_pdf_deliver(
        actor=actor(request), letter_id=letter_id
    )
    response = _file(data, "application/pdf", _pdf_name(letter.number, str(letter_id)))
    response["X-Content-SHA256"] = letter.pdf_sha256
    return response


@router.post(
    "/letters/{letter_id}/submit",
    response=responses({200: LetterOut}, 403, 404, 409, 412, 428),
    summary="Send the letter on: issued, or queued for a supervisor's approval",
)
def letter_submit(request: HttpRequest, response: HttpResponse, letter_id: UUID) -> Any:
    letter = services.letter_submit(
        actor=actor(request),
        letter_id=letter_id,
        expected_version=expected_version(request),
    )
    return _letter(request, response, letter)


@router.post(
    "/letters/{letter_id}/approve",
    response=responses({200: LetterOut}, 403, 404, 409, 412, 428),
    summary="Approve a waiting letter, with or without edits (supervisors)",
)
def letter_approve(
    request: HttpRequest, response: HttpResponse, letter_id: UUID, payload: ApproveIn
) -> Any:
    letter = services.letter_approve(
        actor=actor(request),
        letter_id=letter_id,
        expected_version=expected_version(request),
        **payload.model_dump(),
    )
    return _letter(request, response, letter)


@router.post(
    "/letters/{letter_id}/reject",
    response=responses({200: LetterOut}, 403, 404, 409, 412, 428),
    summary="Send a waiting letter back, saying why (supervisors)",
)
def letter_reject(
    request: HttpRequest, response: HttpResponse, letter_id: UUID, payload: ReasonIn
) -> Any:
    letter = services.letter_reject(
        actor=actor(request),
        letter_id=letter_id,
        expected_version=expected_version(request),
        reason=payload.reason,
    )
    return _letter(request, response, letter)


@router.post(
    "/letters/{letter_id}/cancel",
    response=responses({200: LetterOut}, 403, 404, 409, 412, 428),
    summary="Drop a letter that has no number yet",
)
def letter_cancel(
    request: HttpRequest, response: HttpResponse, letter_id: UUID, payload: CancelIn
) -> Any:
    letter = services.letter_cancel(
        actor=actor(request),
        letter_id=letter_id,
        expected_version=expected_version(request),
        reason=payload.reason,
    )
    return _letter(request, response, letter)


@router.post(
    "/letters/{letter_id}/email",
    response=responses({202: DispatchOut}, 403, 404, 409),
    summary="Send the letter by e-mail, its PDF/A attached",
)
def letter_email(request: HttpRequest, letter_id: UUID, payload: LetterEmailIn) -> Any:
    dispatch = services.letter_send_email(
        actor=actor(request), letter_id=letter_id, **payload.model_dump()
    )
    dispatch.refresh_from_db()
    return Status(202, dispatch)


@router.post(
    "/letters/{letter_id}/hand-over",
    response=responses({201: DispatchOut}, 403, 404, 409),
    summary="Record that the letter was handed over at the counter",
)
def letter_hand_over(
    request: HttpRequest, letter_id: UUID, payload: HandOverIn | None = None
) -> Any:
    return Status(
        201,
        services.letter_hand_over(
            actor=actor(request),
            letter_id=letter_id,
            resend_reason=payload.resend_reason if payload else "",
        ),
    )


@router.get(
    "/approvals",
    response=responses({200: list[LetterSummaryOut]}, 403),
    summary="Letters waiting for approval",
)
def approvals(request: HttpRequest) -> Any:
    return selectors.letters_waiting_approval(agent=actor(request))


@router.get(
    "/persons/{person_id}/letters",
    response=responses({200: list[LetterSummaryOut]}, 404),
    summary="A person's letters (timeline)",
)
def person_letters(request: HttpRequest, person_id: UUID) -> Any:
    return selectors.letters_for_person(agent=actor(request), person_id=person_id)


@router.get(
    "/letters-to-post",
    response=responses({200: list[LetterSummaryOut]}, 403),
    summary="Issued letters not sent yet",
)
def letters_to_post(request: HttpRequest, team: str | None = None) -> Any:
    return selectors.letters_to_post(agent=actor(request), team=team)


@router.post(
    "/print-batches",
    response=responses({201: PrintBatchOut}, 403, 409),
    summary="Print letters in one PDF, with a list",
)
def print_batch_create(request: HttpRequest, payload: PrintBatchIn) -> Any:
    batch = services.print_batch_create(actor=actor(request), **payload.model_dump())
    return Status(201, batch)


@router.get(
    "/print-batches/{batch_id}/pdf",
    response=responses({200: None}, 403, 404),
    summary="A print batch's PDF",
)
def print_batch_pdf(request: HttpRequest, batch_id: UUID) -> HttpResponse:
    batch, data = selectors.print_batch_pdf(agent=actor(request), batch_id=batch_id)
    return _file(data, "application/pdf", f"print-{batch.uuid}.pdf")


class FormQuery(Schema):
    language: LanguageCode
    person_id: UUID | None = Field(
        None, description="Prefill the form with this person's data."
    )
    team: str | None = None


@router.get(
    "/forms/{form}",
    response=responses({200: None}, 403, 404),
    summary="A fillable PDF form",
)
def form_render(
    request: HttpRequest, form: str, query: Query[FormQuery]
) -> HttpResponse:
    rendered = selectors.form_render(
        agent=actor(request), form=form, **query.model_dump()
    )
    return _file(rendered.data, "application/pdf", f"{form}-{query.language}.pdf")
