"""The register of specimen signatures and seals (issue #14, item 5): the
"Specimens" section of the consular front office, and the side-by-side comparison
of a document's scan with a specimen.

Images are served only through the views below, for an agent the policy lets see
them (`specimen.view`, `document.download`), never from a public URL; an image is
sent inline only when it is a PNG or JPEG (shown in an `<img>`), with `nosniff`
and a sandboxing CSP; a PDF is a download. The rules are `guichet.documents`'.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from guichet.access import policy
from guichet.access.domains.documents import Action
from guichet.core import clock
from guichet.core.errors import NotFound
from guichet.documents import selectors, services
from guichet.documents.models import ComparisonOutcome, Specimen
from guichet.parties.selectors import organisations_visible
from guichet.ui import workspace
from guichet.ui.agent import agent_of, agent_required
from guichet.ui.errors import submit
from guichet.ui.forms.specimens import (
    ComparisonForm,
    OfficialForm,
    SpecimenForm,
    SpecimenSearchForm,
    WithdrawForm,
)

workspace.register_section(
    workspace.Section(
        key="specimens",
        label=_("Specimens"),
        description=_(
            "The register of specimen signatures and seals of the officials whose "
            "documents the post legalises."
        ),
        url_name="ui:specimen_list",
        action=Action.SPECIMEN_VIEW,
        order=35,
    )
)

# Shown in an <img>; anything else (a PDF) is a download.
_SHOWN_TYPES = frozenset({"image/png", "image/jpeg"})
# The authorities offered when an official is added: the party register's
# organisations by name (a post keeps a few hundred at most).
_AUTHORITY_CHOICES = 500


def _image_response(
    data: bytes, content_type: str, filename: str, *, inline: bool
) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    # RFC 6266: a name that is not plain ASCII goes in `filename*`.
    response["Content-Disposition"] = (
        content_disposition_header(as_attachment=not inline, filename=filename)
        or "attachment"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@agent_required
def specimen_list(request: HttpRequest) -> HttpResponse:
    agent = agent_of(request)
    policy.require(agent, Action.SPECIMEN_VIEW)
    form = SpecimenSearchForm(request.GET or None)
    filters: dict[str, Any] = {}
    if form.is_bound:
        form.is_valid()
        filters = {key: value for key, value in form.cleaned_data.items() if value}
    page = selectors.specimen_search(
        agent=agent,
        query=filters.get("q", ""),
        country=filters.get("country", ""),
        valid_on=filters.get("valid_on"),
        include_withdrawn=bool(filters.get("include_withdrawn")),
        page=filters.get("page", 1),
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "ui/specimens/specimen_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "filtered": bool(set(filters) - {"page"}),
            "may_manage": policy.may(agent, Action.SPECIMEN_MANAGE),
            "shown_types": _SHOWN_TYPES,
        },
    )


@agent_required
def specimen_detail(request: HttpRequest, specimen_id: uuid.UUID) -> HttpResponse:
    agent = agent_of(request)
    seen = selectors.specimen_get_for_agent(agent=agent, specimen_id=specimen_id)
    specimen = seen.obj
    return render(
        request,
        "ui/specimens/specimen_detail.html",
        {
            "specimen": specimen,
            "state": selectors.specimen_state(specimen, clock.today()),
            "may_withdraw": seen.may(Action.SPECIMEN_MANAGE)
            and not specimen.is_withdrawn,
            "shown": specimen.content_type in _SHOWN_TYPES,
        },
    )


@agent_required
def specimen_image(request: HttpRequest, specimen_id: uuid.UUID) -> HttpResponse:
    """The specimen's image: inline for a PNG or JPEG (its thumbnail and the
    comparison), a download otherwise; always through the policy."""
    image = selectors.specimen_image_for_agent(
        agent=agent_of(request), specimen_id=specimen_id
    )
    specimen = image.specimen
    with image.handle as handle:
        data = handle.read()
    return _image_response(
        data,
        specimen.content_type,
        selectors.specimen_filename(specimen),
        inline=specimen.content_type in _SHOWN_TYPES,
    )


def _authorities(request: HttpRequest) -> list[tuple[str, str]]:
    return [
        (str(organisation.uuid), organisation.name)
        for organisation in organisations_visible(agent=agent_of(request)).order_by(
            "search_name", "id"
        )[:_AUTHORITY_CHOICES]
    ]


@agent_required
def official_create(request: HttpRequest) -> HttpResponse:
    agent = agent_of(request)
    policy.require(agent, Action.SPECIMEN_MANAGE)
    form = OfficialForm(
        request.POST if request.method == "POST" else None,
        authorities=_authorities(request),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        official = submit(
            form,
            lambda: services.signing_official_register(
                actor=agent,
                authority_id=data["authority_id"],
                country=data["country"],
                name=data["name"],
                function=data["function"],
            ),
        )
        if official is not None:
            messages.success(
                request,
                gettext("%(name)s was added to the register.")
                % {"name": official.name},
            )
            return redirect(f"{reverse('ui:specimen_create')}?official={official.uuid}")
    return render(
        request,
        "ui/specimens/official_create.html",
        {"form": form},
        status=422 if form.errors else 200,
    )


def _officials(request: HttpRequest) -> list[tuple[str, str]]:
    return [
        (
            str(official.uuid),
            f"{official.name}, {official.function} ({official.authority.name}, "
            f"{official.country})",
        )
        for official in selectors.official_list(agent=agent_of(request))
    ]


@agent_required
def specimen_create(request: HttpRequest) -> HttpResponse:
    agent = agent_of(request)
    policy.require(agent, Action.SPECIMEN_MANAGE)
    if request.method == "POST":
        form = SpecimenForm(request.POST, request.FILES, officials=_officials(request))
    else:
        form = SpecimenForm(
            initial={"official_id": request.GET.get("official", "")},
            officials=_officials(request),
        )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        specimen = submit(
            form,
            lambda: services.specimen_register(
                actor=agent,
                official_id=data["official_id"],
                kind=data["kind"],
                file=data["file"],
                valid_from=data["valid_from"],
                valid_until=data["valid_until"],
            ),
        )
        if specimen is not None:
            messages.success(request, gettext("The specimen was added."))
            return redirect("ui:specimen_detail", specimen.uuid)
    return render(
        request,
        "ui/specimens/specimen_create.html",
        {"form": form},
        status=422 if form.errors else 200,
    )


@agent_required
def specimen_withdraw(request: HttpRequest, specimen_id: uuid.UUID) -> HttpResponse:
    """Withdraw a specimen, after a confirmation step that asks for the reason."""
    agent = agent_of(request)
    seen = selectors.specimen_get_for_agent(agent=agent, specimen_id=specimen_id)
    seen.require(Action.SPECIMEN_MANAGE)
    specimen = seen.obj
    form = WithdrawForm(
        request.POST if request.method == "POST" else None,
        initial={"version": specimen.version},
    )
    if request.method == "POST" and form.is_valid():
        withdrawn = submit(
            form,
            lambda: services.specimen_withdraw(
                actor=agent,
                specimen_id=specimen.uuid,
                expected_version=form.cleaned_data["version"],
                reason=form.cleaned_data["reason"],
            ),
        )
        if withdrawn is not None:
            messages.success(request, gettext("The specimen was withdrawn."))
            return redirect("ui:specimen_detail", specimen.uuid)
        if form.stale is not None:
            # Show the specimen as it is now, with the version to act on.
            return redirect("ui:specimen_detail", specimen.uuid)
    return render(
        request,
        "ui/specimens/specimen_withdraw.html",
        {"specimen": specimen, "form": form},
        status=422 if form.errors else 200,
    )


def _reference_date(issued_on: dt.date | None) -> dt.date:
    """The day a specimen must be valid on: the service's rule, shown in advance."""
    return issued_on or clock.today()


