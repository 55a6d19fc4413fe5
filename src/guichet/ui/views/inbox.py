"""The inbox: e-mail received from citizens, and the messages that could not be read."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from guichet.access import policy
from guichet.access.domains.inbox import Action
from guichet.contacts.selectors import topic_options_for_agent
from guichet.core.errors import NotFound
from guichet.inbox import selectors, services
from guichet.inbox.models import InboundMessage
from guichet.servicerequests.selectors import request_get_for_agent
from guichet.servicerequests.services import RequestInput
from guichet.suggest.services import suggestions_for
from guichet.ui import workspace
from guichet.ui.agent import agent_of, agent_required
from guichet.ui.downloads import download
from guichet.ui.errors import submit
from guichet.ui.forms.inbox import AttachForm, OpenRequestForm

workspace.register_section(
    workspace.Section(
        key="inbox",
        label=_("E-mail"),
        description=_("E-mail from citizens waiting for an agent."),
        url_name="ui:inbox",
        action=Action.INBOX_VIEW,
        order=27,
    )
)
workspace.register_section(
    workspace.Section(
        key="inbox_problems",
        label=_("E-mail not read"),
        description=_("Received e-mail that could not be read, to try again."),
        url_name="ui:inbox_problems",
        action=Action.INBOX_PROBLEMS,
        order=910,
    )
)


@agent_required
def inbox(request: HttpRequest) -> HttpResponse:
    agent = agent_of(request)
    rows = selectors.messages_to_handle(agent=agent)
    return render(
        request,
        "ui/inbox/inbox.html",
        {
            "rows": rows,
            "may_see_problems": policy.may(agent, Action.INBOX_PROBLEMS),
        },
    )


def _forms(
    request: HttpRequest,
    message: InboundMessage,
    data: object = None,
    topic: str = "",
) -> tuple[OpenRequestForm, AttachForm]:
    """The two forms; `topic` is the one suggested, chosen at first."""
    agent = agent_of(request)
    persons = [
        (str(person.uuid), f"{person} ({person.birth_date or '—'})")
        for person in selectors.senders_on_record(agent=agent, message=message)
    ]
    topics = [
        (option.code, option.label)
        for option in topic_options_for_agent(
            agent=agent, team_code=message.team.code, language=get_language() or "en"
        )
    ]
    initial = {
        "person": persons[0][0] if len(persons) == 1 else "",
        "kind": "question",
        "subject": (message.subject or message.text[:80])[:200],
        "topic": topic,
    }
    open_form = OpenRequestForm(
        data if data is not None and "open" in request.POST else None,
        initial=initial,
        persons=persons,
        topics=topics,
    )
    attach_form = AttachForm(
        data if data is not None and "attach" in request.POST else None,
        initial={"reference": message.request.reference if message.request else ""},
    )
    return open_form, attach_form


def _page(
    request: HttpRequest,
    seen: policy.Seen[InboundMessage],
    forms: tuple[OpenRequestForm, AttachForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    message = seen.obj
    # The language, likely topics, standard answers and articles (issue #15:
    # suggestions for every incoming message).
    suggested = suggestions_for(
        agent_of(request),
        f"{message.subject}\n{message.text}",
        team=message.team,
        language=message.language,
    )
    open_form, attach_form = forms or _forms(
        request,
        message,
        topic=suggested.topics[0].topic.code if suggested.topics else "",
    )
    return render(
        request,
        "ui/inbox/message.html",
        {
            "seen": seen,
            "message": message,
            "attachments": list(message.attachments.all()),
            "may_handle": Action.INBOX_HANDLE in seen.actions
            and message.state in ("new", "threaded")
            and message.contact_id is None,
            "open_form": open_form,
            "attach_form": attach_form,
            "suggestions": suggested,
        },
        status=status,
    )


@agent_required
def message_detail(request: HttpRequest, key: str) -> HttpResponse:
    agent = agent_of(request)
    seen = selectors.message_get_for_agent(agent=agent, key=key)
    if request.method != "POST":
        return _page(request, seen)
    policy.require(agent, Action.INBOX_HANDLE, seen.obj)
    open_form, attach_form = _forms(request, seen.obj, request.POST)
    done = None
    if "open" in request.POST and open_form.is_valid():
        data = open_form.cleaned_data
        done = submit(
            open_form,
            lambda: services.message_open_request(
                actor=agent,
                message=seen.obj,
                person=data["person"],
                data=RequestInput(
                    kind=data["kind"],
                    subject=data["subject"],
                    topic=data["topic"],
                    channel="email",
                ),
            ),
        )
    elif "attach" in request.POST and attach_form.is_valid():
        try:
            target = request_get_for_agent(
                agent=agent, key=attach_form.cleaned_data["reference"]
            ).obj
        except NotFound as error:
            attach_form.add_error("reference", error.text)
        else:
            done = submit(
                attach_form,
                lambda: services.message_attach(
                    actor=agent, message=seen.obj, request=target
                ),
            )
    if done is not None and done.request is not None:
        messages.success(
            request,
            gettext("The e-mail was added to request %(reference)s.")
            % {"reference": done.request.reference},
        )
        return redirect("ui:request_detail", done.request.reference)
    return _page(request, seen, (open_form, attach_form), status=422)


@agent_required
def problems(request: HttpRequest) -> HttpResponse:
    agent = agent_of(request)
    rows = selectors.messages_with_problems(agent=agent)
    return render(
        request,
        "ui/inbox/problems.html",
        {"rows": rows, "may_view": policy.may(agent, Action.INBOX_VIEW)},
    )


@agent_required
@require_POST
def problem_retry(request: HttpRequest, key: str) -> HttpResponse:
    agent = agent_of(request)
    policy.require(agent, Action.INBOX_PROBLEMS)
    message = InboundMessage.objects.filter(uuid=key).defer("raw").first()
    if message is None:
        raise NotFound(gettext("No such message."))
    result = services.message_retry(actor=agent, message=message)
    if result.state in ("retry", "failed"):
        messages.error(request, gettext("The message still cannot be read."))
    else:
        messages.success(request, gettext("The message was read."))
    return redirect("ui:inbox_problems")


@agent_required
def attachment_download(
    request: HttpRequest, key: str, attachment: str
) -> HttpResponse:
    """A kept attachment of a message the agent sees, as a download."""
    agent = agent_of(request)
    seen = selectors.message_get_for_agent(agent=agent, key=key)
    found, handle = selectors.attachment_for_agent(
        agent=agent, message=seen.obj, attachment_id=attachment
    )
    return download(handle, content_type=found.content_type, name=f"file-{found.uuid}")
