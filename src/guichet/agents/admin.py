"""Django admin for reference data: teams, roles, agents and their tokens.

Open to agents with the admin role only (access.domains.administration); every
change goes through the same audit trail as the rest (see `save_model`).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from guichet.audit.services import audit_record

from .models import Agent, ApiToken, Membership, Role, Team


def acting_agent(request: HttpRequest) -> Agent | None:
    """The agent using the admin (an administrator: the admin site lets no one else in)."""
    return request.user if isinstance(request.user, Agent) else None


class AuditedAdmin(admin.ModelAdmin):  # type: ignore[type-arg]  # shared by several models
    """Write an audit record for every change made through the admin."""

    def save_model(
        self, request: HttpRequest, obj: Any, form: Any, change: bool
    ) -> None:
        super().save_model(request, obj, form, change)
        audit_record(
            actor=acting_agent(request),
            action=f"{obj._meta.model_name}.{'update' if change else 'create'}",
            obj=obj,
            summary={"fields": sorted(form.changed_data), "via": "admin"},
        )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        audit_record(
            actor=acting_agent(request),
            action=f"{obj._meta.model_name}.delete",
            obj=obj,
            summary={"via": "admin", "label": str(obj)},
        )
        super().delete_model(request, obj)


class MembershipInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Membership
    extra = 0
    autocomplete_fields = ["team"]


@admin.register(Team)
class TeamAdmin(AuditedAdmin):
    list_display = ["code", "name", "language", "email", "is_active"]
    list_filter = ["is_active", "language"]
    search_fields = ["code", "name"]
    ordering = ["name"]


@admin.register(Role)
class RoleAdmin(AuditedAdmin):
    list_display = ["code", "__str__", "description"]
    readonly_fields = ["code"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Roles are the ones the access policy knows; they are created by migration.
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Agent)
class AgentAdmin(AuditedAdmin):
    list_display = [
        "username",
        "first_name",
        "last_name",
        "level",
        "language",
        "is_active",
    ]
    list_filter = ["is_active", "level", "roles", "teams"]
    search_fields = ["username", "first_name", "last_name", "email"]
    filter_horizontal = ["roles"]
    inlines = [MembershipInline]
    readonly_fields = ["last_login", "created_at", "updated_at"]
    fieldsets = [
        (
            None,
            {"fields": ["username", "first_name", "last_name", "email", "language"]},
        ),
        (_("Access"), {"fields": ["is_active", "level", "roles"]}),
        (_("History"), {"fields": ["last_login", "created_at", "updated_at"]}),
    ]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Agents are deactivated, never deleted: the audit trail names them.
        return False

    def save_related(
        self, request: HttpRequest, form: Any, formsets: Any, change: bool
    ) -> None:
        super().save_related(request, form, formsets, change)
        form.instance.forget_cached_access()


@admin.register(ApiToken)
class ApiTokenAdmin(AuditedAdmin):
    list_display = [
        "name",
        "agent",
        "prefix",
        "expires_at",
        "last_used_at",
        "revoked_at",
    ]
    list_filter = ["revoked_at"]
    search_fields = ["name", "prefix", "agent__username"]
    readonly_fields = [
        "agent",
        "name",
        "prefix",
        "expires_at",
        "last_used_at",
        "created_at",
    ]
    exclude = ["secret_hash"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Tokens are issued with `guichet token create`, which shows the secret once.
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
