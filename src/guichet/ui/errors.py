"""Domain errors as UI responses, in one place.

- `NotFound` (missing, or not visible to the agent): Django's own 404 page, so a
  confidential person and an id that never existed give the same answer.
- `Forbidden` (visible, but the agent may not do this): the 403 "you may not do
  this" page.
- Any other `GuichetError` that no form caught: an error page with its message
  and status (a conflict, say), never a stack trace.
- In a form (`submit`): `ValidationFailed` puts each field error next to its field;
  `StaleVersion` marks the form as stale, and the view shows the conflict.

HTMX requests get the same pages; htmx does not swap error responses, and the
search fragment only ever raises for an expired session (see `ui.agent.agent_required`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views import defaults

from guichet.core.errors import (
    Forbidden,
    GuichetError,
    NotFound,
    StaleVersion,
    ValidationFailed,
)

T = TypeVar("T")


class GuichetErrorMiddleware:
    """Turn a `GuichetError` escaping a UI view into its page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(
        self, request: HttpRequest, exception: Exception
    ) -> HttpResponse | None:
        if not isinstance(exception, GuichetError):
            return None
        return error_response(request, exception)


def error_response(request: HttpRequest, error: GuichetError) -> HttpResponse:
    if isinstance(error, NotFound):
        # The very page Django shows for an unknown URL: nothing tells them apart.
        return defaults.page_not_found(request, Http404())
    if isinstance(error, Forbidden):
        return defaults.permission_denied(request, PermissionDenied(error.text))
    return render(
        request, "ui/errors/error.html", {"error": error}, status=error.status
    )


class ServiceForm(forms.Form):
    """A form that feeds one service; `stale` is set when the service refused a
    stale version (the record changed since the form was shown)."""

    stale: StaleVersion | None = None


def apply_errors(
    form: forms.Form,
    error: ValidationFailed,
    *,
    prefix: str = "",
    rename: Callable[[str], str] | None = None,
) -> None:
    """Put each field error of `error` on the form field of the same name.

    Service field names may carry a prefix (`phone.number`); `prefix` is removed
    first, then `rename`, if given, maps the service's name to the form's
    (`free_values.date` to `free_date`, say). An error on a field the form does
    not show goes on top of the form.
    """
    for field_error in error.errors:
        name = field_error.field.removeprefix(prefix)
        if rename is not None:
            name = rename(name)
        form.add_error(name if name in form.fields else None, field_error.text)
    if not error.errors:
        form.add_error(None, error.text)


def submit(
    form: ServiceForm,
    call: Callable[[], T],
    *,
    prefix: str = "",
    rename: Callable[[str], str] | None = None,
) -> T | None:
    """Run a service for a bound, valid form; on refusal, show why on the form.

    Returns the service's result, or None when it refused: field errors are on the
    form, and a stale version sets `form.stale` (and a message on top).
    """
    try:
        return call()
    except ValidationFailed as error:
        apply_errors(form, error, prefix=prefix, rename=rename)
    except StaleVersion as error:
        form.stale = error
        form.add_error(None, error.text)
    return None
