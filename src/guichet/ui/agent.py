"""The logged-in agent of a UI request, typed, and the guard every UI view wears."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from django_htmx.http import HttpResponseClientRedirect

from guichet.access import policy
from guichet.agents.models import Agent
from guichet.core.errors import Forbidden


def agent_of(request: HttpRequest) -> Agent:
    """The agent behind a request that passed `agent_required`."""
    user = request.user
    if not isinstance(user, Agent):  # pragma: no cover - agent_required guarantees it
        raise TypeError("this view needs a logged-in agent")
    return user


def agent_required(
    view: Callable[..., HttpResponse],
) -> Callable[..., HttpResponse]:
    """Send anonymous requests to the login page, and come back after it.

    An HTMX request (search as you type after the session expired) cannot show a
    login page inside a fragment: htmx is told to load the login page instead,
    returning to the page the agent was on.
    """

    @wraps(view)
    def guarded(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if request.user.is_authenticated:
            return view(request, *args, **kwargs)
        htmx = getattr(request, "htmx", None)
        if htmx:
            back = htmx.current_url_abs_path or "/home/"
            return HttpResponseClientRedirect(redirect_to_login(back).url)
        return redirect_to_login(request.get_full_path())

    return guarded


def require(agent: Agent, action: str, obj: Model | None = None) -> None:
    """Ask the policy before showing a form for `action`; refuse with the 403 page.

    The service asks again when the form is sent: this only spares the agent a
    form they could never save.
    """
    if not policy.may(agent, action, obj):
        raise Forbidden(_("You may not do this."))
