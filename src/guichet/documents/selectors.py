"""Reads of documents: always for an agent, always through the policy.

Missing and forbidden look the same (`NotFound`). Every read of a person's documents
(the list, one document, its content) is written to the access log.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO, Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from guichet.access import policy
from guichet.access.domains.documents import Action
from guichet.access.policy import Seen
from guichet.agents.models import Agent
from guichet.audit.services import access_record
from guichet.checks.kinds import run_check
from guichet.checks.result import CheckResult
from guichet.core.errors import Forbidden, NotFound
from guichet.core.validation import parse_uuid
from guichet.parties.models import Person

from . import storage
from .models import Document, DocumentVerification


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
