"""Django admin for the calendars: opening hours, closing days, teams' calendars.

Open to administrators only (`access.domains.calendars.ADMIN_MODELS`). Every save
and delete goes through `services`, which validate, write the audit record (as
`agents.admin.AuditedAdmin` does for the other admin screens), move the calendar's
version and clear the cached descriptions. The form checks the opening hours with
the services' own rules, so an error shows next to its weekday.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from guichet.agents.admin import acting_agent
from guichet.core.errors import GuichetError
from guichet.core.validation import Problems

from . import services
from .models import (
    DEFAULT_CODE,
    WEEKDAY_FIELDS,
    BusinessCalendar,
    ClosingDay,
    TeamCalendar,
)


def _refused(error: GuichetError) -> PermissionDenied:
    return PermissionDenied(error.text)


class CalendarForm(forms.ModelForm):  # type: ignore[type-arg]  # django-stubs wants the model
    class Meta:
        model = BusinessCalendar
        fields = [
            "code",
            "name",
            "time_zone",
            *WEEKDAY_FIELDS,
            "closes_on_public_holidays",
        ]

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        problems = Problems()
        creating = self.instance.pk is None
        values = services.calendar_check(
            problems,
            code=cleaned.get("code", "") if creating else None,
            name=cleaned.get("name", ""),
            time_zone=cleaned.get("time_zone", ""),
            weekly_hours=[cleaned.get(name, "") for name in WEEKDAY_FIELDS],
            closes_on_public_holidays=cleaned.get("closes_on_public_holidays", True),
        )
        for error in problems.errors:
            if error.field in self.errors:
                continue  # the field's own check already said what is wrong
            self.add_error(
                error.field if error.field in self.fields else None, error.text
            )
        if not problems.errors:
            cleaned.update(values)  # the hours in their canonical spelling
        return cleaned


class ClosingDayInline(admin.TabularInline):  # type: ignore[type-arg]
    model = ClosingDay
    extra = 1
    fields = ["date", "reason"]
    ordering = ["-date"]


@admin.register(BusinessCalendar)
class BusinessCalendarAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    form = CalendarForm
    list_display = ["code", "name", "time_zone", "closes_on_public_holidays"]
    search_fields = ["code", "name"]
    inlines = [ClosingDayInline]
    fieldsets = [
        (None, {"fields": ["code", "name", "time_zone", "closes_on_public_holidays"]}),
        (_("Opening hours"), {"fields": list(WEEKDAY_FIELDS)}),
    ]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # Scripts and the default calendar are found by their code.
        return ["code"] if obj is not None else []

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and (obj.code == DEFAULT_CODE or obj.team_links.exists()):
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # one by one, through the service
        return actions

    def save_model(
        self, request: HttpRequest, obj: BusinessCalendar, form: Any, change: bool
    ) -> None:
        data = form.cleaned_data
        fields = {
            "name": data["name"],
            "time_zone": data["time_zone"],
            "weekly_hours": [data[name] for name in WEEKDAY_FIELDS],
            "closes_on_public_holidays": data["closes_on_public_holidays"],
        }
        actor = acting_agent(request)
        try:
            if change:
                saved = services.calendar_update(actor=actor, calendar=obj, **fields)
            else:
                saved = services.calendar_create(
                    actor=actor, code=data["code"], **fields
                )
        except GuichetError as error:
            raise _refused(error) from error
        obj.pk, obj.version = saved.pk, saved.version
        obj._state.adding = False

    def save_formset(
        self, request: HttpRequest, form: Any, formset: Any, change: bool
    ) -> None:
        actor = acting_agent(request)
        calendar = form.instance
        formset.save(commit=False)
        try:
            for day in formset.deleted_objects:
                services.closing_day_remove(actor=actor, closing_day=day)
            for day, _fields in formset.changed_objects:
                services.closing_day_update(
                    actor=actor,
                    closing_day=ClosingDay.objects.get(pk=day.pk),
                    date=day.date,
                    reason=day.reason,
                )
            for day in formset.new_objects:
                services.closing_day_add(
                    actor=actor, calendar=calendar, date=day.date, reason=day.reason
                )
        except GuichetError as error:
            raise _refused(error) from error

    def delete_model(self, request: HttpRequest, obj: BusinessCalendar) -> None:
        try:
            services.calendar_delete(actor=acting_agent(request), calendar=obj)
        except GuichetError as error:
            raise _refused(error) from error


@admin.register(TeamCalendar)
class TeamCalendarAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["team", "calendar"]
    search_fields = ["team__code", "team__name", "calendar__code"]
    autocomplete_fields = ["team"]
    fields = ["team", "calendar"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["team"] if obj is not None else []

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def save_model(
        self, request: HttpRequest, obj: TeamCalendar, form: Any, change: bool
    ) -> None:
        try:
            link = services.team_calendar_set(
                actor=acting_agent(request), team=obj.team, calendar=obj.calendar
            )
        except GuichetError as error:
            raise _refused(error) from error
        if link is not None:
            obj.pk = link.pk
            obj._state.adding = False

    def delete_model(self, request: HttpRequest, obj: TeamCalendar) -> None:
        try:
            services.team_calendar_set(
                actor=acting_agent(request), team=obj.team, calendar=None
            )
        except GuichetError as error:
            raise _refused(error) from error