def _compare_page(
    request: HttpRequest,
    document_id: uuid.UUID,
    *,
    form: ComparisonForm | None = None,
    status: int = 200,
) -> HttpResponse:
    agent = agent_of(request)
    found = selectors.document_comparisons_for_agent(
        agent=agent, document_id=document_id
    )
    document = found.document
    on = _reference_date(document.issued_on)
    candidates = list(selectors.specimens_valid_on(agent=agent, on=on))
    chosen_id = request.POST.get("specimen") or request.GET.get("specimen", "")
    chosen: Specimen | None = next(
        (item for item in candidates if str(item.uuid) == chosen_id), None
    )
    if chosen is None and chosen_id:
        try:
            chosen = selectors.specimen_get_for_agent(
                agent=agent, specimen_id=chosen_id
            ).obj
        except NotFound:
            chosen = None
    if form is None and chosen is not None:
        form = ComparisonForm(initial={"specimen": chosen.uuid})
    return render(
        request,
        "ui/specimens/document_compare.html",
        {
            "document": document,
            "person": document.person,
            "on": on,
            "candidates": candidates,
            "chosen": chosen,
            "chosen_state": selectors.specimen_state(chosen, on) if chosen else None,
            "form": form,
            "comparisons": found.comparisons,
            "may_compare": policy.may(agent, Action.SPECIMEN_COMPARE),
            "may_see_scan": policy.may(agent, Action.DOCUMENT_DOWNLOAD, document),
            "scan_shown": document.content_type in _SHOWN_TYPES,
            "specimen_shown": chosen is not None
            and chosen.content_type in _SHOWN_TYPES,
            "outcomes": ComparisonOutcome,
        },
        status=status,
    )


@agent_required
def document_compare(request: HttpRequest, document_id: uuid.UUID) -> HttpResponse:
    return _compare_page(request, document_id)


@agent_required
@require_POST
def document_compare_record(
    request: HttpRequest, document_id: uuid.UUID
) -> HttpResponse:
    agent = agent_of(request)
    form = ComparisonForm(request.POST)
    comparison = None
    if form.is_valid():
        comparison = submit(
            form,
            lambda: services.specimen_comparison_record(
                actor=agent,
                document_id=document_id,
                specimen_id=form.cleaned_data["specimen"],
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
            ),
            rename=lambda name: "specimen" if name == "specimen_id" else name,
        )
    if comparison is None:
        return _compare_page(request, document_id, form=form, status=422)
    if comparison.outcome == ComparisonOutcome.MATCHES:
        messages.success(
            request, gettext("Recorded: the signature matches the specimen.")
        )
    else:
        messages.warning(
            request, gettext("Recorded: the signature does not match the specimen.")
        )
    return redirect(
        f"{reverse('ui:document_compare', args=[document_id])}"
        f"?specimen={comparison.specimen.uuid}"
    )


@agent_required
def document_scan(request: HttpRequest, document_id: uuid.UUID) -> HttpResponse:
    """A document's scan shown beside a specimen: inline only for a PNG or JPEG
    (an `<img>` cannot run anything), for an agent who may open the document."""
    content = selectors.document_content_for_agent(
        agent=agent_of(request), document_id=document_id
    )
    document = content.document
    with content.handle as handle:
        data = handle.read()
    return _image_response(
        data,
        document.content_type,
        f"document-{document.uuid}",
        inline=document.content_type in _SHOWN_TYPES,
    )
