"""The knowledge base where the work is: the "Procedure" panel of the request,
dossier and counter screens, the home page's block, and the link to report
feedback from any page. Each tag reads one selector for the logged-in agent."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language

from guichet.agents.models import Agent
from guichet.knowledge import selectors

register = template.Library()


def _agent(context: template.Context) -> Agent | None:
    request = context.get("request")
    user = getattr(request, "user", None)
    return user if isinstance(user, Agent) else None


@register.inclusion_tag("ui/knowledge/_procedure_panel.html", takes_context=True)
def procedure_panel(
    context: template.Context,
    topic: Any = None,
    case_type: str = "",
    status: str = "",
) -> dict[str, Any]:
    """The published articles for where the agent stands: this step of this case
    type, this topic, this screen."""
    agent = _agent(context)
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    screen = f"ui:{match.url_name}" if match is not None and match.url_name else ""
    helps = (
        selectors.articles_for_place(
            agent=agent,
            language=(get_language() or "fr")[:2],
            topic_id=getattr(topic, "pk", None),
            case_type_code=case_type or "",
            status_code=status or "",
            screen=screen,
        )
        if agent is not None
        else []
    )
    return {"helps": helps}


@register.inclusion_tag("ui/knowledge/_my_knowledge.html", takes_context=True)
def my_knowledge(context: template.Context) -> dict[str, Any]:
    agent = _agent(context)
    return {"mine": selectors.my_knowledge(agent=agent) if agent else None}


@register.simple_tag(takes_context=True)
def current_screen(context: template.Context) -> str:
    """The URL name of the page being shown (`ui:dossier_detail`)."""
    match = getattr(context.get("request"), "resolver_match", None)
    if match is None or not match.url_name:
        return ""
    return f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name
