"""The Agenda section: an agent's or a team's agenda by day, week and month;
meetings (plan, change, cancel, answer, book a room), events (organise, register,
unregister) and the rooms and equipment page (supervisors, administrators).

The agenda reads `guichet.agenda.entries` (every part of the agenda registers
its sources there); every rule is `guichet.agenda.meetings.services`'. The answer
page of an external participant (`/public/meetings/<token>/`) is public: the
token in its address is the only key, and its views are counted per client
address as the web form's status page is.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from guichet.access import policy
from guichet.access.domains.correspondence import Action as MinutesAction
from guichet.access.domains.meetings import Action
from guichet.agenda import entries
from guichet.agenda.meetings import selectors, services
from guichet.agenda.meetings.tokens import key_of
from guichet.agenda.minutes import selectors as minutes_selectors
from guichet.agenda.models import (
    Answer,
    Event,
    EventKind,
    Meeting,
    Resource,
    ResourceKind,
)
from guichet.agents.models import Agent, Team
from guichet.core.errors import Conflict, GuichetError, NotFound
from guichet.ui import workspace
from guichet.ui.agent import agent_of, agent_required
from guichet.ui.errors import ServiceForm, submit
from guichet.webforms import services as webform_services

workspace.register_section(
    workspace.Section(
        key="agenda",
        label=pgettext_lazy("calendar", "Agenda"),
        description=_(
            "Your agenda and your team's by day, week and month: plan meetings, "
            "book rooms and equipment, organise and join trainings."
        ),
        url_name="ui:agenda",
        action=Action.MEETING_VIEW,
        order=46,
    )
)

VIEWS = ("day", "week", "month")


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=_zone())


# ---------------------------------------------------------------- the agenda


@dataclass(frozen=True)
class Period:
    view: str
    first: dt.date
    last: dt.date  # included

    @property
    def start(self) -> dt.datetime:
        return _midnight(self.first)

    @property
    def end(self) -> dt.datetime:
        return _midnight(self.last + dt.timedelta(days=1))

    def days(self) -> Iterator[dt.date]:
        day = self.first
        while day <= self.last:
            yield day
            day += dt.timedelta(days=1)

    def shifted(self, step: int) -> dt.date:
        if self.view == "day":
            return self.first + dt.timedelta(days=step)
        if self.view == "week":
            return self.first + dt.timedelta(days=7 * step)
        month = self.first.month - 1 + step
        return dt.date(self.first.year + month // 12, month % 12 + 1, 1)


def _period(view: str, day: dt.date) -> Period:
    if view == "day":
        return Period(view, day, day)
    if view == "week":
        monday = day - dt.timedelta(days=day.weekday())
        return Period(view, monday, monday + dt.timedelta(days=6))
    first = day.replace(day=1)
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    return Period(view, first, last)


def _day_of(raw: str) -> dt.date:
    """The day asked for (YYYY-MM-DD, between the years 1900 and 2999), else today."""
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError:
        return timezone.localdate()
    return day if 1900 <= day.year <= 2999 else timezone.localdate()


@dataclass(frozen=True)
class DayRow:
    day: dt.date
    entries: list[entries.Entry]
    is_today: bool
    in_period: bool = True


def _rows(period: Period, found: list[entries.Entry]) -> list[DayRow]:
    today = timezone.localdate()
    by_day: dict[dt.date, list[entries.Entry]] = {}
    for entry in found:
        first = timezone.localtime(entry.start).date()
        last = timezone.localtime(entry.end - dt.timedelta(microseconds=1)).date()
        day = max(first, period.first)
        while day <= min(last, period.last):
            by_day.setdefault(day, []).append(entry)
            day += dt.timedelta(days=1)
    return [
        DayRow(day=day, entries=by_day.get(day, []), is_today=day == today)
        for day in period.days()
    ]


def _weeks(period: Period, rows: list[DayRow]) -> list[list[DayRow | None]]:
    """The month as weeks of seven days (Monday first); None outside the month."""
    cells: list[DayRow | None] = [None] * period.first.weekday() + list(rows)
    cells += [None] * (-len(cells) % 7)
    return [cells[i : i + 7] for i in range(0, len(cells), 7)]


def _whose(
    request: HttpRequest, viewer: Agent
) -> tuple[Agent | None, Team | None, str]:
    team_code = request.GET.get("team", "")
    if team_code:
        team = Team.objects.filter(code=team_code, is_active=True).first()
        if team is None:
            raise NotFound(_("No such team."))
        return None, team, team.name
    key = request.GET.get("agent", "")
    if key:
        agent = Agent.objects.filter(uuid=key_of(key), is_active=True).first()
        if agent is None:
            raise NotFound(_("No such agent."))
        return agent, None, agent.get_full_name() or agent.username
    return viewer, None, gettext("My agenda")


@agent_required
def agenda(request: HttpRequest) -> HttpResponse:
    """An agent's or a team's agenda by day, week or month."""
    viewer = agent_of(request)
    policy.require(viewer, Action.MEETING_VIEW)
    view = request.GET.get("view", "week")
    view = view if view in VIEWS else "week"
    period = _period(view, _day_of(request.GET.get("date", "")))
    agent, team, whose = _whose(request, viewer)
    if team is not None:
        found = entries.team_entries(
            viewer=viewer, team=team, start=period.start, end=period.end
        )
    else:
        assert agent is not None  # noqa: S101 - one of the two
        found = entries.agent_entries(
            viewer=viewer, agent=agent, start=period.start, end=period.end
        )
    rows = _rows(period, found)
    keep = {
        name: value
        for name, value in (
            ("agent", request.GET.get("agent", "")),
            ("team", request.GET.get("team", "")),
        )
        if value
    }

    def link(**changes: str) -> str:
        from urllib.parse import urlencode

        values = {"view": view, "date": period.first.isoformat(), **keep, **changes}
        return reverse("ui:agenda") + "?" + urlencode(values)

    colleagues = (
        Agent.objects.people()
        .filter(memberships__team_id__in=viewer.team_ids)
        .exclude(pk=viewer.pk)
        .distinct()
        .order_by("last_name", "first_name")
    )
    return render(
        request,
        "ui/agenda/agenda.html",
        {
            "period": period,
            "rows": rows,
            "weeks": _weeks(period, rows) if view == "month" else [],
            "whose": whose,
            "previous_url": link(date=period.shifted(-1).isoformat()),
            "next_url": link(date=period.shifted(1).isoformat()),
            "today_url": link(date=timezone.localdate().isoformat()),
            "view_urls": [
                (name, label, link(view=name), name == view)
                for name, label in (
                    ("day", _("Day")),
                    ("week", _("Week")),
                    ("month", _("Month")),
                )
            ],
            "colleagues": colleagues,
            "teams": Team.objects.filter(pk__in=viewer.team_ids).order_by("name"),
            "chosen_agent": request.GET.get("agent", ""),
            "chosen_team": request.GET.get("team", ""),
            "weekdays": [
                _midnight(period.first + dt.timedelta(days=i - period.first.weekday()))
                for i in range(7)
            ],
            "may_organise_events": policy.may(viewer, Action.EVENT_ORGANISE),
        },
    )


# ---------------------------------------------------------------- meetings


class TimedForm(ServiceForm):
    """A meeting's or an event's title, day, hours, place and description."""

    title = forms.CharField(label=_("Title"), max_length=200)
    day = forms.DateField(
        label=_("Day"), widget=forms.DateInput(attrs={"type": "date"})
    )
    start_time = forms.TimeField(
        label=_("From"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    end_time = forms.TimeField(
        label=_("Until"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _aware(day: dt.date, time: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, time, tzinfo=_zone())


class MeetingForm(TimedForm):
    agents = forms.MultipleChoiceField(
        label=_("Agents invited"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    guests = forms.CharField(
        label=_("External people invited"),
        help_text=_("One e-mail address a line."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    resources = forms.MultipleChoiceField(
        label=_("Rooms and equipment to book"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self, *args: Any, viewer: Agent, editing: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        agents_field = self.fields["agents"]
        assert isinstance(agents_field, forms.MultipleChoiceField)  # noqa: S101
        agents_field.choices = [
            (str(agent.uuid), agent.get_full_name() or agent.username)
            for agent in Agent.objects.people()
            .exclude(pk=viewer.pk)
            .order_by("last_name", "first_name")
        ]
        if editing:
            del self.fields["resources"]
        else:
            resources_field = self.fields["resources"]
            assert isinstance(resources_field, forms.MultipleChoiceField)  # noqa: S101
            resources_field.choices = [
                (str(resource.uuid), resource.name)
                for resource in selectors.resources_list(agent=viewer)
            ]

    def guest_list(self) -> list[str]:
        return [
            line.strip()
            for line in self.cleaned_data.get("guests", "").splitlines()
            if line.strip()
        ]


def _rename(name: str) -> str:
    return {"start": "start_time", "end": "end_time", "emails": "guests"}.get(
        name, name
    )


@agent_required
@require_http_methods(["GET", "POST"])
def meeting_new(request: HttpRequest) -> HttpResponse:
    viewer = agent_of(request)
    policy.require(viewer, Action.MEETING_ORGANISE)
    form = MeetingForm(
        request.POST or None,
        viewer=viewer,
        initial={"day": _day_of(request.GET.get("date", ""))},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = submit(
                form,
                lambda: services.meeting_create(
                    actor=viewer,
                    title=data["title"],
                    start=_aware(data["day"], data["start_time"]),
                    end=_aware(data["day"], data["end_time"]),
                    place=data["place"],
                    description=data["description"],
                    agents=data["agents"],
                    guests=form.guest_list(),
                    resources=data["resources"],
                    link_base=request.build_absolute_uri("/public/meetings/"),
                ),
                rename=_rename,
            )
        except Conflict as refused:
            form.add_error(None, refused.text)
            meeting = None
        if meeting is not None:
            messages.success(
                request,
                gettext("The meeting is planned; the invitations are on their way."),
            )
            return HttpResponseRedirect(
                reverse("ui:agenda_meeting", args=[meeting.uuid])
            )
    return render(
        request,
        "ui/agenda/meeting_form.html",
        {
            "form": form,
            "title": gettext("Plan a meeting"),
            "cancel_url": reverse("ui:agenda"),
        },
        status=422 if form.errors else 200,
    )


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Your answer"),
        choices=[
            (value, label)
            for value, label in Answer.choices
            if value != Answer.NEEDS_ACTION
        ],
        widget=forms.RadioSelect,
    )


class BookForm(ServiceForm):
    resource = forms.ChoiceField(label=_("Room or equipment"))


def _book_form(viewer: Agent, data: Any = None) -> BookForm:
    form = BookForm(data)
    field = form.fields["resource"]
    assert isinstance(field, forms.ChoiceField)  # noqa: S101
    field.choices = [
        (str(resource.uuid), f"{resource.name} ({resource.get_kind_display()})")
        for resource in selectors.resources_list(agent=viewer)
    ]
    return form


@agent_required
@require_http_methods(["GET", "POST"])
def meeting_page(request: HttpRequest, meeting_id: str) -> HttpResponse:
    viewer = agent_of(request)
    seen = selectors.meeting_get_for_agent(agent=viewer, key=meeting_id)
    meeting = seen.obj
    book_form = _book_form(viewer, request.POST if "book" in request.POST else None)
    answer_form = AnswerForm(request.POST if "answer" in request.POST else None)
    status = 200
    if request.method == "POST" and "book" in request.POST and book_form.is_valid():
        try:
            services.resource_book(
                actor=viewer,
                resource_id=book_form.cleaned_data["resource"],
                meeting_id=meeting.uuid,
            )
        except GuichetError as refused:
            if isinstance(refused, NotFound):
                raise
            book_form.add_error("resource", refused.text)
            status = refused.status
        else:
            messages.success(request, gettext("Booked."))
            return HttpResponseRedirect(request.path)
    if request.method == "POST" and "release" in request.POST:
        services.booking_release(
            actor=viewer,
            resource_id=request.POST.get("release", ""),
            meeting_id=meeting.uuid,
        )
        messages.success(request, gettext("Freed."))
        return HttpResponseRedirect(request.path)
    if request.method == "POST" and "answer" in request.POST and answer_form.is_valid():
        services.meeting_answer(
            actor=viewer,
            meeting_id=meeting.uuid,
            answer=answer_form.cleaned_data["answer"],
        )
        messages.success(request, gettext("Your answer is recorded."))
        return HttpResponseRedirect(request.path)
    if request.method == "POST" and status == 200:
        status = 422
    participants = selectors.meeting_participants(meeting)
    mine = next((p for p in participants if p.agent_id == viewer.pk), None)
    return render(
        request,
        "ui/agenda/meeting.html",
        {
            "meeting": meeting,
            "seen": seen,
            "participants": participants,
            "mine": mine,
            "bookings": meeting.bookings.filter(
                cancelled_at__isnull=True
            ).select_related("resource"),
            "book_form": book_form,
            "answer_form": answer_form,
            "may_edit": seen.may(Action.MEETING_EDIT) and not meeting.is_cancelled,
            "may_answer": seen.may(Action.MEETING_ANSWER) and not meeting.is_cancelled,
            "minutes": (
                minutes_selectors.minutes_of_meeting(agent=viewer, meeting=meeting)
                if policy.may(viewer, MinutesAction.MINUTES_VIEW)
                else []
            ),
            # Minutes are written once the meeting has begun, never of a
            # cancelled one (agenda.minutes.services.minutes_create).
            "may_write_minutes": policy.may(viewer, MinutesAction.MINUTES_CREATE)
            and not meeting.is_cancelled
            and meeting.start <= timezone.now(),
        },
        status=status,
    )


@agent_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request: HttpRequest, meeting_id: str) -> HttpResponse:
    viewer = agent_of(request)
    seen = selectors.meeting_get_for_agent(agent=viewer, key=meeting_id)
    seen.require(Action.MEETING_EDIT)
    meeting = seen.obj
    participants = selectors.meeting_participants(meeting)
    local_start = timezone.localtime(meeting.start)
    form = MeetingForm(
        request.POST or None,
        viewer=viewer,
        editing=True,
        initial={
            "title": meeting.title,
            "day": local_start.date(),
            "start_time": local_start.time(),
            "end_time": timezone.localtime(meeting.end).time(),
            "place": meeting.place,
            "description": meeting.description,
            "agents": [str(p.agent.uuid) for p in participants if p.agent],
            "guests": "\n".join(p.email for p in participants if not p.agent),
            "version": meeting.version,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            changed = submit(
                form,
                lambda: services.meeting_update(
                    actor=viewer,
                    meeting_id=meeting.uuid,
                    expected_version=data["version"] or 0,
                    title=data["title"],
                    start=_aware(data["day"], data["start_time"]),
                    end=_aware(data["day"], data["end_time"]),
                    place=data["place"],
                    description=data["description"],
                    agents=data["agents"],
                    guests=form.guest_list(),
                ),
                rename=_rename,
            )
        except Conflict as refused:
            form.add_error(None, refused.text)
            changed = None
        if changed is not None:
            messages.success(
                request, gettext("The meeting is changed; the participants are told.")
            )
            return HttpResponseRedirect(
                reverse("ui:agenda_meeting", args=[meeting.uuid])
            )
    return render(
        request,
        "ui/agenda/meeting_form.html",
        {
            "form": form,
            "title": gettext("Change the meeting"),
            "cancel_url": reverse("ui:agenda_meeting", args=[meeting.uuid]),
        },
        status=409 if form.stale else (422 if form.errors else 200),
    )


class VersionForm(ServiceForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


def _confirm_cancel(
    request: HttpRequest,
    *,
    obj: Meeting | Event,
    cancel: Callable[[int], object],
    done_message: str,
    done_url: str,
    back_url: str,
    title: str,
    consequence: str,
) -> HttpResponse:
    """The confirmation page of a cancellation, and its POST (version-checked)."""
    form = VersionForm(request.POST or None, initial={"version": obj.version})
    if request.method == "POST" and form.is_valid():
        done = submit(form, lambda: cancel(form.cleaned_data["version"]))
        if done is not None:
            messages.success(request, done_message)
            return HttpResponseRedirect(done_url)
    return render(
        request,
        "ui/agenda/confirm.html",
        {
            "form": form,
            "title": title,
            "what": obj.title,
            "consequence": consequence,
            "action_label": title,
            "cancel_url": back_url,
        },
        status=409 if form.stale else 200,
    )


@agent_required
@require_http_methods(["GET", "POST"])
def meeting_cancel(request: HttpRequest, meeting_id: str) -> HttpResponse:
    viewer = agent_of(request)
    seen = selectors.meeting_get_for_agent(agent=viewer, key=meeting_id)
    seen.require(Action.MEETING_EDIT)
    meeting = seen.obj
    return _confirm_cancel(
        request,
        obj=meeting,
        cancel=lambda version: services.meeting_cancel(
            actor=viewer, meeting_id=meeting.uuid, expected_version=version
        ),
        done_message=gettext("The meeting is cancelled; the participants are told."),
        done_url=reverse("ui:agenda"),
        back_url=reverse("ui:agenda_meeting", args=[meeting.uuid]),
        title=gettext("Cancel the meeting"),
        consequence=gettext(
            "Its rooms and equipment are freed and every participant receives "
            "the cancellation."
        ),
    )


# ---------------------------------------------------------------- events


class EventForm(TimedForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=EventKind.choices)
    capacity = forms.IntegerField(label=_("Seats"), min_value=1, max_value=100000)
    field_order = ["kind", "title", "day", "start_time", "end_time", "capacity"]


@agent_required
def event_list(request: HttpRequest) -> HttpResponse:
    viewer = agent_of(request)
    policy.require(viewer, Action.EVENT_REGISTER)
    today = timezone.localdate()
    found = selectors.events_between(
        agent=viewer,
        start=_midnight(today),
        end=_midnight(today + dt.timedelta(days=366)),
    )
    return render(
        request,
        "ui/agenda/events.html",
        {
            "events": [(event, selectors.event_seats_taken(event)) for event in found],
            "may_organise": policy.may(viewer, Action.EVENT_ORGANISE),
        },
    )


@agent_required
@require_http_methods(["GET", "POST"])
def event_new(request: HttpRequest) -> HttpResponse:
    viewer = agent_of(request)
    policy.require(viewer, Action.EVENT_ORGANISE)
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        event = submit(
            form,
            lambda: services.event_create(
                actor=viewer,
                kind=data["kind"],
                title=data["title"],
                start=_aware(data["day"], data["start_time"]),
                end=_aware(data["day"], data["end_time"]),
                capacity=data["capacity"],
                place=data["place"],
                description=data["description"],
            ),
            rename=_rename,
        )
        if event is not None:
            return HttpResponseRedirect(reverse("ui:agenda_event", args=[event.uuid]))
    return render(
        request,
        "ui/agenda/event_form.html",
        {"form": form},
        status=422 if form.errors else 200,
    )


@agent_required
@require_http_methods(["GET", "POST"])
def event_page(request: HttpRequest, event_id: str) -> HttpResponse:
    viewer = agent_of(request)
    seen = selectors.event_get_for_agent(agent=viewer, key=event_id)
    event: Event = seen.obj
    registrations = selectors.event_registrations(agent=viewer, event=event)
    mine = next((r for r in registrations if r.agent_id == viewer.pk), None)
    if request.method == "POST":
        try:
            if "register" in request.POST:
                done = services.event_register(actor=viewer, event_id=event.uuid)
                messages.success(
                    request,
                    gettext("You are registered.")
                    if done.status == "registered"
                    else gettext("The event is full: you are on the waiting list."),
                )
            elif "unregister" in request.POST and mine is not None:
                services.event_unregister(actor=viewer, registration_id=mine.uuid)
                messages.success(request, gettext("Your registration is cancelled."))
        except Conflict as refused:
            messages.error(request, refused.text)
        return HttpResponseRedirect(request.path)
    return render(
        request,
        "ui/agenda/event.html",
        {
            "event": event,
            "seen": seen,
            "registrations": registrations,
            "mine": mine,
            "seats_taken": selectors.event_seats_taken(event),
            "manages": seen.may(Action.EVENT_MANAGE),
            "may_cancel": seen.may(Action.EVENT_MANAGE) and not event.is_cancelled,
        },
    )


@agent_required
@require_http_methods(["GET", "POST"])
def event_cancel(request: HttpRequest, event_id: str) -> HttpResponse:
    viewer = agent_of(request)
    seen = selectors.event_get_for_agent(agent=viewer, key=event_id)
    seen.require(Action.EVENT_MANAGE)
    event: Event = seen.obj
    return _confirm_cancel(
        request,
        obj=event,
        cancel=lambda version: services.event_cancel(
            actor=viewer, event_id=event.uuid, expected_version=version
        ),
        done_message=gettext(
            "The event is cancelled; everyone registered or waiting is told."
        ),
        done_url=reverse("ui:agenda_events"),
        back_url=reverse("ui:agenda_event", args=[event.uuid]),
        title=gettext("Cancel the event"),
        consequence=gettext(
            "Its rooms and equipment are freed and everyone registered or on the "
            "waiting list receives an e-mail."
        ),
    )


# ---------------------------------------------------------------- resources


class ResourceForm(ServiceForm):
    code = forms.SlugField(label=_("Code"), max_length=50)
    name = forms.CharField(label=_("Name"), max_length=150)
    kind = forms.ChoiceField(label=_("Kind"), choices=ResourceKind.choices)
    capacity = forms.IntegerField(label=_("Capacity"), required=False, min_value=1)
    features = forms.CharField(
        label=_("Features"),
        help_text=_("Separated by commas: screen, videoconference."),
        required=False,
        max_length=500,
    )
    location = forms.CharField(label=_("Location"), max_length=200, required=False)
    is_active = forms.BooleanField(label=_("In use"), required=False, initial=True)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def feature_list(self) -> list[str]:
        return [
            part.strip()
            for part in self.cleaned_data.get("features", "").split(",")
            if part.strip()
        ]


@agent_required
@require_http_methods(["GET", "POST"])
def resource_list(request: HttpRequest) -> HttpResponse:
    viewer = agent_of(request)
    policy.require(viewer, Action.RESOURCE_BOOK)
    manages = policy.may(viewer, Action.RESOURCE_MANAGE)
    form = ResourceForm(request.POST or None) if manages else None
    if form is not None:
        del form.fields["is_active"]
    if request.method == "POST":
        policy.require(viewer, Action.RESOURCE_MANAGE)
        assert form is not None  # noqa: S101
        if form.is_valid():
            data = form.cleaned_data
            created = submit(
                form,
                lambda: services.resource_create(
                    actor=viewer,
                    code=data["code"],
                    name=data["name"],
                    kind=data["kind"],
                    capacity=data["capacity"],
                    features=form.feature_list(),
                    location=data["location"],
                ),
            )
            if created is not None:
                messages.success(request, gettext("Added."))
                return HttpResponseRedirect(request.path)
    return render(
        request,
        "ui/agenda/resources.html",
        {
            "resources": selectors.resources_list(
                agent=viewer, include_inactive=manages
            ),
            "form": form,
            "manages": manages,
        },
        status=422 if form is not None and form.errors else 200,
    )


@agent_required
@require_http_methods(["GET", "POST"])
def resource_edit(request: HttpRequest, resource_id: str) -> HttpResponse:
    viewer = agent_of(request)
    seen = selectors.resource_get_for_agent(agent=viewer, key=resource_id)
    seen.require(Action.RESOURCE_MANAGE)
    resource: Resource = seen.obj
    form = ResourceForm(
        request.POST or None,
        initial={
            "code": resource.code,
            "name": resource.name,
            "kind": resource.kind,
            "capacity": resource.capacity,
            "features": ", ".join(resource.features),
            "location": resource.location,
            "is_active": resource.is_active,
            "version": resource.version,
        },
    )
    form.fields["code"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changed = submit(
            form,
            lambda: services.resource_update(
                actor=viewer,
                resource_id=resource.uuid,
                expected_version=data["version"] or 0,
                name=data["name"],
                kind=data["kind"],
                capacity=data["capacity"],
                features=form.feature_list(),
                location=data["location"],
                is_active=data["is_active"],
            ),
        )
        if changed is not None:
            messages.success(request, gettext("Saved."))
            return HttpResponseRedirect(reverse("ui:agenda_resources"))
    today = timezone.localdate()
    return render(
        request,
        "ui/agenda/resource_form.html",
        {
            "form": form,
            "resource": resource,
            "bookings": selectors.resource_bookings(
                agent=viewer,
                resource=resource,
                start=_midnight(today),
                end=_midnight(today + dt.timedelta(days=31)),
            ),
        },
        status=409 if form.stale else (422 if form.errors else 200),
    )


# ---------------------------------------------------------------- public answer


def _address(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", ""))


@require_http_methods(["GET", "POST"])
def meeting_public(request: HttpRequest, token: str) -> HttpResponse:
    """An external participant's page: the meeting as the invitation shows it
    (title, time, place, organiser) and their own answer; nobody else's."""
    institution = settings.INSTITUTION_NAME
    if not webform_services.rate_allow(
        scope="meeting", address=_address(request), limit=settings.WEBFORMS_STATUS_LIMIT
    ):
        response = render(
            request, "ui/webforms/busy.html", {"institution": institution}, status=429
        )
        response["Retry-After"] = str(int(webform_services.RATE_WINDOW.total_seconds()))
        return response
    try:
        participant = selectors.meeting_public(token=token)
    except NotFound as missing:
        raise Http404 from missing
    form = AnswerForm(request.POST or None, initial={"answer": participant.answer})
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            participant = services.meeting_answer_public(
                token=token, answer=form.cleaned_data["answer"]
            )
        except Conflict as refused:
            form.add_error(None, refused.text)
            status = refused.status
        else:
            messages.success(request, gettext("Thank you: your answer is recorded."))
            return HttpResponseRedirect(request.path)
    meeting: Meeting = participant.meeting
    response = render(
        request,
        "ui/agenda/public.html",
        {
            "institution": institution,
            "meeting": meeting,
            "organiser": meeting.organiser.get_full_name()
            or meeting.organiser.username,
            "participant": participant,
            "form": form,
        },
        status=status,
    )
    # The token is in the address: never send it to another site.
    response["Referrer-Policy"] = "same-origin"
    return response
