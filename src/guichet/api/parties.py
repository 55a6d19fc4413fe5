"""Persons and organisations over HTTP. Handlers parse, call one service or
selector, and shape the answer; the rules live in `guichet.parties`."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal
from uuid import UUID

from django.http import HttpRequest, HttpResponse

from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from guichet.parties import selectors, services
from guichet.parties.models import Organisation, Person, PostalAddress

from .common import IsoDate, PageOut, actor, expected_version, responses, set_etag

router = Router(tags=["parties"])

SexCode = Literal["M", "F", "X", "U"]
LanguageCode = Literal["fr", "nl", "de", "en"]


class PhoneIn(Schema):
    number: str = Field(
        description="Belgian numbers may be national (0470 12 34 56); others need +country."
    )
    kind: Literal["mobile", "fixed", "fax", "other"] = "other"
    label: str = ""
    is_primary: bool = False


class EmailIn(Schema):
    address: str
    label: str = ""
    is_primary: bool = False


class AddressIn(Schema):
    country: str = Field("BE", description="ISO 3166 two-letter code.")
    street: str = ""
    house_number: str = ""
    box: str = ""
    postal_code: str = ""
    municipality: str
    lines: str = Field("", description="Foreign addresses: the lines above the town.")
    kind: Literal["residence", "postal", "work"] = "residence"
    label: str = ""
    is_primary: bool = False


class PhoneOut(Schema):
    id: UUID = Field(alias="uuid")
    number: str = Field(alias="e164")
    kind: str
    label: str
    is_primary: bool


class EmailOut(Schema):
    id: UUID = Field(alias="uuid")
    address: str
    label: str
    is_primary: bool


class AddressOut(Schema):
    id: UUID = Field(alias="uuid")
    kind: str
    country: str
    street: str
    house_number: str
    box: str
    postal_code: str
    municipality: str
    lines: str
    label: str
    is_primary: bool
    formatted: list[str]

    @staticmethod
    def resolve_formatted(obj: PostalAddress) -> list[str]:
        return obj.formatted_lines()


class LinkOut(Schema):
    organisation_id: UUID
    organisation_name: str
    kind: str
    since: dt.date | None
    until: dt.date | None

    @staticmethod
    def resolve_organisation_id(obj: Any) -> UUID:
        return UUID(str(obj.organisation.uuid))

    @staticmethod
    def resolve_organisation_name(obj: Any) -> str:
        return str(obj.organisation.name)


class PersonCreateIn(Schema):
    given_names: str
    surname: str
    birth_date: IsoDate | None = None
    sex: SexCode = "U"
    national_number: str | None = Field(
        None, description="National register or BIS number, with or without separators."
    )
    language: LanguageCode = "fr"
    phones: list[PhoneIn] = []
    emails: list[EmailIn] = []
    addresses: list[AddressIn] = []
    acknowledge_duplicates: bool = Field(
        False,
        description="Register even though a person with a similar name and the same birth date exists.",
    )
    contradiction_override: str = Field(
        "",
        description="Only when the birth date or sex really differs from what the "
        "national number says: the reason to save it anyway (recorded in the audit "
        "trail). Without it, such a contradiction is a 422 problem "
        "(`birth_date_mismatch`, `sex_mismatch`).",
        max_length=500,
    )


class PersonPatchIn(Schema):
    given_names: str | None = None
    surname: str | None = None
    birth_date: IsoDate | None = None
    sex: SexCode | None = None
    national_number: str | None = None
    language: LanguageCode | None = None
    reason: str = ""
    contradiction_override: str = Field(
        "",
        description="Only when the birth date or sex really differs from what the "
        "national number says: the reason to save it anyway (recorded in the audit "
        "trail). Without it, such a contradiction is a 422 problem "
        "(`birth_date_mismatch`, `sex_mismatch`).",
        max_length=500,
    )


class PersonSummaryOut(Schema):
    id: UUID = Field(alias="uuid")
    version: int
    given_names: str
    surname: str
    birth_date: dt.date | None
    sex: str
    national_number: str | None
    language: str


class PersonOut(PersonSummaryOut):
    national_number_type: str
    confidential: bool
    phones: list[PhoneOut]
    emails: list[EmailOut]
    addresses: list[AddressOut]
    links: list[LinkOut]
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_confidential(obj: Person) -> bool:
        return obj.confidential_team_id is not None

    @staticmethod
    def resolve_phones(obj: Person) -> list[Any]:
        return list(obj.phones.all())

    @staticmethod
    def resolve_emails(obj: Person) -> list[Any]:
        return list(obj.emails.all())

    @staticmethod
    def resolve_addresses(obj: Person) -> list[Any]:
        return list(obj.addresses.all())

    @staticmethod
    def resolve_links(obj: Person) -> list[Any]:
        return list(obj.links.all())


class PersonPageOut(PageOut):
    items: list[PersonSummaryOut]


class PersonSearchIn(Schema):
    national_number: str | None = None
    name: str | None = Field(
        None, description="Accents, case, word order and a typo do not matter."
    )
    email: str | None = None
    phone: str | None = None
    page: int = Field(1, ge=1, le=1000)
    page_size: int = Field(20, ge=1, le=100)


class LinkIn(Schema):
    organisation_id: UUID
    kind: Literal["representative", "employer", "contact"]
    since: IsoDate | None = None
    until: IsoDate | None = None


def _phone(item: PhoneIn) -> services.PhoneInput:
    return services.PhoneInput(**item.model_dump())


def _email(item: EmailIn) -> services.EmailInput:
    return services.EmailInput(**item.model_dump())


def _address(item: AddressIn) -> services.AddressInput:
    return services.AddressInput(**item.model_dump())


def _reloaded(request: HttpRequest, person: Person) -> Person:
    """The person with contact points, as the agent may see them (a read, logged)."""
    return selectors.person_get_for_agent(
        agent=actor(request), person_id=person.uuid, purpose="api.write"
    ).obj


@router.get(
    "/persons", response=responses({200: PersonPageOut}, 403), summary="Search persons"
)
def person_search(request: HttpRequest, filters: Query[PersonSearchIn]) -> Any:
    return selectors.person_search(agent=actor(request), **filters.model_dump())


@router.post(
    "/persons",
    response=responses({201: PersonOut}, 403, 409),
    summary="Register a person",
)
def person_create(
    request: HttpRequest, response: HttpResponse, payload: PersonCreateIn
) -> Any:
    data = payload.model_dump(
        exclude={
            "phones",
            "emails",
            "addresses",
            "acknowledge_duplicates",
            "contradiction_override",
        }
    )
    person = services.person_create(
        actor=actor(request),
        identity=services.Identity(**data),
        phones=[_phone(item) for item in payload.phones],
        emails=[_email(item) for item in payload.emails],
        addresses=[_address(item) for item in payload.addresses],
        acknowledge_duplicates=payload.acknowledge_duplicates,
        contradiction_override=payload.contradiction_override,
    )
    set_etag(response, person.version)
    response["Location"] = f"{request.path.rstrip('/')}/{person.uuid}"
    # The person as written, not read back: the agent may see what they just
    # registered, and the `person.create` change already records all of it.
    return Status(201, person)


@router.get(
    "/persons/{person_id}",
    response=responses({200: PersonOut}, 404, 409),
    summary="Read a person",
    description=(
        "A person merged into another one (a duplicate record) answers 409 "
        "`person_merged`, with `merged_into`: the id of the person kept."
    ),
)
def person_read(request: HttpRequest, response: HttpResponse, person_id: UUID) -> Any:
    person = selectors.person_get_for_agent(
        agent=actor(request), person_id=person_id
    ).obj
    set_etag(response, person.version)
    return person


@router.patch(
    "/persons/{person_id}",
    response=responses({200: PersonOut}, 403, 404, 412, 428),
    summary="Change a person (If-Match required)",
)
def person_update(
    request: HttpRequest,
    response: HttpResponse,
    person_id: UUID,
    payload: PersonPatchIn,
) -> Any:
    version = expected_version(request)
    data = payload.model_dump(
        exclude_unset=True, exclude={"reason", "contradiction_override"}
    )
    person = services.person_update(
        actor=actor(request),
        person_id=person_id,
        expected_version=version,
        data=data,
        reason=payload.reason,
        contradiction_override=payload.contradiction_override,
    )
    set_etag(response, person.version)
    return _reloaded(request, person)


def _contact_add(
    request: HttpRequest, response: HttpResponse, person_id: UUID, **kind: Any
) -> Any:
    services.person_contact_add(
        actor=actor(request),
        person_id=person_id,
        expected_version=expected_version(request),
        **kind,
    )
    person = selectors.person_get_for_agent(
        agent=actor(request), person_id=person_id, purpose="api.write"
    ).obj
    set_etag(response, person.version)
    return Status(201, person)


_CONTACT_RESPONSES = responses({201: PersonOut}, 403, 404, 412, 428)


@router.post(
    "/persons/{person_id}/phones",
    response=_CONTACT_RESPONSES,
    summary="Add a phone number",
)
def person_phone_add(
    request: HttpRequest, response: HttpResponse, person_id: UUID, payload: PhoneIn
) -> Any:
    return _contact_add(request, response, person_id, phone=_phone(payload))


@router.post(
    "/persons/{person_id}/emails",
    response=_CONTACT_RESPONSES,
    summary="Add an e-mail address",
)
def person_email_add(
    request: HttpRequest, response: HttpResponse, person_id: UUID, payload: EmailIn
) -> Any:
    return _contact_add(request, response, person_id, email=_email(payload))


@router.post(
    "/persons/{person_id}/addresses",
    response=_CONTACT_RESPONSES,
    summary="Add a postal address",
)
def person_address_add(
    request: HttpRequest, response: HttpResponse, person_id: UUID, payload: AddressIn
) -> Any:
    return _contact_add(request, response, person_id, address=_address(payload))


@router.put(
    "/persons/{person_id}/addresses/{address_id}",
    response=responses({200: PersonOut}, 403, 404, 412, 428),
    summary="Replace a postal address (If-Match required)",
)
def person_address_update(
    request: HttpRequest,
    response: HttpResponse,
    person_id: UUID,
    address_id: UUID,
    payload: AddressIn,
) -> Any:
    services.person_address_update(
        actor=actor(request),
        person_id=person_id,
        address_id=address_id,
        expected_version=expected_version(request),
        address=_address(payload),
    )
    person = selectors.person_get_for_agent(
        agent=actor(request), person_id=person_id, purpose="api.write"
    ).obj
    set_etag(response, person.version)
    return person


@router.delete(
    "/persons/{person_id}/contact-points/{contact_point_id}",
    response=responses({200: PersonOut}, 403, 404, 412, 428),
    summary="Remove a phone, e-mail or postal address",
)
def person_contact_remove(
    request: HttpRequest,
    response: HttpResponse,
    person_id: UUID,
    contact_point_id: UUID,
) -> Any:
    person = services.person_contact_remove(
        actor=actor(request),
        person_id=person_id,
        expected_version=expected_version(request),
        contact_point_id=contact_point_id,
    )
    set_etag(response, person.version)
    return _reloaded(request, person)


@router.post(
    "/persons/{person_id}/links",
    response=responses({201: PersonOut}, 403, 404),
    summary="Link a person to an organisation",
)
def person_link_add(
    request: HttpRequest, response: HttpResponse, person_id: UUID, payload: LinkIn
) -> Any:
    services.party_link_create(
        actor=actor(request), person_id=person_id, **payload.model_dump()
    )
    person = selectors.person_get_for_agent(
        agent=actor(request), person_id=person_id, purpose="api.write"
    ).obj
    set_etag(response, person.version)
    return Status(201, person)


class OrganisationIn(Schema):
    name: str
    enterprise_number: str | None = Field(
        None, description="BCE/KBO number, with or without BE and dots."
    )
    language: LanguageCode = "fr"
    phones: list[PhoneIn] = []
    emails: list[EmailIn] = []
    addresses: list[AddressIn] = []


class OrganisationPatchIn(Schema):
    name: str | None = None
    enterprise_number: str | None = None
    language: LanguageCode | None = None


class OrganisationOut(Schema):
    id: UUID = Field(alias="uuid")
    version: int
    name: str
    enterprise_number: str | None
    language: str
    phones: list[PhoneOut] = []
    emails: list[EmailOut] = []
    addresses: list[AddressOut] = []

    @staticmethod
    def resolve_phones(obj: Organisation) -> list[Any]:
        return list(obj.phones.all())

    @staticmethod
    def resolve_emails(obj: Organisation) -> list[Any]:
        return list(obj.emails.all())

    @staticmethod
    def resolve_addresses(obj: Organisation) -> list[Any]:
        return list(obj.addresses.all())


class OrganisationPageOut(PageOut):
    items: list[OrganisationOut]


class OrganisationSearchIn(Schema):
    enterprise_number: str | None = None
    name: str | None = None
    page: int = Field(1, ge=1, le=1000)
    page_size: int = Field(20, ge=1, le=100)


@router.get(
    "/organisations",
    response=responses({200: OrganisationPageOut}, 403),
    summary="Search organisations",
)
def organisation_search(
    request: HttpRequest, filters: Query[OrganisationSearchIn]
) -> Any:
    return selectors.organisation_search(agent=actor(request), **filters.model_dump())


@router.post(
    "/organisations",
    response=responses({201: OrganisationOut}, 403),
    summary="Register an organisation",
)
def organisation_create(
    request: HttpRequest, response: HttpResponse, payload: OrganisationIn
) -> Any:
    organisation = services.organisation_create(
        actor=actor(request),
        name=payload.name,
        enterprise_number=payload.enterprise_number,
        language=payload.language,
        phones=[_phone(item) for item in payload.phones],
        emails=[_email(item) for item in payload.emails],
        addresses=[_address(item) for item in payload.addresses],
    )
    set_etag(response, organisation.version)
    created = selectors.organisation_get_for_agent(
        agent=actor(request), organisation_id=organisation.uuid
    )
    return Status(201, created)


@router.get(
    "/organisations/{organisation_id}",
    response=responses({200: OrganisationOut}, 404),
    summary="Read an organisation",
)
def organisation_read(
    request: HttpRequest, response: HttpResponse, organisation_id: UUID
) -> Any:
    organisation = selectors.organisation_get_for_agent(
        agent=actor(request), organisation_id=organisation_id
    )
    set_etag(response, organisation.version)
    return organisation


@router.patch(
    "/organisations/{organisation_id}",
    response=responses({200: OrganisationOut}, 403, 404, 412, 428),
    summary="Change an organisation (If-Match required)",
)
def organisation_update(
    request: HttpRequest,
    response: HttpResponse,
    organisation_id: UUID,
    payload: OrganisationPatchIn,
) -> Any:
    organisation = services.organisation_update(
        actor=actor(request),
        organisation_id=organisation_id,
        expected_version=expected_version(request),
        data=payload.model_dump(exclude_unset=True),
    )
    set_etag(response, organisation.version)
    return selectors.organisation_get_for_agent(
        agent=actor(request), organisation_id=organisation.uuid
    )
