"""A person's documents over HTTP: list, upload, verify, download. Handlers parse,
call one service or selector, and shape the answer; the rules live in
`guichet.documents` (accepted files, dates, which check fits which document)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from django.http import HttpRequest, HttpResponse

from ninja import Field, File, Form, Router, Schema, UploadedFile
from ninja.responses import Status

from guichet.checks.result import rendered
from guichet.core import clock
from guichet.documents import selectors, services
from guichet.documents.expiry import document_expires_before
from guichet.documents.models import Document, DocumentVerification
from guichet.documents.sniffing import EXTENSIONS

from .checks import CheckErrorOut, CheckOut
from .common import IsoDate, actor, responses, set_etag

router = Router(tags=["documents"])


class VerificationOut(Schema):
    id: UUID = Field(alias="uuid")
    kind: str
    valid: bool = Field(
        alias="is_valid", description="The outcome is `verified`: the document passes."
    )
    outcome: str = Field(
        description="verified, not_valid (the value breaks its own rules), "
        "does_not_match (another person's or document's data, or a specimen) or "
        "expired (on `checked_on`)."
    )
    reasons: list[CheckErrorOut] = Field(
        description="Every reason the outcome is not `verified`, with stable codes "
        "(the check's errors, `surname_mismatch`, `given_names_mismatch`, "
        "`birth_date_mismatch`, `sex_mismatch`, `nationality_mismatch`, "
        "`document_number_mismatch`, `expiry_date_mismatch`, "
        "`national_number_mismatch`, `specimen`, `expired`), in the caller's language."
    )
    checked_on: dt.date
    verified_at: dt.datetime
    verified_by: str
    result: CheckOut = Field(
        description="The check's answer, as POST /checks/{kind} gives it, in the "
        "caller's language."
    )

    @staticmethod
    def resolve_verified_by(obj: DocumentVerification) -> str:
        return str(obj.verified_by.get_username())

    @staticmethod
    def resolve_reasons(obj: DocumentVerification) -> list[dict[str, Any]]:
        stored = obj.result
        return [rendered(item) for item in stored.get("reasons", stored["errors"])]

    @staticmethod
    def resolve_result(obj: DocumentVerification) -> dict[str, Any]:
        stored = obj.result
        return {
            **{name: stored[name] for name in ("kind", "valid", "normalized")},
            "errors": [rendered(item) for item in stored["errors"]],
            "warnings": [rendered(item) for item in stored["warnings"]],
            "fields": stored["fields"],
        }


class DocumentOut(Schema):
    id: UUID = Field(alias="uuid")
    version: int
    person_id: UUID
    document_type: str
    document_number: str
    description: str
    dossier_reference: str = Field(
        description="The dossier's reference (DOS-YYYY-NNNNNNN), read from its key; "
        "a reference typed before dossiers existed, as it was typed."
    )
    dossier_item: str = Field(
        description="The required document of the dossier's case type it answers."
    )
    issued_on: dt.date | None
    expires_on: dt.date | None
    content_type: str
    size: int
    sha256: str = Field(alias="content_sha256")
    original_name: str
    created_at: dt.datetime
    verifications: list[VerificationOut]

    @staticmethod
    def resolve_person_id(obj: Document) -> UUID:
        return UUID(str(obj.person.uuid))

    @staticmethod
    def resolve_verifications(obj: Document) -> list[Any]:
        return list(obj.verifications.all())


class PersonDocumentOut(DocumentOut):
    expires_before: bool = Field(
        description="The document expires before `decision_date` (today by default)."
    )


class DocumentIn(Schema):
    document_type: str = Field(
        description="identity_card, passport, residence_permit, visa, bank_document, "
        "payment_document, employer_certificate, civil_status or other."
    )
    document_number: str = ""
    description: str = ""
    dossier_reference: str = Field(
        "",
        description="A dossier of the person that the agent sees (DOS-YYYY-NNNNNNN).",
    )
    dossier_item: str = Field(
        "",
        description="Which required document of the dossier's case type this is.",
    )
    issued_on: IsoDate | None = None
    expires_on: IsoDate | None = None


class VerifyIn(Schema):
    kind: str = Field(description="A check that fits the document's type.")
    value: list[str] = Field(
        description="What the document shows: the zone's lines, or one number.",
        min_length=1,
        max_length=3,
    )
    on: IsoDate | None = None


@router.get(
    "/persons/{person_id}/documents",
    response=responses({200: list[PersonDocumentOut]}, 404),
    summary="A person's documents, newest first, with their verifications",
)
def person_documents(
    request: HttpRequest, person_id: UUID, decision_date: IsoDate | None = None
) -> Any:
    found = selectors.person_documents_for_agent(
        agent=actor(request), person_id=person_id
    )
    on = decision_date or clock.today()
    documents = [seen.obj for seen in found.documents]
    for document in documents:
        # Shown with the document: the flag is the pure rule of `documents.expiry`.
        setattr(document, "expires_before", document_expires_before(document, on))  # noqa: B010 - an attribute the model does not declare
    return documents


@router.post(
    "/persons/{person_id}/documents",
    response=responses({201: DocumentOut}, 403, 404),
    summary="Add a document (multipart: the file and what it is)",
    description=(
        "PDF, JPEG, PNG or TIFF, read from the content (never the name); at most "
        "GUICHET_DOCUMENT_MAX_BYTES. A refused file is a 422 problem naming `file`."
    ),
)
def document_upload(
    request: HttpRequest,
    response: HttpResponse,
    person_id: UUID,
    payload: Form[DocumentIn],
    file: File[UploadedFile],
) -> Any:
    agent = actor(request)
    document = services.document_upload(
        actor=agent,
        person_id=person_id,
        file=file,
        details=services.DocumentDetails(**payload.model_dump()),
    )
    set_etag(response, document.version)
    response["Location"] = f"/api/v1/documents/{document.uuid}"
    return Status(
        201,
        selectors.document_get_for_agent(
            agent=agent, document_id=document.uuid, purpose="api.write"
        ),
    )


@router.get(
    "/documents/{document_id}",
    response=responses({200: DocumentOut}, 404),
    summary="Read a document's record and its verifications",
)
def document_read(
    request: HttpRequest, response: HttpResponse, document_id: UUID
) -> Any:
    document = selectors.document_get_for_agent(
        agent=actor(request), document_id=document_id
    )
    set_etag(response, document.version)
    return document


@router.post(
    "/documents/{document_id}/verifications",
    response=responses({201: VerificationOut}, 403, 404),
    summary="Run a check on what the document shows and keep the result",
)
def document_verify(request: HttpRequest, document_id: UUID, payload: VerifyIn) -> Any:
    verification = services.document_verify(
        actor=actor(request),
        document_id=document_id,
        kind=payload.kind,
        values=payload.value,
        on=payload.on,
    )
    return Status(201, verification)


@router.get(
    "/documents/{document_id}/content",
    response=responses({200: None}, 403, 404),
    summary="Download the stored file (as an attachment, never inline)",
)
def document_content(request: HttpRequest, document_id: UUID) -> HttpResponse:
    content = selectors.document_content_for_agent(
        agent=actor(request), document_id=document_id
    )
    document = content.document
    with content.handle as handle:
        response = HttpResponse(handle.read(), content_type=document.content_type)
    extension = EXTENSIONS.get(document.content_type, "bin")
    response["Content-Disposition"] = (
        f'attachment; filename="document-{document.uuid}.{extension}"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["X-Content-SHA256"] = document.content_sha256
    response["Cache-Control"] = "private, no-store"
    return response
