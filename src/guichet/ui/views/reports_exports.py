"""Exports of every list (issue #19 item 2): CSV streams, a long XLSX runs in the
background with a progress bar, and its file is downloaded by the agent who asked.

`GET reports/exports/<source>/<format>/?filters` validates the filters of the
registered source (`reports.exports.SOURCES`; bad filters: 422, nothing created)
and answers the file, or, for an XLSX above `GUICHET_EXPORT_BACKGROUND_ROWS`, a
page that offers to write it in the background (a POST creates the job). The job's
page polls its progress (htmx, no inline script) until the download link shows.
Another agent's job is a 404, like one that never existed.
"""

from __future__ import annotations

import uuid
from typing import cast

from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from guichet.core import tabular
from guichet.core.errors import NotFound, ValidationFailed
from guichet.reports import exports
from guichet.reports.models import ExportFormat
from guichet.ui.agent import agent_of, agent_required
from guichet.ui.views.correspondence.common import _file


def _language(request: HttpRequest) -> str:
    return translation.get_language() or agent_of(request).language or "fr"


def _invalid(
    request: HttpRequest, source: exports.Source, error: ValidationFailed
) -> HttpResponse:
    return render(
        request,
        "ui/reports/export_error.html",
        {"source": source, "error": error},
        status=422,
    )


@agent_required
def report_export(request: HttpRequest, source: str, fmt: str) -> HttpResponse:
    """The file of a list with the filters of the query string (or, when long,
    the offer to write it in the background; the POST starts it)."""
    agent = agent_of(request)
    found = exports.source_get(agent=agent, key=source)
    if fmt not in ExportFormat.values:
        raise NotFound(exports.NOT_FOUND)
    data = request.POST if request.method == "POST" else request.GET
    try:
        params = found.parse(agent, data)
    except ValidationFailed as error:
        return _invalid(request, found, error)
    language = _language(request)
    if request.method == "POST":
        job = exports.export_job_start(
            agent=agent, source=found, params=params, language=language, fmt=fmt
        )
        return HttpResponseRedirect(reverse("ui:report_export_job", args=[job.uuid]))
    rows = exports.is_background(agent=agent, source=found, params=params, fmt=fmt)
    if rows:
        return render(
            request,
            "ui/reports/export_confirm.html",
            {"source": found, "fmt": fmt, "params": params, "rows": rows},
        )
    table = exports.table(agent=agent, source=found, params=params, language=language)
    name = exports.filename(found, fmt)
    if fmt == ExportFormat.CSV:
        response = StreamingHttpResponse(
            tabular.csv_chunks(table), content_type=tabular.CONTENT_TYPES["csv"]
        )
        response["Content-Disposition"] = (
            content_disposition_header(as_attachment=True, filename=name) or ""
        )
        response["Cache-Control"] = "private, no-store"
        response["X-Content-Type-Options"] = "nosniff"
        # A streamed response is what the middleware and the test client take too;
        # `agent_required` is typed for the usual HttpResponse only.
        return cast(HttpResponse, response)
    return _file(tabular.to_xlsx(table), tabular.CONTENT_TYPES["xlsx"], name)


@agent_required
def report_export_job(request: HttpRequest, job_id: uuid.UUID) -> HttpResponse:
    """A background export: its progress, then its download, or why it failed."""
    job = exports.export_job_get_for_agent(agent=agent_of(request), job_id=job_id)
    return render(
        request,
        "ui/reports/export_job.html",
        {"job": job, "source": exports.SOURCES.get(job.source)},
    )


@agent_required
def report_export_progress(request: HttpRequest, job_id: uuid.UUID) -> HttpResponse:
    """The progress box, polled by htmx while the export is written."""
    job = exports.export_job_get_for_agent(agent=agent_of(request), job_id=job_id)
    return render(request, "ui/reports/_export_progress.html", {"job": job})


@agent_required
def report_export_file(request: HttpRequest, job_id: uuid.UUID) -> HttpResponse:
    job, data = exports.export_job_file(agent=agent_of(request), job_id=job_id)
    source = exports.SOURCES.get(job.source)
    stem = source.key if source else "export"
    return _file(
        data,
        tabular.CONTENT_TYPES[job.format],
        tabular.filename(f"{stem}-{job.created_at.date().isoformat()}", job.format),
    )


@require_POST
@agent_required
def report_export_retry(request: HttpRequest, job_id: uuid.UUID) -> HttpResponse:
    job = exports.export_job_retry(agent=agent_of(request), job_id=job_id)
    return HttpResponseRedirect(reverse("ui:report_export_job", args=[job.uuid]))
