"""Django admin for case types: read-only lists, and an import form.

Open to administrators (`access.domains.administration.ADMIN_MODELS`). Nothing is
edited here: a version is written once, by `services.casetype_import`, from an
uploaded YAML file; the form shows every problem with its file and line, and
imports nothing when there is one.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext_lazy as _

from guichet.agents.admin import acting_agent

from . import services
from .errors import CaseTypeInvalid
from .models import CaseType, CaseTypeVersion

VERSION_FIELDS: tuple[str, ...] = (
    "number",
    "valid_from",
    "source_filename",
    "source_sha256",
    "imported_by",
    "created_at",
)
MAX_UPLOAD = 1_000_000  # bytes: a case type is a few hundred lines


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Case-type file (YAML)"),
        help_text=_("See docs/casetypes.md for the format."),
    )


class ReadOnly(admin.ModelAdmin):  # type: ignore[type-arg]  # shared by two models
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class VersionInline(admin.TabularInline):  # type: ignore[type-arg]
    model = CaseTypeVersion
    fields = VERSION_FIELDS
    readonly_fields = VERSION_FIELDS
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(CaseType)
class CaseTypeAdmin(ReadOnly):
    list_display = ["code", "name_en", "team"]
    search_fields = ["code", "name_fr", "name_nl", "name_de", "name_en"]
    readonly_fields = ["code", "name_fr", "name_nl", "name_de", "name_en", "team"]
    inlines = [VersionInline]
    change_list_template = "admin/casetypes/casetype/change_list.html"

    def get_urls(self) -> list[URLPattern]:
        own = [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="casetypes_casetype_import",
            )
        ]
        return [*own, *super().get_urls()]

    def import_view(self, request: HttpRequest) -> HttpResponse:
        agent = acting_agent(request)
        if agent is None or not self.has_view_permission(request):  # pragma: no cover
            raise PermissionDenied  # admin_view lets only administrators in
        problems: list[dict[str, Any]] = []
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            if upload.size > MAX_UPLOAD:
                form.add_error("file", _("The file is larger than 1 MB."))
            else:
                try:
                    outcome = services.casetype_import(
                        agent=agent, source=upload.read(), filename=upload.name
                    )
                except CaseTypeInvalid as invalid:
                    problems = [problem.as_dict() for problem in invalid.problems]
                else:
                    if outcome.status == services.IMPORTED:
                        text = _("%(code)s version %(version)s imported.")
                    else:
                        text = _("%(code)s unchanged (version %(version)s).")
                    messages.success(
                        request,
                        text % {"code": outcome.code, "version": outcome.number},
                    )
                    return HttpResponseRedirect(
                        reverse("admin:casetypes_casetype_changelist")
                    )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import a case type"),
            "form": form,
            "problems": problems,
        }
        return TemplateResponse(
            request, "admin/casetypes/casetype/import.html", context
        )


@admin.register(CaseTypeVersion)
class CaseTypeVersionAdmin(ReadOnly):
    list_display = ["case_type", "number", "valid_from", "imported_by", "created_at"]
    list_filter = ["case_type"]
    readonly_fields = [
        "case_type",
        "number",
        "valid_from",
        "source_filename",
        "source_sha256",
        "imported_by",
        "created_at",
        "source",
        "definition",
    ]
