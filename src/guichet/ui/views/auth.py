"""Log in and out, and the language switch."""

from __future__ import annotations

from django.conf import settings
from django.contrib import auth
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from guichet.agents.models import Agent
from guichet.agents.services import agent_set_language
from guichet.core.errors import ValidationFailed


class LoginView(auth_views.LoginView):
    """The login page, at `/`; an agent already logged in goes to the workspace."""

    template_name = "ui/auth/login.html"
    redirect_authenticated_user = True


def locked_out(
    request: HttpRequest, response: HttpResponse | None, credentials: object = None
) -> HttpResponse:
    """The login page again, saying that logins are paused (django-axes calls it when
    a username or an address has had too many wrong passwords): 429, translated."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    form = AuthenticationForm(request)
    return render(
        request,
        LoginView.template_name,
        {"form": form, "locked_out": True, "minutes": minutes, "next": ""},
        status=429,
    )


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    auth.logout(request)
    return redirect("ui:login")


@require_POST
def language_set(request: HttpRequest) -> HttpResponse:
    """Switch the interface language, then reload the page the agent was on.

    A logged-in agent's choice is remembered in their profile (every device, every
    session); before logging in, a cookie remembers it on this browser.
    """
    language = request.POST.get("language", "")
    if language not in dict(settings.LANGUAGES):
        return HttpResponse(status=400)
    user = request.user
    if isinstance(user, Agent):
        try:
            agent_set_language(agent=user, language=language)
        except ValidationFailed:  # pragma: no cover - the language was checked above
            return HttpResponse(status=400)
    translation.activate(language)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/home/" if isinstance(user, Agent) else "/"
    response = HttpResponseRedirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response
