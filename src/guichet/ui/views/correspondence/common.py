"""The correspondence screens' shared helpers and their place in the workspace."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _

from guichet.access.domains.correspondence import Action
from guichet.agents.models import Agent, Team
from guichet.ui import workspace
from guichet.ui.errors import ServiceForm, submit
from guichet.ui.forms.correspondence import (
    letter_field,
)

T = TypeVar("T")


workspace.register_section(
    workspace.Section(
        key="correspondence",
        label=_("Correspondence"),
        description=_(
            "Letters waiting for approval or to be sent, incoming mail, minutes."
        ),
        url_name="ui:correspondence",
        action=Action.LETTER_DISPATCH,
        order=40,
    )
)


workspace.register_person_tab(
    workspace.PersonTab(
        key="letters",
        label=_("Letters"),
        url_name="ui:person_letters",
        action=Action.LETTER_VIEW,
        order=500,
    )
)


def _call(form: ServiceForm, call: Callable[[], T]) -> T | None:
    """Run a letter service; its free-field errors go next to the form's fields."""
    return submit(form, call, rename=letter_field)


def _teams(agent: Agent) -> list[tuple[str, str]]:
    return [
        (team.code, team.name)
        for team in Team.objects.filter(pk__in=agent.team_ids, is_active=True).order_by(
            "code"
        )
    ]


def _file(
    data: bytes, content_type: str, filename: str, *, inline: bool = False
) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    # RFC 6266: a name that is not plain ASCII goes in `filename*` (a scan named
    # in Cyrillic letters would otherwise break the header).
    response["Content-Disposition"] = (
        content_disposition_header(as_attachment=not inline, filename=filename)
        or "inline"
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _pdf_name(number: str | None, fallback: str) -> str:
    return f"{(number or fallback).replace('/', '-')}.pdf"
