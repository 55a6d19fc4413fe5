"""Data quality: the contradictions in the data an agent resolves (issue #19).

Registers the "Data quality" section (`report.quality_view`: the agents who keep
the data up to date). The summary counts the findings of each check; each check's
page lists them, a page at a time, with a link to the person or dossier screen
where the agent corrects the data, and exports them as CSV or XLSX in the agent's
language. The checks are `reports.quality`'s: only what the agent may see, nothing
stored (a finding disappears once the data is fixed). See docs/data-quality.md.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from guichet.access import policy
from guichet.access.domains.parties import Action as PartiesAction
from guichet.access.domains.reports import Action
from guichet.agents.models import Agent
from guichet.core import clock, tabular
from guichet.reports import quality
from guichet.ui import workspace
from guichet.ui.agent import agent_of, agent_required
from guichet.ui.views.correspondence.common import _file

workspace.register_section(
    workspace.Section(
        key="quality",
        label=_("Data quality"),
        description=_(
            "Contradictions in the data to resolve: birth dates against the "
            "national number, postal codes of another municipality, expired "
            "identity documents on open dossiers."
        ),
        url_name="ui:quality_checks",
        action=Action.QUALITY_VIEW,
        order=48,
    )
)


@dataclass(frozen=True)
class Row:
    """A finding as the page shows it: the record, and where to correct it."""

    finding: quality.Finding
    record_url: str
    fix_url: str


def _row(agent: Agent, finding: quality.Finding) -> Row:
    kind, key = finding.target
    if kind == "dossier":
        url = reverse("ui:dossier_detail", args=[key])
        return Row(finding=finding, record_url=url, fix_url=url)
    record = reverse("ui:person_detail", args=[key])
    fix = record
    if finding.address is not None and policy.may(
        agent, PartiesAction.PERSON_EDIT_CONTACT
    ):
        fix = reverse("ui:person_address_edit", args=[key, finding.address.uuid])
    elif finding.address is None and policy.may(
        agent, PartiesAction.PERSON_EDIT_IDENTITY
    ):
        fix = reverse("ui:person_edit", args=[key])
    return Row(finding=finding, record_url=record, fix_url=fix)


@agent_required
def quality_checks(request: HttpRequest) -> HttpResponse:
    agent = agent_of(request)
    policy.require(agent, Action.QUALITY_VIEW)
    counts = quality.summary(agent=agent)
    return render(
        request,
        "ui/quality/checks.html",
        {
            "to_resolve": [row for row in counts if row.check in quality.TO_RESOLVE],
            "kept": [row for row in counts if row.check not in quality.TO_RESOLVE],
        },
    )


def _page_number(request: HttpRequest) -> int:
    try:
        return max(int(request.GET.get("page", "1")), 1)
    except ValueError:
        return 1


@agent_required
def quality_check(request: HttpRequest, check: str) -> HttpResponse:
    agent = agent_of(request)
    policy.require(agent, Action.QUALITY_VIEW)
    if check not in quality.CHECKS:
        raise Http404
    export = request.GET.get("format", "")
    if export in tabular.CONTENT_TYPES:
        found = quality.findings(agent=agent, check=check)
        language = translation.get_language() or agent.language
        table = quality.table(check, found, language=language)
        return _file(
            tabular.render(table, export),
            tabular.CONTENT_TYPES[export],
            tabular.filename(f"{check}-{clock.today().isoformat()}", export),
        )
    page = quality.findings_page(agent=agent, check=check, page=_page_number(request))
    return render(
        request,
        "ui/quality/check_findings.html",
        {
            "check": check,
            "title": quality.TITLES[check],
            "description": quality.DESCRIPTIONS[check],
            "page": page,
            "rows": [_row(agent, finding) for finding in page.findings],
            "query": "",
        },
    )
