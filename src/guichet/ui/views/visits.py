"""The counter's queue: the kiosk, the display and the desk screen.

The kiosk (`/visits/<site>/kiosk/`) and the display (`/visits/<site>/display/`)
are public pages for devices of a site's waiting room: the site's code in the
address binds a device to its site, and nothing on them is personal (a ticket
number, a service, a desk). The kiosk speaks the visitor's language, chosen on it
(`?lang=`), and goes back to the site's own language after each ticket; the
number of tickets it gives per minute is bounded by the service
(`VISITS_KIOSK_TICKETS_PER_MINUTE`). The display refreshes its calls with htmx and
announces each new call to screen readers (a polite live region).

The desk screen ("Counter" section, `access/domains/visits.py`) calls the next
visitor, calls again, marks them absent or serves them, which registers the
contact. Every rule is the queue's (`guichet.visits.services`).
"""

from __future__ import annotations

import hashlib
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from guichet.access import policy
from guichet.access.domains.visits import Action
from guichet.contacts.models import Outcome
from guichet.contacts.selectors import topic_options
from guichet.core.errors import Conflict, Forbidden, GuichetError
from guichet.ui import workspace
from guichet.ui.agent import agent_of, agent_required
from guichet.ui.errors import ServiceForm, submit
from guichet.ui.forms.pick import person_pick_field, show_chosen
from guichet.ui.views.contacts import picked_person
from guichet.visits import selectors, services
from guichet.visits.models import Desk, Site, Ticket
from guichet.visits.services import LANGUAGES

workspace.register_section(
    workspace.Section(
        key="visits",
        label=_("Counter"),
        description=_(
            "The waiting room's queue: call the next visitor to your desk, serve "
            "them and register the visit."
        ),
        url_name="ui:visits_desk",
        action=Action.DESK_WORK,
        order=44,
    )
)

# Seconds between two refreshes of the display's calls.
DISPLAY_REFRESH = 3


def _language(request: HttpRequest, site: Site) -> str:
    chosen = request.GET.get("lang") or request.POST.get("lang") or ""
    return chosen if chosen in LANGUAGES else site.language


def _languages(current: str) -> list[dict[str, Any]]:
    """The kiosk's language buttons, each named in its own language."""
    return [
        {
            "code": code,
            "name": translation.get_language_info(code)["name_local"].capitalize(),
            "current": code == current,
        }
        for code in LANGUAGES
    ]


@require_http_methods(["GET", "POST"])
def kiosk(request: HttpRequest, site_code: str) -> HttpResponse:
    """The waiting room's kiosk: choose a language, then a service; get a ticket."""
    site = selectors.site_public(code=site_code)
    language = _language(request, site)
    with translation.override(language):
        if request.method == "POST":
            try:
                ticket = services.ticket_issue(
                    site=site,
                    service=request.POST.get("service", ""),
                    language=language,
                )
            except GuichetError as refused:
                return _kiosk_page(request, site, language, refused)
            return render(
                request,
                "ui/visits/ticket.html",
                {
                    "site": site,
                    "ticket": ticket,
                    "service_name": ticket.service.name(language),
                    "language": language,
                    "again": reverse("ui:visits_kiosk", args=[site.code]),
                },
                status=201,
            )
        return _kiosk_page(request, site, language, None)


def _kiosk_page(
    request: HttpRequest, site: Site, language: str, refused: GuichetError | None
) -> HttpResponse:
    return render(
        request,
        "ui/visits/kiosk.html",
        {
            "site": site,
            "language": language,
            "languages": _languages(language),
            "services": [
                (service.code, service.prefix, service.name(language))
                for service in selectors.kiosk_services(site=site)
            ],
            "refused": refused,
        },
        status=refused.status if refused is not None else 200,
    )


@require_GET
def display(request: HttpRequest, site_code: str) -> HttpResponse:
    """The waiting room's screen: the numbers called and their desks."""
    site = selectors.site_public(code=site_code)
    language = _language(request, site)
    with translation.override(language):
        return render(
            request,
            "ui/visits/display.html",
            _display_context(site, language),
        )


@require_GET
def display_calls(request: HttpRequest, site_code: str) -> HttpResponse:
    """The display's calls, which it fetches again every few seconds."""
    site = selectors.site_public(code=site_code)
    language = _language(request, site)
    context = _display_context(site, language)
    if request.GET.get("state") == context["state"]:
        return HttpResponse(status=204)  # nothing new: htmx leaves the page as is
    with translation.override(language):
        return render(request, "ui/visits/_calls.html", context)


def _display_context(site: Site, language: str) -> dict[str, Any]:
    calls = selectors.display_calls(site=site)
    # What the display shows, in a few characters: it asks again with it.
    state = hashlib.sha256("|".join(call.key for call in calls).encode()).hexdigest()[
        :16
    ]
    return {
        "site": site,
        "language": language,
        "latest": calls[0] if calls else None,
        "earlier": calls[1:],
        "refresh": DISPLAY_REFRESH,
        "state": state,
    }


