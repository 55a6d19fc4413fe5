"""The knowledge base's screens (issue #15): search, read an article (in the
agent's language, else a fallback, with links to its other languages), write and
edit (authors), propose an improvement (everyone), history with the changes of
each revision and restoring one, the review queue (reviewers), and feedback from
the floor (the form reached from every page, the list, the decision).

Every action is one service call; the rules are `guichet.knowledge`'s.
"""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from guichet.access import policy
from guichet.access.domains.knowledge import Action
from guichet.contacts.models import Topic
from guichet.contacts.selectors import topic_options_for_agent
from guichet.core.errors import Forbidden, NotFound
from guichet.knowledge import selectors, services
from guichet.knowledge.models import Article
from guichet.ui import workspace
from guichet.ui.agent import agent_of, agent_required
from guichet.ui.errors import submit
from guichet.ui.forms.knowledge import (
    ArticleCreateForm,
    ArticleTextForm,
    DecisionForm,
    FeedbackDecisionForm,
    FeedbackForm,
    KnowledgeSearchForm,
    MoveForm,
    PlaceForm,
    ProposalForm,
)

workspace.register_section(
    workspace.Section(
        key="knowledge",
        label=_("Knowledge"),
        description=_(
            "FAQ and procedures in four languages: search, read, propose a better text."
        ),
        url_name="ui:knowledge_search",
        action=Action.KNOWLEDGE_VIEW,
        order=15,
    )
)


def _flash_errors(request: HttpRequest, form: forms.Form) -> None:
    """A form posted from a page that shows no form: its errors as messages."""
    for error in form.errors.values():
        messages.error(request, " ".join(str(text) for text in error))


def _language(request: HttpRequest) -> str:
    return (get_language() or "fr")[:2]


@agent_required
def knowledge_search(request: HttpRequest) -> HttpResponse:
    agent = agent_of(request)
    policy.require(agent, Action.KNOWLEDGE_VIEW)
    form = KnowledgeSearchForm(request.GET or None)
    hits: list[selectors.SearchHit] = []
    query = ""
    if form.is_bound and form.is_valid():
        query = form.cleaned_data["q"]
        hits = selectors.articles_search(
            agent=agent, query=query, language=form.cleaned_data["language"] or None
        )
    return render(
        request,
        "ui/knowledge/search.html",
        {
            "form": form,
            "hits": hits,
            "query": query,
            "may_write": policy.may(agent, Action.KNOWLEDGE_WRITE),
            "may_review": policy.may(agent, Action.KNOWLEDGE_PUBLISH),
        },
    )


@agent_required
def article_detail(request: HttpRequest, article_id: uuid.UUID) -> HttpResponse:
    agent = agent_of(request)
    reading = selectors.article_read(
        agent=agent,
        article_id=article_id,
        language=request.GET.get("lang") or _language(request),
    )
    return render(
        request,
        "ui/knowledge/article_detail.html",
        {
            "reading": reading,
            "article": reading.article,
            "move_form": MoveForm(initial={"version": reading.article.version}),
            "place_form": _place_form(request, None)
            if reading.seen.may(Action.KNOWLEDGE_WRITE)
            else None,
        },
    )


def _topic_choices(request: HttpRequest) -> list[tuple[str, str]]:
    agent = agent_of(request)
    options = topic_options_for_agent(
        agent=agent, team_code="", language=_language(request)
    )
    return [(option.uuid, option.label) for option in options]


def _place_form(request: HttpRequest, data: Any) -> PlaceForm:
    form = PlaceForm(data)
    topic_field = form.fields["topic"]
    assert isinstance(topic_field, forms.ChoiceField)  # noqa: S101 - declared so
    topic_field.choices = [("", "—"), *_topic_choices(request)]
    return form


