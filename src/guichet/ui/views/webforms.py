"""The public web form and status pages (issue #16, point 6): no login, their own
simple base template (`ui/webforms/public_base.html`), the citizen's language
(the browser's, or the one they chose on the page).

Each view parses, calls one service or selector of `guichet.webforms`, renders.
Anti-spam refusals other than the rate limit (a form sent too fast or too long
after it was shown, the honeypot filled in, a forged stamp) all get the same
answer: the form shown again with the text kept, a fresh stamp and one generic
message, status 400. The check that failed is written only in the refusal
register, so a program learns nothing to adapt to, and a person who was merely
slow (or quick) sends again. The rate limit says what it is (429): a person on a
shared connection must know to come back later, and a program counting its own
requests would find the limit anyway.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_http_methods

from guichet.agents.models import Language
from guichet.core import clock
from guichet.core.errors import ValidationFailed
from guichet.ui.agent import agent_of, agent_required
from guichet.ui.downloads import download
from guichet.ui.errors import apply_errors
from guichet.ui.forms.webforms import WebForm
from guichet.webforms import antispam, selectors, services
from guichet.webforms.errors import FormClosed
from guichet.webforms.models import RefusalReason

_SENT_SALT = "guichet.ui.webforms.sent"
_SENT_MAX_AGE = 3600


def _language() -> str:
    code = (translation.get_language() or "")[:2]
    return code if code in Language.values else Language.FR


def _address(request: HttpRequest) -> str:
    # The client's address, as the login throttle counts it: ClientAddressMiddleware
    # has put the address a trusted proxy read (GUICHET_TRUSTED_PROXIES) here.
    return str(request.META.get("REMOTE_ADDR", ""))


def _form_page(
    request: HttpRequest, form: WebForm, *, refused: str = "", status: int = 200
) -> HttpResponse:
    data = request.POST.copy() if form.is_bound else None
    if data is not None:
        data["stamp"] = antispam.stamp_make(clock.now())
        # Never echoed: the page must not tell a program which field it filled.
        data["website"] = ""
        form.data = data
    else:
        form.initial["stamp"] = antispam.stamp_make(clock.now())
    return render(
        request,
        "ui/webforms/form.html",
        {"form": form, "refused": refused, "institution": settings.INSTITUTION_NAME},
        status=status,
    )


def _closed(request: HttpRequest, error: FormClosed) -> HttpResponse:
    return render(
        request,
        "ui/webforms/closed.html",
        {"error": error, "institution": settings.INSTITUTION_NAME},
        status=error.status,
    )


@require_http_methods(["GET", "POST"])
def webform(request: HttpRequest) -> HttpResponse:
    topics = selectors.public_topics(language=_language())
    if request.method != "POST":
        return _form_page(request, WebForm(topics=topics))
    form = WebForm(request.POST, request.FILES, topics=topics)
    reason = services.submission_screen(
        stamp=request.POST.get("stamp", ""),
        honeypot=request.POST.get("website", ""),
        address=_address(request),
    )
    if reason == RefusalReason.RATE_LIMITED:
        response = _form_page(request, form, refused="rate_limited", status=429)
        response["Retry-After"] = str(int(services.RATE_WINDOW.total_seconds()))
        return response
    if reason is not None:
        return _form_page(request, form, refused="generic", status=400)
    form.is_valid()
    cleaned = form.cleaned_data
    try:
        submission = services.submission_create(
            data=services.SubmissionInput(
                kind=cleaned.get("kind") or "",
                topic=cleaned.get("topic") or "",
                message=cleaned.get("message") or "",
                name=cleaned.get("name") or "",
                email=cleaned.get("email") or "",
                phone=cleaned.get("phone") or "",
                consent=bool(cleaned.get("consent")),
                language=_language(),
            ),
            uploads=[
                services.Upload(name=upload.name or "", file=upload)
                for upload in request.FILES.getlist("attachments")
            ],
            status_base=request.build_absolute_uri(
                reverse("ui:webform_status", kwargs={"token": "-"})
            ).removesuffix("-/"),
        )
    except FormClosed as error:
        return _closed(request, error)
    except ValidationFailed as error:
        apply_errors(form, error)
        return _form_page(request, form, status=400)
    sent = signing.dumps(submission.request.reference, salt=_SENT_SALT)
    return HttpResponseRedirect(f"{reverse('ui:webform_sent')}?r={sent}")


@require_http_methods(["GET"])
def webform_sent(request: HttpRequest) -> HttpResponse:
    try:
        reference = signing.loads(
            request.GET.get("r", ""), salt=_SENT_SALT, max_age=_SENT_MAX_AGE
        )
    except signing.BadSignature:
        raise Http404() from None
    return render(
        request,
        "ui/webforms/sent.html",
        {"reference": reference, "institution": settings.INSTITUTION_NAME},
    )


@require_http_methods(["GET"])
def webform_status(request: HttpRequest, token: str) -> HttpResponse:
    if not services.status_screen(address=_address(request)):
        response = render(
            request,
            "ui/webforms/busy.html",
            {"institution": settings.INSTITUTION_NAME},
            status=429,
        )
        response["Retry-After"] = str(int(services.RATE_WINDOW.total_seconds()))
        return response
    status = selectors.submission_status(token=token)
    if status is None:
        raise Http404()
    response = render(
        request,
        "ui/webforms/status.html",
        {"status": status, "institution": settings.INSTITUTION_NAME},
    )
    # The token is in the address: never send it to another site. (Not
    # "no-referrer": the browser would then send "Origin: null" with the language
    # switch's POST, which the CSRF check refuses.)
    response["Referrer-Policy"] = "same-origin"
    return response


@agent_required
def webform_file(request: HttpRequest, file_id: str) -> HttpResponse:
    """A file a citizen sent with the form, for an agent who sees its request."""
    found, handle = selectors.file_for_agent(agent=agent_of(request), file_id=file_id)
    return download(handle, content_type=found.content_type, name=f"file-{found.uuid}")
