"""The appointments panel of the dossier workbench: the dossier's appointments
and "Book an appointment", for an agent who may book (else nothing)."""

from __future__ import annotations

from typing import Any

from django import template

from guichet.access import policy
from guichet.access.domains.agenda_appointments import Action
from guichet.agenda.appointments import selectors
from guichet.agents.models import Agent

register = template.Library()


@register.inclusion_tag("ui/agenda/_dossier_panel.html", takes_context=True)
def appointments_panel(context: template.Context, dossier: Any) -> dict[str, Any]:
    request = context.get("request")
    agent = getattr(request, "user", None)
    if not isinstance(agent, Agent) or not policy.may(agent, Action.BOOK):
        return {"shown": False}
    return {
        "shown": True,
        "dossier": dossier,
        "appointments": selectors.appointments_of_dossier(agent=agent, dossier=dossier),
        "may_book": dossier.person_id is not None,
    }
