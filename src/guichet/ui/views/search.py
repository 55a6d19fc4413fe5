"""The global search: results as the agent types (a fragment), or a full page."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from guichet.core.errors import Forbidden
from guichet.ui import search
from guichet.ui.agent import agent_of, agent_required

# Hits per group in the drop-down under the search bar; the full page shows more.
SUGGESTIONS = 8


@agent_required
def search_view(request: HttpRequest) -> HttpResponse:
    agent = agent_of(request)
    if not search.available_to(agent):
        raise Forbidden(_("You may not do this."))
    query = request.GET.get("q", "")[:200]
    group = request.GET.get("group", "")
    page = _page_number(request.GET.get("page", ""))
    if getattr(request, "htmx", False) and not group:
        results = search.run(agent=agent, query=query, page_size=SUGGESTIONS)
        return render(request, "ui/search/_search_results.html", {"results": results})
    results = search.run(
        agent=agent,
        query=query,
        only=group,
        page=page if group else 1,
        page_size=settings.SEARCH_PAGE_SIZE,
    )
    return render(
        request,
        "ui/search/search_results.html",
        {"results": results, "only_group": group, "page": page},
    )


def _page_number(raw: str) -> int:
    return int(raw) if raw.isdigit() and 0 < int(raw) < 10_000 else 1
