"""Topics are reference data kept by administrators (access: `topic.manage`).

A topic in use is never deleted (the contacts and requests that name it protect
it); it is renamed, moved or set inactive, and every save is audited.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from guichet.agents.admin import AuditedAdmin

from .models import Topic


@admin.register(Topic)
class TopicAdmin(AuditedAdmin):
    list_display = (
        "code",
        "name_fr",
        "name_nl",
        "name_de",
        "name_en",
        "team",
        "parent",
    )
    list_filter = ("team", "is_active")
    search_fields = ("code", "name_fr", "name_nl", "name_de", "name_en")
    ordering = ("team", "order", "code")
    readonly_fields = ("version",)

    def save_model(
        self, request: HttpRequest, obj: Any, form: Any, change: bool
    ) -> None:
        if change:
            obj.version += 1
        super().save_model(request, obj, form, change)