@agent_required
@require_POST
def article_place_add(request: HttpRequest, article_id: uuid.UUID) -> HttpResponse:
    agent = agent_of(request)
    article = selectors.article_get_for_agent(agent=agent, article_id=article_id).obj
    form = _place_form(request, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        topic = (
            Topic.objects.filter(uuid=data["topic"]).first() if data["topic"] else None
        )
        place = submit(
            form,
            lambda: services.article_place_add(
                actor=agent,
                article=article,
                kind=data["kind"],
                topic=topic,
                case_type_code=data["case_type_code"],
                status_code=data["status_code"],
                screen=data["screen"],
            ),
        )
        if place is not None:
            messages.success(request, gettext("The article is shown there now."))
    _flash_errors(request, form)
    return redirect("ui:article_detail", article.uuid)


@agent_required
@require_POST
def article_place_remove(
    request: HttpRequest, article_id: uuid.UUID, place_id: uuid.UUID
) -> HttpResponse:
    agent = agent_of(request)
    article = selectors.article_get_for_agent(agent=agent, article_id=article_id).obj
    place = article.places.filter(uuid=place_id).first()
    if place is None:
        raise NotFound(gettext("There is no such place."))
    services.article_place_remove(actor=agent, place=place)
    messages.success(request, gettext("The article is no longer shown there."))
    return redirect("ui:article_detail", article.uuid)


@agent_required
def article_create(request: HttpRequest) -> HttpResponse:
    agent = agent_of(request)
    policy.require(agent, Action.KNOWLEDGE_WRITE)
    form = ArticleCreateForm(
        request.POST or None, initial={"language": _language(request)}
    )
    topic_field = form.fields["topic"]
    assert isinstance(topic_field, forms.ChoiceField)  # noqa: S101 - declared so
    topic_field.choices = _topic_choices(request)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        article = submit(
            form,
            lambda: services.article_create(
                actor=agent,
                topic=Topic.objects.get(uuid=data["topic"]),
                kind=data["kind"],
                language=data["language"],
                title=data["title"],
                body=data["body"],
                note=data["note"],
            ),
        )
        if article is not None:
            messages.success(request, gettext("The draft is saved."))
            return redirect("ui:article_detail", article.uuid)
    return render(request, "ui/knowledge/article_edit.html", {"form": form})


@agent_required
def article_edit(request: HttpRequest, article_id: uuid.UUID) -> HttpResponse:
    agent = agent_of(request)
    language = request.GET.get("lang") or _language(request)
    reading = selectors.article_read(
        agent=agent, article_id=article_id, language=language
    )
    if not reading.may_edit:
        raise Forbidden(_("You may not change this article in its present state."))
    text = reading.text if reading.language == reading.asked else None
    form = ArticleTextForm(
        request.POST or None,
        initial={
            "version": reading.article.version,
            "language": reading.asked,
            "title": text.title if text else "",
            "body": text.body if text else "",
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        revision = submit(
            form,
            lambda: services.article_text_save(
                actor=agent,
                article=reading.article,
                expected_version=data["version"] or 0,
                language=data["language"],
                title=data["title"],
                body=data["body"],
                note=data["note"],
            ),
        )
        if revision is not None:
            messages.success(request, gettext("The text is saved."))
            url = reverse("ui:article_detail", args=[reading.article.uuid])
            return redirect(f"{url}?lang={revision.language}")
    return render(
        request,
        "ui/knowledge/article_edit.html",
        {"form": form, "article": reading.article, "reading": reading},
    )


@agent_required
@require_POST
def article_move(request: HttpRequest, article_id: uuid.UUID) -> HttpResponse:
    agent = agent_of(request)
    article = selectors.article_get_for_agent(agent=agent, article_id=article_id).obj
    form = MoveForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        moved = submit(
            form,
            lambda: services.article_transition(
                actor=agent,
                article=article,
                expected_version=data["version"],
                move=data["move"],
                reason=data["reason"],
            ),
        )
        if moved is not None:
            messages.success(request, gettext("Done."))
        else:
            _flash_errors(request, form)
    return redirect("ui:article_detail", article.uuid)


@agent_required
def article_propose(request: HttpRequest, article_id: uuid.UUID) -> HttpResponse:
    agent = agent_of(request)
    language = request.GET.get("lang") or _language(request)
    reading = selectors.article_read(
        agent=agent, article_id=article_id, language=language
    )
    reading.seen.require(Action.KNOWLEDGE_PROPOSE)
    form = ProposalForm(
        request.POST or None,
        initial={
            "language": reading.language,
            "title": reading.text.title if reading.text else "",
            "body": reading.text.body if reading.text else "",
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        proposal = submit(
            form,
            lambda: services.proposal_create(
                actor=agent,
                article=reading.article,
                language=data["language"],
                title=data["title"],
                body=data["body"],
                reason=data["reason"],
            ),
        )
        if proposal is not None:
            messages.success(
                request,
                gettext(
                    "Thank you: a reviewer will decide. You will see the outcome on "
                    "your home page."
                ),
            )
            return redirect("ui:article_detail", reading.article.uuid)
    return render(
        request, "ui/knowledge/article_propose.html", {"form": form, "reading": reading}
    )


@agent_required
def article_history(request: HttpRequest, article_id: uuid.UUID) -> HttpResponse:
    agent = agent_of(request)
    reading = selectors.article_read(agent=agent, article_id=article_id)
    number = request.GET.get("revision", "")
    diff = None
    if number.isdigit():
        diff = selectors.revision_diff(
            agent=agent, article=reading.article, number=int(number)
        )
    return render(
        request,
        "ui/knowledge/article_history.html",
        {
            "reading": reading,
            "article": reading.article,
            "revisions": selectors.article_history(
                agent=agent, article=reading.article
            ),
            "diff": diff,
        },
    )


@agent_required
@require_POST
def article_restore(request: HttpRequest, article_id: uuid.UUID) -> HttpResponse:
    agent = agent_of(request)
    article = selectors.article_get_for_agent(agent=agent, article_id=article_id).obj
    try:
        version = int(request.POST.get("version", ""))
        number = int(request.POST.get("revision", ""))
    except ValueError:
        return redirect("ui:article_history", article.uuid)
    revision = services.article_restore(
        actor=agent, article=article, expected_version=version, number=number
    )
    messages.success(
        request,
        gettext("Revision %(old)d is the current text again (revision %(new)d).")
        % {"old": number, "new": revision.number},
    )
    return redirect("ui:article_history", article.uuid)


@agent_required
def review_queue(request: HttpRequest) -> HttpResponse:
    agent = agent_of(request)
    queue = selectors.review_queue(agent=agent)
    return render(
        request,
        "ui/knowledge/review_queue.html",
        {
            "queue": queue,
            "proposals": [
                (proposal, selectors.proposal_current_text(proposal))
                for proposal in queue.proposals
            ],
        },
    )


@agent_required
@require_POST
def proposal_decide(request: HttpRequest, proposal_id: uuid.UUID) -> HttpResponse:
    agent = agent_of(request)
    proposal = selectors.proposal_get_for_agent(
        agent=agent, proposal_id=proposal_id
    ).obj
    form = DecisionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        done: object
        if data["decision"] == "accept":
            done = submit(
                form,
                lambda: services.proposal_accept(
                    actor=agent,
                    proposal=proposal,
                    expected_version=data["version"],
                    note=data["reason"],
                ),
            )
        else:
            done = submit(
                form,
                lambda: services.proposal_reject(
                    actor=agent,
                    proposal=proposal,
                    expected_version=data["version"],
                    reason=data["reason"],
                ),
            )
        if done is not None:
            messages.success(request, gettext("The proposal is decided."))
        else:
            _flash_errors(request, form)
    return redirect("ui:review_queue")


def _safe_path(request: HttpRequest, value: str) -> str:
    if value and url_has_allowed_host_and_scheme(value, allowed_hosts=None):
        return value if value.startswith("/") else ""
    return ""


@agent_required
def feedback_new(request: HttpRequest) -> HttpResponse:
    agent = agent_of(request)
    policy.require(agent, Action.FEEDBACK_REPORT)
    came_from = _safe_path(request, request.GET.get("from", ""))
    form = FeedbackForm(
        request.POST or None,
        initial={
            "path": came_from,
            "screen": request.GET.get("screen", "")[:100],
            "article": request.GET.get("article") or None,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        article: Article | None = None
        if data["article"]:
            article = selectors.article_get_for_agent(
                agent=agent, article_id=data["article"]
            ).obj
        item = submit(
            form,
            lambda: services.feedback_report(
                actor=agent,
                kind=data["kind"],
                text_value=data["text"],
                screen=data["screen"],
                path=_safe_path(request, data["path"]),
                article=article,
            ),
        )
        if item is not None:
            messages.success(
                request,
                gettext("Thank you: sent to %(team)s. You will see the outcome here.")
                % {"team": item.team.name},
            )
            return redirect("ui:feedback_list")
    return render(
        request,
        "ui/knowledge/feedback_new.html",
        {"form": form, "came_from": came_from},
    )


@agent_required
def feedback_list(request: HttpRequest) -> HttpResponse:
    agent = agent_of(request)
    policy.require(agent, Action.FEEDBACK_REPORT)
    rows = selectors.feedback_list(agent=agent, status=request.GET.get("status", ""))
    items = [
        (item, policy.may(agent, Action.FEEDBACK_HANDLE, item)) for item in rows[:100]
    ]
    return render(
        request,
        "ui/knowledge/feedback_list.html",
        {"items": items, "decision_form": FeedbackDecisionForm()},
    )


@agent_required
@require_POST
def feedback_decide(request: HttpRequest, feedback_id: uuid.UUID) -> HttpResponse:
    agent = agent_of(request)
    item = selectors.feedback_get_for_agent(agent=agent, feedback_id=feedback_id).obj
    form = FeedbackDecisionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        done = submit(
            form,
            lambda: services.feedback_decide(
                actor=agent,
                feedback=item,
                expected_version=data["version"],
                status=data["status"],
                reason=data["reason"],
            ),
        )
        if done is not None:
            messages.success(request, gettext("The feedback is updated."))
            return redirect("ui:feedback_list")
    _flash_errors(request, form)
    return redirect("ui:feedback_list")
