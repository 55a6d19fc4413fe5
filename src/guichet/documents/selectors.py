"""Reads of documents: always for an agent, always through the policy.

Missing and forbidden look the same (`NotFound`). Every read of a person's documents
(the list, one document, its content) is written to the access log.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import IO, Any, TypeVar

from django.db.models import Model, Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from guichet.access import policy
from guichet.access.domains.documents import Action
from guichet.access.policy import Seen
from guichet.agents.models import Agent
from guichet.audit.services import access_record
from guichet.checks.kinds import run_check
from guichet.checks.result import CheckResult
from guichet.core import clock
from guichet.core.errors import Forbidden, NotFound
from guichet.core.text import fold
from guichet.core.validation import parse_uuid
from guichet.parties.models import Person

from . import storage
from .models import (
    Document,
    DocumentVerification,
    SigningOfficial,
    Specimen,
    SpecimenComparison,
)
from .sniffing import EXTENSIONS

M = TypeVar("M", bound=Model)


def check_run(
    *, agent: Agent, kind: str, values: Sequence[str], on: dt.date | None = None
) -> CheckResult:
    """Run an identifier or zone check for an agent who may (`check.run`).

    The check reads no citizen record and stores nothing, so nothing is logged; an
    unknown kind raises `UnknownCheck` (404, code `unknown_check`).
    """
    if not policy.may(agent, Action.CHECK_RUN):
        raise Forbidden(_("You may not do this."), code="forbidden")
    return run_check(kind, values, on=on)


def person_visible(*, agent: Agent, person_id: Any) -> Person:
    """The person, if the agent may see them (the documents' owner)."""
    key = parse_uuid(person_id)
    person = (
        policy.visible(agent, Person.objects.all()).filter(uuid=key).first()
        if key
        else None
    )
    if person is None:
        raise NotFound(_("No such person."))
    return person


def documents_visible(*, agent: Agent) -> QuerySet[Document]:
    return policy.visible(agent, Document.objects.select_related("dossier"))


def _with_verifications(queryset: QuerySet[Document]) -> QuerySet[Document]:
    return queryset.select_related("person", "uploaded_by").prefetch_related(
        Prefetch(
            "verifications",
            queryset=DocumentVerification.objects.select_related("verified_by"),
        )
    )


@dataclass(frozen=True)
class PersonDocuments:
    """A person's documents, each with the actions the agent may take on it."""

    person: Person
    documents: list[Seen[Document]]


def person_documents_for_agent(*, agent: Agent, person_id: Any) -> PersonDocuments:
    """A person and their documents, newest first, each with its verifications;
    logged. The person comes with their confidential team, for the page header."""
    key = parse_uuid(person_id)
    person = (
        policy.visible(agent, Person.objects.select_related("confidential_team"))
        .filter(uuid=key)
        .first()
        if key
        else None
    )
    if person is None:
        raise NotFound(_("No such person."))
    documents = list(
        _with_verifications(documents_visible(agent=agent).filter(person=person))
    )
    access_record(
        actor=agent,
        action="document.list",
        obj=person,
        objects=documents,
    )
    return PersonDocuments(
        person=person,
        documents=[policy.seen(agent, document) for document in documents],
    )


def document_list_for_person(*, agent: Agent, person_id: Any) -> list[Document]:
    """A person's documents, newest first, each with its verifications; logged."""
    found = person_documents_for_agent(agent=agent, person_id=person_id)
    return [seen.obj for seen in found.documents]


def document_get_for_agent(
    *, agent: Agent, document_id: Any, purpose: str = "view"
) -> Document:
    """One document with its verifications, if the agent may see it; logged."""
    key = parse_uuid(document_id)
    document = (
        _with_verifications(documents_visible(agent=agent)).filter(uuid=key).first()
        if key
        else None
    )
    if document is None:
        raise NotFound(_("No such document."))
    access_record(
        actor=agent, action="document.view", obj=document, context={"purpose": purpose}
    )
    return document


@dataclass(frozen=True)
class Content:
    document: Document
    handle: IO[bytes]


def document_content_for_agent(*, agent: Agent, document_id: Any) -> Content:
    """The stored bytes of a document, for an agent who may open it; logged."""
    key = parse_uuid(document_id)
    document = (
        documents_visible(agent=agent).select_related("person").filter(uuid=key).first()
        if key
        else None
    )
    if document is None:
        raise NotFound(_("No such document."))
    if not policy.may(agent, Action.DOCUMENT_DOWNLOAD, document):
        raise Forbidden(_("You may not do this."), code="forbidden")
    access_record(actor=agent, action="document.download", obj=document)
    return Content(
        document=document, handle=storage.open_content(document.content_sha256)
    )


# The register of specimen signatures and seals (issue #14, item 5). It holds no
# citizen data: reads are filtered by the policy (`specimen.view`) but not logged.


class SpecimenState(StrEnum):
    """Where a specimen stands on a given day."""

    VALID = "valid"
    NOT_YET_VALID = "not_yet_valid"
    EXPIRED = "expired"
    WITHDRAWN = "withdrawn"


def specimen_state(specimen: Specimen, on: dt.date) -> SpecimenState:
    if specimen.is_withdrawn:
        return SpecimenState.WITHDRAWN
    if on < specimen.valid_from:
        return SpecimenState.NOT_YET_VALID
    if specimen.valid_until is not None and on > specimen.valid_until:
        return SpecimenState.EXPIRED
    return SpecimenState.VALID


def officials_visible(*, agent: Agent) -> QuerySet[SigningOfficial]:
    return policy.visible(agent, SigningOfficial.objects.all())


def specimens_visible(*, agent: Agent) -> QuerySet[Specimen]:
    return policy.visible(agent, Specimen.objects.all())


def _with_uuid(queryset: QuerySet[M], path: str, value: Any) -> QuerySet[M]:
    """Rows whose uuid at `path` is `value`; a malformed id finds nothing."""
    key = parse_uuid(value)
    return queryset.filter(**{path: key}) if key else queryset.none()


def _valid_on_q(on: dt.date) -> Q:
    return Q(withdrawn_at__isnull=True, valid_from__lte=on) & (
        Q(valid_until__isnull=True) | Q(valid_until__gte=on)
    )


def specimens_valid_on(
    *,
    agent: Agent,
    on: dt.date,
    authority_id: Any = None,
    official_id: Any = None,
) -> QuerySet[Specimen]:
    """The specimens in force on `on` (not withdrawn), of one authority or one
    official when given: what a document signed that day is compared with. The
    dossiers app offers these when it records a comparison."""
    queryset = specimens_visible(agent=agent).filter(_valid_on_q(on))
    if authority_id is not None:
        queryset = _with_uuid(queryset, "official__authority__uuid", authority_id)
    if official_id is not None:
        queryset = _with_uuid(queryset, "official__uuid", official_id)
    return queryset.select_related("official", "official__authority")


@dataclass(frozen=True)
class SpecimenRow:
    """A specimen as the register lists it, with its state on the day asked."""

    specimen: Specimen
    state: SpecimenState

    @property
    def is_valid(self) -> bool:
        return self.state == SpecimenState.VALID


@dataclass(frozen=True)
class SpecimenPage:
    rows: list[SpecimenRow]
    page: int
    has_next: bool
    on: dt.date


SPECIMEN_PAGE_SIZE = 25


def specimen_search(
    *,
    agent: Agent,
    query: str = "",
    country: str = "",
    authority_id: Any = None,
    official_id: Any = None,
    valid_on: dt.date | None = None,
    on: dt.date | None = None,
    include_withdrawn: bool = False,
    page: int = 1,
    page_size: int = SPECIMEN_PAGE_SIZE,
) -> SpecimenPage:
    """Search the register: by the official's or the authority's name (folded, every
    word), country, authority or official; `valid_on` keeps only the specimens in
    force that day. Each row says whether it is valid, expired, not yet valid or
    withdrawn on `on` (today by default), so expired ones stand out."""
    today = on or clock.today()
    queryset = specimens_visible(agent=agent).select_related(
        "official", "official__authority"
    )
    for word in fold(query).split():
        queryset = queryset.filter(
            Q(official__search_name__contains=word)
            | Q(official__authority__search_name__contains=word)
        )
    if country.strip():
        queryset = queryset.filter(official__country=country.strip().upper())
    if authority_id is not None:
        queryset = _with_uuid(queryset, "official__authority__uuid", authority_id)
    if official_id is not None:
        queryset = _with_uuid(queryset, "official__uuid", official_id)
    if valid_on is not None:
        queryset = queryset.filter(_valid_on_q(valid_on))
    elif not include_withdrawn:
        queryset = queryset.filter(withdrawn_at__isnull=True)
    page = max(page, 1)
    start = (page - 1) * page_size
    found = list(
        queryset.order_by(
            "official__authority__search_name",
            "official__search_name",
            "-valid_from",
            "id",
        )[start : start + page_size + 1]
    )
    return SpecimenPage(
        rows=[
            SpecimenRow(specimen=specimen, state=specimen_state(specimen, today))
            for specimen in found[:page_size]
        ],
        page=page,
        has_next=len(found) > page_size,
        on=today,
    )


def specimen_get_for_agent(*, agent: Agent, specimen_id: Any) -> Seen[Specimen]:
    """One specimen with its official and authority, and the actions the agent may
    take on it; missing and forbidden look the same."""
    key = parse_uuid(specimen_id)
    specimen = (
        specimens_visible(agent=agent)
        .select_related("official", "official__authority", "registered_by")
        .select_related("withdrawn_by")
        .filter(uuid=key)
        .first()
        if key
        else None
    )
    if specimen is None:
        raise NotFound(_("No such specimen."))
    return policy.seen(agent, specimen)


def official_list(*, agent: Agent, authority_id: Any = None) -> list[SigningOfficial]:
    """Every official of the register (of one authority when given), by name."""
    queryset = officials_visible(agent=agent).select_related("authority")
    if authority_id is not None:
        queryset = _with_uuid(queryset, "authority__uuid", authority_id)
    return list(queryset)


@dataclass(frozen=True)
class SpecimenImage:
    specimen: Specimen
    handle: IO[bytes]


def specimen_image_for_agent(*, agent: Agent, specimen_id: Any) -> SpecimenImage:
    """The stored image of a specimen, for an agent who may see the register."""
    specimen = specimen_get_for_agent(agent=agent, specimen_id=specimen_id).obj
    return SpecimenImage(
        specimen=specimen, handle=storage.open_content(specimen.content_sha256)
    )


def specimen_filename(specimen: Specimen) -> str:
    """The name a downloaded specimen is saved under: the official, the kind and
    the extension of its sniffed type (never the name it was uploaded under). Not
    ASCII for many officials: the caller writes it as RFC 6266 `filename*`."""
    extension = EXTENSIONS.get(specimen.content_type, "bin")
    name = " ".join(specimen.official.name.replace("/", " ").split())
    return f"{name} - {specimen.kind}.{extension}"


@dataclass(frozen=True)
class DocumentComparisons:
    document: Document
    comparisons: list[SpecimenComparison]


def document_comparisons_for_agent(
    *, agent: Agent, document_id: Any
) -> DocumentComparisons:
    """A document the agent may see and the comparisons recorded on it, newest
    first; the document's read is logged (`document_get_for_agent`). Without the
    register (`specimen.view`) there is nothing to show: not found."""
    if not policy.may(agent, Action.SPECIMEN_VIEW):
        raise NotFound(_("No such document."))
    document = document_get_for_agent(
        agent=agent, document_id=document_id, purpose="specimen.compare"
    )
    return DocumentComparisons(
        document=document,
        comparisons=list(
            document.specimen_comparisons.select_related(
                "specimen", "specimen__official", "compared_by"
            )
        ),
    )
