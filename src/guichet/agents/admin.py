"""Django admin for reference data: teams, roles, agents and their tokens.

Open to agents with the admin role only (access.domains.administration); every
change goes through the same audit trail as the rest (see `save_model`). Changes
to an agent's roles, level and teams are settled by `services.access_changed`:
recorded before and after, never on one's own account, and grants wait for a
second administrator (`AccessRequestAdmin`; docs/adr/0004).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from guichet.audit.services import audit_record
from guichet.core.errors import GuichetError

from .models import AccessRequest, Agent, ApiToken, Membership, Role, Team
from .services import (
    AccessSnapshot,
    access_changed,
    access_request_approve,
    access_request_refuse,
    access_snapshot,
)


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


def _is_self(request: HttpRequest, obj: Any) -> bool:
    return obj is not None and obj.pk is not None and obj.pk == request.user.pk


class MembershipInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Membership
    extra = 0
    autocomplete_fields = ["team"]

    # Nobody changes their own teams (docs/adr/0004).
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _is_self(request, obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _is_self(request, obj) and super().has_change_permission(
            request, obj
        )

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _is_self(request, obj) and super().has_delete_permission(
            request, obj
        )


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

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = list(super().get_readonly_fields(request, obj))
        if _is_self(request, obj):
            # Nobody changes their own roles or level (docs/adr/0004).
            fields += ["level", "roles"]
        return fields

    def save_model(
        self, request: HttpRequest, obj: Any, form: Any, change: bool
    ) -> None:
        # The access before the change, read from the database before it is saved.
        request._access_before = (  # type: ignore[attr-defined]  # per request, not per admin
            access_snapshot(obj)
            if change
            else AccessSnapshot(level=obj.level, roles=frozenset(), teams={})
        )
        super().save_model(request, obj, form, change)

    def save_related(
        self, request: HttpRequest, form: Any, formsets: Any, change: bool
    ) -> None:
        super().save_related(request, form, formsets, change)
        agent = form.instance
        agent.forget_cached_access()
        settled = access_changed(
            actor=acting_agent(request),
            agent=agent,
            before=request._access_before,  # type: ignore[attr-defined]  # set by save_model
            via="admin",
        )
        if settled.pending:
            messages.warning(
                request,
                ngettext(
                    "%(count)d grant waits for a second administrator's approval "
                    "(Access requests).",
                    "%(count)d grants wait for a second administrator's approval "
                    "(Access requests).",
                    len(settled.pending),
                )
                % {"count": len(settled.pending)},
            )


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


@admin.register(AccessRequest)
class AccessRequestAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Grants waiting for a second administrator: approve or refuse them here."""

    list_display = [
        "agent",
        "kind",
        "target_label",
        "status",
        "requested_by",
        "created_at",
        "decided_by",
        "decided_at",
    ]
    list_filter = ["status", "kind"]
    search_fields = ["agent__username", "requested_by__username"]
    actions = ["approve", "refuse"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Requests come from changes to an agent (AgentAdmin), never typed in.
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def _decide(
        self, request: HttpRequest, queryset: QuerySet[AccessRequest], decide: Any
    ) -> None:
        actor = acting_agent(request)
        if actor is None:  # pragma: no cover - the admin site lets only agents in
            return
        done = 0
        for item in queryset:
            try:
                decide(actor=actor, request=item)
            except GuichetError as error:
                messages.error(request, f"{item}: {error.text}")
            else:
                done += 1
        if done:
            messages.success(
                request,
                ngettext(
                    "%(count)d request decided.", "%(count)d requests decided.", done
                )
                % {"count": done},
            )

    @admin.action(description=_("Approve the selected requests"))
    def approve(self, request: HttpRequest, queryset: QuerySet[AccessRequest]) -> None:
        self._decide(request, queryset, access_request_approve)

    @admin.action(description=_("Refuse the selected requests"))
    def refuse(self, request: HttpRequest, queryset: QuerySet[AccessRequest]) -> None:
        self._decide(request, queryset, access_request_refuse)
