"""The logged-in agent of a UI request, typed, and the guard every UI view wears."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse

from django_htmx.http import HttpResponseClientRedirect

from guichet.agents.models import Agent


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
