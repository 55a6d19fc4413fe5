"""Routing and service-level rules, kept by administrators (`routing.manage`).

A service-level rule that a request uses is never edited (the request keeps the
rule it was created under): the admin shows it read-only and offers to add a new
rule and set the old one inactive, which is the only field still open.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from guichet.agents.admin import AuditedAdmin

from .models import RoutingRule, ServiceLevelRule


@admin.register(RoutingRule)
class RoutingRuleAdmin(AuditedAdmin):
    list_display = ("topic", "language", "priority", "team", "order", "is_active")
    list_filter = ("team", "language", "is_active")
    ordering = ("order", "id")


@admin.register(ServiceLevelRule)
class ServiceLevelRuleAdmin(AuditedAdmin):
    list_display = (
        "kind",
        "topic",
        "priority",
        "first_answer_hours",
        "resolution_hours",
        "is_active",
    )
    list_filter = ("kind", "is_active")

    def get_readonly_fields(
        self, request: HttpRequest, obj: Any = None
    ) -> list[str] | tuple[str, ...]:
        if obj is not None and obj.requests.exists():
            return [
                "kind",
                "topic",
                "priority",
                "first_answer_hours",
                "resolution_hours",
                "warn_before_hours",
            ]
        return ()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.requests.exists():
            return False
        return super().has_delete_permission(request, obj)
