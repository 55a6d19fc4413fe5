"""A person's documents: the "Documents" tab of the 360° view.

Lists the documents with their dates, flags those that expire before the decision
date the agent gives (today by default), shows every verification (who, when,
what it found), takes uploads and runs verifications. The rules (accepted files,
dates, which check fits which document) are `guichet.documents`'; reads go
through its selectors (the policy and the access log), writes through its
services (with their audit record).

Files are only ever sent back as downloads (`Content-Disposition: attachment`,
the type read from the content, `nosniff`), never shown inside the workspace.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from guichet.access import policy
from guichet.access.domains.documents import Action
from guichet.access.policy import Seen
from guichet.documents import selectors, services
from guichet.documents.checking import checks_for
from guichet.documents.expiry import document_expires_before
from guichet.documents.models import Document, DocumentVerification, Outcome
from guichet.ui import workspace
from guichet.ui.agent import agent_of, agent_required
from guichet.ui.downloads import download
from guichet.ui.errors import submit
from guichet.ui.forms.checks import KIND_LABELS, values_of
from guichet.ui.forms.documents import (
    DecisionDateForm,
    DocumentUploadForm,
    DocumentVerifyForm,
)
from guichet.ui.views.checks import ShownProblem, shown_fields, shown_problems

workspace.register_person_tab(
    workspace.PersonTab(
        key="documents",
        label=_("Documents"),
        url_name="ui:person_documents",
        action=Action.DOCUMENT_VIEW,
        order=300,
    )
)


@dataclass(frozen=True)
class ShownVerification:
    verification: DocumentVerification
    kind_label: str
    reasons: list[ShownProblem]
    warnings: list[ShownProblem]
    fields: list[Any]

    @property
    def passed(self) -> bool:
        return self.verification.outcome == Outcome.VERIFIED

    @property
    def outcome_label(self) -> str:
        return str(self.verification.get_outcome_display())


def _shown_verification(verification: DocumentVerification) -> ShownVerification:
    """Reasons and remaining warnings, rendered in the reader's language.

    Rows written before outcomes had reasons show their check's errors.
    """
    result = verification.result
    reasons = result.get("reasons", result.get("errors", []))
    reason_codes = {item.get("code") for item in reasons}
    return ShownVerification(
        verification=verification,
        kind_label=str(KIND_LABELS.get(verification.kind, verification.kind)),
        reasons=shown_problems(reasons),
        warnings=shown_problems(
            [
                item
                for item in result.get("warnings", [])
                if item.get("code") not in reason_codes
                and item.get("code") not in _SHOWN_AS_REASONS
            ]
        ),
        fields=shown_fields(result.get("fields", {})),
    )


# Check warnings that the outcome's reasons already state in their own words.
_SHOWN_AS_REASONS = frozenset({"specimen", "expired"})


@dataclass(frozen=True)
class ShownDocument:
    document: Document
    expires_before: bool
    verifications: list[ShownVerification]
    verify_form: DocumentVerifyForm | None
    may_download: bool
    may_compare: bool


def _verify_prefix(document: Document) -> str:
    return f"verify-{document.uuid.hex}"


def _verify_form(
    seen: Seen[Document], refused: dict[str, DocumentVerifyForm]
) -> DocumentVerifyForm | None:
    if not seen.may(Action.DOCUMENT_VERIFY):
        return None
    document = seen.obj
    kinds = checks_for(document.document_type)
    return refused.get(str(document.uuid)) or DocumentVerifyForm(
        prefix=_verify_prefix(document),
        kinds=kinds,
        # Empty: the agent types what the document shows, never what the record
        # says (a prefilled number would be "verified" against itself).
        initial={"kind": kinds[0]},
    )


def _shown(
    seen: Seen[Document],
    decision_date: dt.date,
    refused: dict[str, DocumentVerifyForm],
    may_compare: bool,
) -> ShownDocument:
    document = seen.obj
    return ShownDocument(
        document=document,
        expires_before=document_expires_before(document, decision_date),
        verifications=[
            _shown_verification(verification)
            for verification in document.verifications.all()
        ],
        verify_form=_verify_form(seen, refused),
        may_download=seen.may(Action.DOCUMENT_DOWNLOAD),
        may_compare=may_compare,
    )


def _documents_page(
    request: HttpRequest,
    person_id: uuid.UUID,
    *,
    upload_form: DocumentUploadForm | None = None,
    refused: dict[str, DocumentVerifyForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    agent = agent_of(request)
    found = selectors.person_documents_for_agent(agent=agent, person_id=person_id)
    person = found.person
    date_form = DecisionDateForm(request.GET or None)
    decision_date = timezone.localdate()
    if date_form.is_bound and date_form.is_valid():
        decision_date = date_form.cleaned_data["decision_date"] or decision_date
    may_upload = policy.may(agent, Action.DOCUMENT_UPLOAD)
    if upload_form is None and may_upload:
        upload_form = DocumentUploadForm()
    tabs = [
        {"tab": tab, "url": tab.url(person.uuid), "current": tab.key == "documents"}
        for tab in workspace.person_tabs_for(agent)
    ]
    # Comparing a signature with the register of specimens (legalisation).
    may_compare = policy.may(agent, Action.SPECIMEN_COMPARE)
    documents = [
        _shown(seen, decision_date, refused or {}, may_compare)
        for seen in found.documents
    ]
    return render(
        request,
        "ui/documents/person_documents.html",
        {
            "person": person,
            "tabs": tabs,
            "documents": documents,
            "flagged": sum(1 for item in documents if item.expires_before),
            "decision_date": decision_date,
            "date_form": date_form,
            "upload_form": upload_form if may_upload else None,
        },
        status=status,
    )


@agent_required
def person_documents(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    return _documents_page(request, person_id)


@agent_required
@require_POST
def document_upload(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    agent = agent_of(request)
    form = DocumentUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _documents_page(request, person_id, upload_form=form, status=422)
    document = submit(
        form,
        lambda: services.document_upload(
            actor=agent,
            person_id=person_id,
            file=form.cleaned_data["file"],
            details=form.details(),
        ),
    )
    if document is None:
        return _documents_page(request, person_id, upload_form=form, status=422)
    messages.success(
        request,
        gettext("The document was added: %(type)s.")
        % {"type": document.get_document_type_display()},
    )
    return redirect("ui:person_documents", person_id)


@agent_required
@require_POST
def document_verify(request: HttpRequest, document_id: uuid.UUID) -> HttpResponse:
    agent = agent_of(request)
    document = selectors.document_get_for_agent(
        agent=agent, document_id=document_id, purpose="verify"
    )
    form = DocumentVerifyForm(
        request.POST,
        prefix=_verify_prefix(document),
        kinds=checks_for(document.document_type),
    )
    verification = None
    if form.is_valid():
        kind = form.cleaned_data["kind"]
        verification = submit(
            form,
            lambda: services.document_verify(
                actor=agent,
                document_id=document.uuid,
                kind=kind,
                values=values_of(kind, form.cleaned_data["value"]),
            ),
        )
    if verification is None:
        return _documents_page(
            request,
            document.person.uuid,
            refused={str(document.uuid): form},
            status=422,
        )
    if verification.outcome == Outcome.VERIFIED:
        messages.success(
            request,
            gettext(
                "Verified: the document is valid, matches the person and the "
                "record, and has not expired."
            ),
        )
    else:
        messages.error(
            request,
            gettext("%(outcome)s: the document does not pass; see why below.")
            % {"outcome": verification.get_outcome_display().capitalize()},
        )
    url = reverse("ui:person_documents", args=[document.person.uuid])
    return redirect(f"{url}#document-{document.uuid}")


@agent_required
def document_download(request: HttpRequest, document_id: uuid.UUID) -> HttpResponse:
    """The stored file, as a download only: never displayed in the workspace."""
    content = selectors.document_content_for_agent(
        agent=agent_of(request), document_id=document_id
    )
    document = content.document
    return download(
        content.handle,
        content_type=document.content_type,
        name=f"document-{document.uuid}",
    )
