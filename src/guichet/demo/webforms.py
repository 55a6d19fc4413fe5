"""Demo set-up of the public web form (/public/contact/). Idempotent.

The form acts as the agent `webform` (GUICHET_WEBFORMS_AGENT's default): a
first-line agent of the French contact center, without a password, so nobody logs
in as it. Its requests are routed by the demo's routing rules like any other
(by topic, then by language); English has no rule among the contact centers', so
the demo routes English requests to the French contact center too.
"""

from __future__ import annotations

from django.conf import settings

from guichet.agents.models import Agent, Team
from guichet.agents.services import agent_create
from guichet.servicerequests.services import routing_rule_ensure

TEAM = "cc-fr"


def build() -> int:
    """Ensure the form's agent and the routing of English requests; return how many
    agents were created."""
    created = 0
    if not Agent.objects.filter(username=settings.WEBFORMS_AGENT).exists():
        agent_create(
            actor=None,
            username=settings.WEBFORMS_AGENT,
            password=None,
            level="C",
            roles=["first_line"],
            teams=[TEAM],
            first_name="Web form",
            last_name="(public)",
            language="fr",
            check_password=False,
            system=True,
        )
        created = 1
    routing_rule_ensure(
        actor=None,
        team=Team.objects.get(code=TEAM),
        topic=None,
        language="en",
        order=60,
    )
    return created
