"""The agent's home page: the search, their teams and roles, the sections they may use.

Also registers the sections that are not a domain's: home and administration (the
Django admin, where administrators keep reference data and accounts).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from guichet.access import policy
from guichet.access.domains.administration import Action as AdminAction
from guichet.agents.selectors import access_requests_seen_by
from guichet.dossiers.selectors import my_dossier_tasks
from guichet.ui import search, workspace
from guichet.ui.agent import agent_of, agent_required
from guichet.ui.views.servicerequests import my_work

workspace.register_section(
    workspace.Section(
        key="home",
        label=_("Home"),
        description=_("Your teams, roles and the work you may do."),
        url_name="ui:home",
        action=None,
        order=0,
    )
)
workspace.register_section(
    workspace.Section(
        key="administration",
        label=_("Administration"),
        description=_("Teams, agents, roles and reference data."),
        url_name="admin:index",
        action=AdminAction.REFERENCE_MANAGE,
        order=900,
    )
)


@agent_required
def home(request: HttpRequest) -> HttpResponse:
    agent = agent_of(request)
    return render(
        request,
        "ui/home.html",
        {
            "memberships": agent.memberships.select_related("team").order_by(
                "team__name"
            ),
            "roles": agent.roles.order_by("code"),
            "sections": [
                section
                for section in workspace.sections_for(agent)
                if section.key != "home"
            ],
            "may_search": search.available_to(agent),
            "access_requests": access_requests_seen_by(
                agent,
                with_teams=policy.may(agent, AdminAction.TEAM_ACCESS_HISTORY),
            ),
            "work": my_work(agent),
            "dossier_tasks": my_dossier_tasks(agent=agent),
        },
    )
