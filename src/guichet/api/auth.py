"""API authentication: bearer tokens for machines, the session for the browser."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import translation

from ninja.security import HttpBearer, SessionAuth

from guichet.agents.models import Agent
from guichet.agents.services import token_authenticate


def _use_agent_language(request: HttpRequest, agent: Agent) -> None:
    """With no Accept-Language header, answer in the agent's own language."""
    language: str = getattr(agent, "language", "")
    if language and "Accept-Language" not in request.headers:
        translation.activate(language)
        request.LANGUAGE_CODE = language


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        agent = token_authenticate(token)
        if agent is not None:
            request.user = agent
            _use_agent_language(request, agent)
        return agent


class AgentSession(SessionAuth):
    """The logged-in agent of the web UI; CSRF-checked on unsafe methods."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        agent = super().authenticate(request, key)
        if agent is not None:
            _use_agent_language(request, agent)
        return agent
