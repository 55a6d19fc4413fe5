"""Django admin for correspondence's reference data: letter types, templates (with a
preview and their version history) and letterheads.

Open to administrators only (access.domains.administration.ADMIN_MODELS). Template
saves go through `services.template_save`: checked, versioned and audited. Two
administrators saving the same template both keep their text: each save is a version.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

import yaml

from guichet.agents.admin import AuditedAdmin, acting_agent
from guichet.core.errors import GuichetError
from guichet.core.validation import Problems

from . import placeholders, preview, templating
from .models import (
    Brochure,
    Letterhead,
    LetterTemplate,
    LetterTemplateVersion,
    LetterType,
)
from .services import (
    brochure_add,
    brochure_withdraw,
    template_check,
    template_save,
)
from .services.templates import BROCHURE_TYPES


@admin.register(LetterType)
class LetterTypeAdmin(AuditedAdmin):
    """Letter types; one with a topic is a standard answer on it (issue #15)."""

    list_display = ["code", "name", "kind", "topic", "is_standard", "is_active"]
    list_filter = ["kind", "is_standard", "is_active", "topic"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["topic"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Letters point to their type: deactivate it instead.
        return False


class BrochureForm(forms.ModelForm):  # type: ignore[type-arg]  # django-stubs wants the model
    upload = forms.FileField(
        label=_("file"),
        required=False,
        help_text=_("A PDF, PNG or JPEG file, 10 MB at most."),
    )

    class Meta:
        model = Brochure
        fields = ["letter_type", "language", "title", "is_active"]

    def clean_upload(self) -> Any:
        upload = self.cleaned_data.get("upload")
        if self.instance.pk is None and upload is None:
            raise forms.ValidationError(_("Choose the file to send."))
        if upload is not None:
            head = upload.read(8)
            upload.seek(0)
            if not any(head.startswith(magic) for magic in BROCHURE_TYPES.values()):
                raise forms.ValidationError(
                    _("Send a PDF, PNG or JPEG file with letters.")
                )
        return upload


@admin.register(Brochure)
class BrochureAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Brochures sent with a letter type's letters. A new file is added through
    `services.brochure_add` (checked, archived, audited); its bytes never change:
    withdraw it (untick "active") and add the new edition."""

    form = BrochureForm
    list_display = ["title", "letter_type", "language", "filename", "is_active"]
    list_filter = ["is_active", "language"]
    search_fields = ["title", "filename", "letter_type__code"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        if obj is None:
            return []
        return ["letter_type", "language", "title", "filename", "media_type", "size"]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return ["letter_type", "language", "title", "upload"]
        return [*self.get_readonly_fields(request, obj), "is_active"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(
        self, request: HttpRequest, obj: Any, form: Any, change: bool
    ) -> None:
        actor = acting_agent(request)
        try:
            if change:
                # The form already set the instance's field: decide on the row.
                if not obj.is_active:
                    brochure_withdraw(
                        actor=actor, brochure=Brochure.objects.get(pk=obj.pk)
                    )
                return
            upload = form.cleaned_data.get("upload")
            saved = brochure_add(
                actor=actor,
                letter_type=form.cleaned_data["letter_type"],
                language=form.cleaned_data.get("language") or "",
                title=form.cleaned_data.get("title") or "",
                filename=upload.name if upload else "",
                data=upload.read() if upload else b"",
            )
        except GuichetError as error:
            raise PermissionDenied(str(error)) from error
        obj.pk, obj.uuid = saved.pk, saved.uuid


@admin.register(Letterhead)
class LetterheadAdmin(AuditedAdmin):
    list_display = ["prefix", "team", "name_fr", "name_nl", "email"]
    search_fields = ["prefix", "team__code", "name_fr", "name_nl", "name_de", "name_en"]
    autocomplete_fields = ["team"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # Numbers already given carry the prefix: it cannot change afterwards.
        return ["prefix", "team"] if obj is not None else []

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


DECLARATIONS_HELP = _(
    "One entry per free field of the texts ({{ free.name }}): its type (date, time, "
    "amount, text or choice) and its label in fr, nl, de and en; a choice lists its "
    "options, each with its labels. For example:"
)
DECLARATIONS_EXAMPLE = """deadline:
  type: date
  label: {fr: Date limite, nl: Uiterste datum, de: Frist, en: Deadline}"""


class TemplateForm(forms.ModelForm):  # type: ignore[type-arg]  # django-stubs wants the model
    declarations = forms.CharField(
        label=_("free fields"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12, "cols": 100}),
        help_text=format_html(
            "{}<pre>{}</pre>", DECLARATIONS_HELP, DECLARATIONS_EXAMPLE
        ),
    )

    class Meta:
        model = LetterTemplate
        fields = ["letter_type", "language", "title", "subject", "body", "is_active"]
        widgets = {"body": forms.Textarea(attrs={"rows": 24, "cols": 100})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.fields:
            self.initial["declarations"] = yaml.safe_dump(
                self.instance.fields, allow_unicode=True, sort_keys=False
            )

    def clean_declarations(self) -> Any:
        written = self.cleaned_data.get("declarations") or ""
        try:
            return yaml.safe_load(written) if written.strip() else {}
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            line = mark.line + 1 if mark is not None else 1
            raise forms.ValidationError(
                _("Line %(line)d: this is not valid YAML."), params={"line": line}
            ) from None

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        letter_type = cleaned.get("letter_type") or getattr(
            self.instance, "letter_type", None
        )
        if letter_type is None or "declarations" not in cleaned:
            return cleaned
        problems = Problems()
        template_check(
            problems,
            kind=letter_type.kind,
            title=cleaned.get("title", ""),
            subject=cleaned.get("subject", ""),
            body=cleaned.get("body", ""),
            fields=cleaned["declarations"],
        )
        for error in problems.errors:
            name = error.field.split(".", 1)[0]
            name = "declarations" if name == "fields" else name
            self.add_error(name if name in self.fields else None, error.text)
        return cleaned


class VersionInline(admin.TabularInline):  # type: ignore[type-arg]
    model = LetterTemplateVersion
    extra = 0
    can_delete = False
    fields = ("number", "title", "subject", "free_fields", "created_by", "created_at")
    readonly_fields = fields
    ordering = ["-number"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(LetterTemplate)
class LetterTemplateAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    form = TemplateForm
    list_display = [
        "letter_type",
        "language",
        "title",
        "version",
        "is_active",
        "preview_link",
    ]
    list_filter = ["language", "is_active", "letter_type__kind"]
    search_fields = ["letter_type__code", "title", "subject"]
    readonly_fields = ("version", "preview_link", "available_placeholders")
    fields = [
        "letter_type",
        "language",
        "title",
        "subject",
        "body",
        "declarations",
        "is_active",
        "version",
        "preview_link",
        "available_placeholders",
    ]
    inlines = [VersionInline]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Letters point to the versions of a template: deactivate it instead.
        return False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        fixed = ["letter_type", "language"] if obj is not None else []
        return [*fixed, *LetterTemplateAdmin.readonly_fields]

    @admin.display(description=_("preview"))
    def preview_link(self, obj: LetterTemplate) -> str:
        if obj.pk is None:
            return "-"
        url = reverse("admin:correspondence_lettertemplate_preview", args=[obj.pk])
        return format_html(
            '<a href="{}" target="_blank">{}</a>', url, _("Preview as PDF")
        )

    @admin.display(description=_("placeholders"))
    def available_placeholders(self, obj: LetterTemplate) -> str:
        rows = format_html_join(
            "", "<li><code>{{{{ {} }}}}</code> {}</li>", placeholders.catalogue()
        )
        note = _(
            "and {{ free.any_name }} for a field the agent fills in, declared under "
            "free fields."
        )
        return format_html("<ul>{}</ul><p>{}</p>", rows, note)

    def save_model(
        self, request: HttpRequest, obj: LetterTemplate, form: Any, change: bool
    ) -> None:
        data = form.cleaned_data
        letter_type = obj.letter_type if change else data["letter_type"]
        language = obj.language if change else data["language"]
        try:
            saved = template_save(
                actor=acting_agent(request),
                letter_type=letter_type,
                language=language,
                title=data["title"],
                subject=data["subject"],
                body=data["body"],
                fields=data["declarations"],
                is_active=data["is_active"],
            )
        except GuichetError as error:
            raise PermissionDenied(error.text) from error
        obj.pk, obj.version = saved.pk, saved.version

    def get_urls(self) -> list[URLPattern]:
        own = [
            path(
                "<int:object_id>/preview/",
                self.admin_site.admin_view(self.preview_view),
                name="correspondence_lettertemplate_preview",
            )
        ]
        return [*own, *super().get_urls()]

    def preview_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        agent = acting_agent(request)
        if agent is None or not self.has_view_permission(request):
            raise PermissionDenied
        template = get_object_or_404(
            LetterTemplate.objects.select_related("letter_type"), pk=object_id
        )
        head = Letterhead.objects.select_related("team").order_by("prefix").first()
        if head is None:
            return HttpResponse(
                _("Create a letterhead first: the preview prints one."),
                status=409,
                content_type="text/plain; charset=utf-8",
            )
        try:
            rendered = preview.template_preview(
                kind=template.letter_type.kind,
                language=template.language,
                subject=template.subject,
                body=template.body,
                head=head,
                agent=agent,
                declared=template.fields,
            )
        except templating.MissingValues as missing:
            return HttpResponse(
                _("No value for: %(names)s") % {"names": ", ".join(missing.names)},
                status=422,
                content_type="text/plain; charset=utf-8",
            )
        response = HttpResponse(rendered.data, content_type="application/pdf")
        response["Content-Disposition"] = (
            f'inline; filename="{template.letter_type.code}-{template.language}-v{template.version}.pdf"'
        )
        return response