class ServeForm(ServiceForm):
    person = person_pick_field(_("Person concerned, when identified"))
    anonymous_details = forms.CharField(
        label=_("What is known, when not identified"),
        required=False,
        max_length=1000,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    topic = forms.ChoiceField(label=_("Topic"), required=False)
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[(value, label) for value, label in Outcome.choices],
        initial=Outcome.ANSWERED,
    )
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def _desk(request: HttpRequest) -> tuple[list[Desk], Desk | None]:
    """The agent's desks and the one chosen (`?desk=`, else the only one)."""
    agent = agent_of(request)
    desks = selectors.desks_for_agent(agent=agent)
    chosen = request.GET.get("desk", "")
    if chosen:
        return desks, selectors.desk_get_for_agent(agent=agent, key=chosen)
    return desks, desks[0] if len(desks) == 1 else None


def _here(desk: Desk) -> HttpResponse:
    return HttpResponseRedirect(f"{reverse('ui:visits_desk')}?desk={desk.uuid}")


@agent_required
@require_http_methods(["GET", "POST"])
def desk(request: HttpRequest) -> HttpResponse:
    """The desk screen: the visitor called, who waits, and what to do next."""
    agent = agent_of(request)
    policy.require(agent, Action.DESK_WORK)
    desks, chosen = _desk(request)
    language = translation.get_language() or "fr"
    board = selectors.desk_board(agent=agent, desk=chosen) if chosen else None
    current = board.current if board else None
    serve_form = ServeForm(request.POST if "serve" in request.POST else None)
    if current is not None:
        topic_field = serve_form.fields["topic"]
        assert isinstance(topic_field, forms.ChoiceField)  # noqa: S101 - declared so
        topic_field.choices = [("", "—")] + [
            (option.uuid, option.label)
            for option in topic_options(team=current.service.team, language=language)
        ]
    if chosen is not None and request.method == "POST":
        done = _act(request, agent, chosen, current, serve_form)
        if done is not None:
            return done
    if "person" in serve_form.data:
        person = picked_person(agent, str(serve_form.data.get("person", "")))
        if person is not None:
            show_chosen(serve_form, "person", str(person))
    failed = request.method == "POST" and bool(serve_form.errors)
    return render(
        request,
        "ui/visits/desk.html",
        {
            "desks": desks,
            "desk": chosen,
            "board": board,
            "current": current,
            "current_service": current.service.name(language) if current else "",
            "queue": [
                {
                    "prefix": line.service.prefix,
                    "name": line.service.name(language),
                    "waiting": line.waiting,
                    "oldest": line.oldest,
                }
                for line in (board.queue if board else [])
            ],
            "serve_form": serve_form,
            "display_url": (
                reverse("ui:visits_display", args=[chosen.site.code]) if chosen else ""
            ),
        },
        status=422 if failed else 200,
    )


def _act(
    request: HttpRequest,
    agent: Any,
    desk: Desk,
    current: Ticket | None,
    serve_form: ServeForm,
) -> HttpResponse | None:
    """Do what the desk screen asked; a redirect, or None to show the form again."""
    try:
        if "call_next" in request.POST:
            called = services.ticket_call_next(actor=agent, desk=desk)
            if called is None:
                messages.info(request, gettext("Nobody is waiting."))
            else:
                messages.success(
                    request,
                    gettext("%(ticket)s is called to your desk.")
                    % {"ticket": called.label},
                )
            return _here(desk)
        ticket = selectors.ticket_for_desk(
            agent=agent, desk=desk, key=request.POST.get("ticket", "")
        )
        if "recall" in request.POST:
            services.ticket_recall(actor=agent, ticket=ticket)
            messages.success(
                request,
                gettext("%(ticket)s is called again.") % {"ticket": ticket.label},
            )
            return _here(desk)
        if "no_show" in request.POST:
            services.ticket_no_show(actor=agent, ticket=ticket)
            messages.success(
                request,
                gettext("%(ticket)s did not come.") % {"ticket": ticket.label},
            )
            return _here(desk)
        if "serve" in request.POST and current is not None and serve_form.is_valid():
            data = serve_form.cleaned_data
            served = submit(
                serve_form,
                lambda: services.ticket_serve(
                    actor=agent,
                    ticket=ticket,
                    person=data["person"],
                    topic=data["topic"],
                    summary=data["summary"],
                    outcome=data["outcome"],
                    anonymous_details=data["anonymous_details"],
                ),
            )
            if served is not None:
                messages.success(
                    request,
                    gettext("%(ticket)s served: the visit is registered.")
                    % {"ticket": served.label},
                )
                return _here(desk)
    except (Conflict, Forbidden) as refused:
        messages.error(request, refused.text)
        return _here(desk)
    return None
