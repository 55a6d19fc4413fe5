"""The register of specimen signatures and seals over HTTP: officials, specimens
(search, register with the image, withdraw, download the image) and the comparisons
recorded on a document. Handlers parse, call one service or selector and shape the
answer; the rules live in `guichet.documents` (accepted images, validity, who may)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.utils.http import content_disposition_header

from ninja import Field, File, Form, Query, Router, Schema, UploadedFile
from ninja.responses import Status

from guichet.core import clock
from guichet.documents import selectors, services
from guichet.documents.models import SigningOfficial, Specimen, SpecimenComparison

from .common import IsoDate, PageOut, actor, expected_version, responses, set_etag

router = Router(tags=["specimens"])


class OfficialOut(Schema):
    id: UUID = Field(alias="uuid")
    authority_id: UUID
    authority_name: str
    country: str = Field(description="ISO 3166-1 alpha-2 code.")
    name: str
    function: str

    @staticmethod
    def resolve_authority_id(obj: SigningOfficial) -> UUID:
        return UUID(str(obj.authority.uuid))

    @staticmethod
    def resolve_authority_name(obj: SigningOfficial) -> str:
        return obj.authority.name


class OfficialIn(Schema):
    authority_id: UUID = Field(
        description="An organisation of the register (GET /organisations)."
    )
    country: str = Field(description="ISO 3166-1 alpha-2 code: CD, SN, BE...")
    name: str
    function: str


class SpecimenOut(Schema):
    id: UUID = Field(alias="uuid")
    version: int
    official: OfficialOut
    kind: str = Field(description="signature or seal.")
    valid_from: dt.date
    valid_until: dt.date | None = Field(description="Inclusive; null: open-ended.")
    state: str = Field(
        description="On `on` (today by default): valid, not_yet_valid, expired or "
        "withdrawn."
    )
    content_type: str
    size: int
    sha256: str = Field(alias="content_sha256")
    registered_at: dt.datetime = Field(alias="created_at")
    withdrawn_at: dt.datetime | None
    withdrawal_reason: str


class SpecimenPageOut(PageOut):
    on: dt.date
    items: list[SpecimenOut]


class SpecimenIn(Schema):
    official_id: UUID
    kind: str = Field(description="signature or seal.")
    valid_from: IsoDate | None = None
    valid_until: IsoDate | None = Field(
        None, description="Last day of validity, after `valid_from`; empty: open."
    )


class WithdrawIn(Schema):
    reason: str = Field(description="Why the specimen may no longer be used.")


class ComparisonIn(Schema):
    specimen_id: UUID
    outcome: str = Field(description="matches or does_not_match.")
    note: str = ""


class ComparisonOut(Schema):
    id: UUID = Field(alias="uuid")
    document_id: UUID
    specimen_id: UUID
    outcome: str
    note: str
    reference_date: dt.date = Field(
        description="The day the specimen was valid on: the document's issue date, "
        "or the day of the comparison."
    )
    compared_at: dt.datetime
    compared_by: str

    @staticmethod
    def resolve_document_id(obj: SpecimenComparison) -> UUID:
        return UUID(str(obj.document.uuid))

    @staticmethod
    def resolve_specimen_id(obj: SpecimenComparison) -> UUID:
        return UUID(str(obj.specimen.uuid))

    @staticmethod
    def resolve_compared_by(obj: SpecimenComparison) -> str:
        return str(obj.compared_by.get_username())


class SearchIn(Schema):
    q: str = Field("", description="Words of the official's or authority's name.")
    country: str = ""
    authority_id: UUID | None = None
    official_id: UUID | None = None
    valid_on: IsoDate | None = Field(
        None, description="Only the specimens in force on that day."
    )
    include_withdrawn: bool = False
    page: int = Field(1, ge=1, le=10_000)


def _shown(specimen: Specimen, on: dt.date) -> Specimen:
    # The state on `on` is the selector's rule (`specimen_state`).
    setattr(specimen, "state", selectors.specimen_state(specimen, on).value)  # noqa: B010 - an attribute the model does not declare
    return specimen


@router.get(
    "/signing-officials",
    response=responses({200: list[OfficialOut]}),
    summary="The officials of the register of specimens, by name",
)
def official_list(request: HttpRequest, authority_id: UUID | None = None) -> Any:
    return selectors.official_list(agent=actor(request), authority_id=authority_id)


@router.post(
    "/signing-officials",
    response=responses({201: OfficialOut}, 403),
    summary="Add an official whose signature the post legalises",
)
def official_register(request: HttpRequest, payload: OfficialIn) -> Any:
    official = services.signing_official_register(
        actor=actor(request), **payload.model_dump()
    )
    return Status(201, official)


@router.get(
    "/specimens",
    response=responses({200: SpecimenPageOut}),
    summary="Search the register of specimen signatures and seals",
    description="Withdrawn specimens are left out unless `include_withdrawn`; each "
    "carries its state today (expired ones are marked).",
)
def specimen_search(request: HttpRequest, filters: Query[SearchIn]) -> Any:
    found = selectors.specimen_search(
        agent=actor(request),
        query=filters.q,
        country=filters.country,
        authority_id=filters.authority_id,
        official_id=filters.official_id,
        valid_on=filters.valid_on,
        include_withdrawn=filters.include_withdrawn,
        page=filters.page,
    )
    return {
        "page": found.page,
        "page_size": selectors.SPECIMEN_PAGE_SIZE,
        "has_next": found.has_next,
        "on": found.on,
        "items": [_shown(row.specimen, found.on) for row in found.rows],
    }


@router.post(
    "/specimens",
    response=responses({201: SpecimenOut}, 403, 404),
    summary="Register a specimen (multipart: the image and its validity)",
    description="PNG, JPEG or PDF, read from the content (never the name), at most "
    "2 MiB. A refused file is a 422 problem naming `file`.",
)
def specimen_register(
    request: HttpRequest,
    response: HttpResponse,
    payload: Form[SpecimenIn],
    file: File[UploadedFile],
) -> Any:
    agent = actor(request)
    specimen = services.specimen_register(
        actor=agent, file=file, **payload.model_dump()
    )
    set_etag(response, specimen.version)
    response["Location"] = f"/api/v1/specimens/{specimen.uuid}"
    seen = selectors.specimen_get_for_agent(agent=agent, specimen_id=specimen.uuid)
    return Status(201, _shown(seen.obj, clock.today()))


@router.get(
    "/specimens/{specimen_id}",
    response=responses({200: SpecimenOut}, 404),
    summary="Read a specimen",
)
def specimen_read(
    request: HttpRequest, response: HttpResponse, specimen_id: UUID
) -> Any:
    specimen = selectors.specimen_get_for_agent(
        agent=actor(request), specimen_id=specimen_id
    ).obj
    set_etag(response, specimen.version)
    return _shown(specimen, clock.today())


@router.post(
    "/specimens/{specimen_id}/withdrawal",
    response=responses({200: SpecimenOut}, 403, 404, 412, 428),
    summary="Withdraw a specimen, with the reason (If-Match required)",
)
def specimen_withdraw(
    request: HttpRequest, response: HttpResponse, specimen_id: UUID, payload: WithdrawIn
) -> Any:
    version = expected_version(request)
    agent = actor(request)
    specimen = services.specimen_withdraw(
        actor=agent,
        specimen_id=specimen_id,
        expected_version=version,
        reason=payload.reason,
    )
    set_etag(response, specimen.version)
    seen = selectors.specimen_get_for_agent(agent=agent, specimen_id=specimen.uuid)
    return _shown(seen.obj, clock.today())


@router.get(
    "/specimens/{specimen_id}/image",
    response=responses({200: None}, 404),
    summary="Download the specimen's image (as an attachment)",
)
def specimen_image(request: HttpRequest, specimen_id: UUID) -> HttpResponse:
    image = selectors.specimen_image_for_agent(
        agent=actor(request), specimen_id=specimen_id
    )
    specimen = image.specimen
    with image.handle as handle:
        response = HttpResponse(handle.read(), content_type=specimen.content_type)
    response["Content-Disposition"] = (
        content_disposition_header(
            as_attachment=True, filename=selectors.specimen_filename(specimen)
        )
        or "attachment"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["X-Content-SHA256"] = specimen.content_sha256
    response["Cache-Control"] = "private, no-store"
    return response


@router.get(
    "/documents/{document_id}/specimen-comparisons",
    response=responses({200: list[ComparisonOut]}, 404),
    summary="The comparisons of a document with specimens, newest first",
)
def document_comparisons(request: HttpRequest, document_id: UUID) -> Any:
    return selectors.document_comparisons_for_agent(
        agent=actor(request), document_id=document_id
    ).comparisons


@router.post(
    "/documents/{document_id}/specimen-comparisons",
    response=responses({201: ComparisonOut}, 403, 404),
    summary="Record which specimen a document's signature or seal was compared "
    "with, and the outcome",
)
def document_comparison_record(
    request: HttpRequest, document_id: UUID, payload: ComparisonIn
) -> Any:
    comparison = services.specimen_comparison_record(
        actor=actor(request),
        document_id=document_id,
        specimen_id=payload.specimen_id,
        outcome=payload.outcome,
        note=payload.note,
    )
    return Status(201, comparison)
