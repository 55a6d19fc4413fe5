"""Appointments: a team's day, booking a citizen on a free slot, moving,
cancelling, no-show and served, the person's "Appointments" tab, and the offers
(supervisors). Registers the "Appointments" section and the tab; the dossier's
panel is `templatetags/guichet_agenda.py`. Every rule is in
`guichet.agenda.appointments.services`; these views read a form, call one service
and show its refusal next to the field or on top of the form.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from guichet.access import policy
from guichet.access.domains.agenda_appointments import Action
from guichet.agenda.appointments import selectors, services
from guichet.agenda.models import Appointment, Offer
from guichet.agenda.models.appointments import WEEKDAY_FIELDS, AppointmentStatus
from guichet.agents.models import Agent, Team
from guichet.core import clock
from guichet.core.errors import GuichetError, ValidationFailed
from guichet.parties.selectors import person_get_for_agent
from guichet.ui import workspace
from guichet.ui.agent import agent_of, agent_required
from guichet.ui.errors import ServiceForm, submit
from guichet.ui.forms.agenda_appointments import (
    CancelForm,
    DayForm,
    OfferForm,
    SlotChoiceForm,
    SlotSearchForm,
    VersionForm,
    set_choices,
)
from guichet.ui.views.contacts import person_tabs
from guichet.visits.appointments import ticket_check_in
from guichet.visits.selectors import desks_for_agent

workspace.register_section(
    workspace.Section(
        key="appointments",
        label=_("Appointments"),
        description=_(
            "Citizens' appointments: a team's day, booking on a free slot, moving, "
            "cancelling, no-shows."
        ),
        url_name="ui:appointments",
        action=Action.BOOK,
        order=47,
    )
)
workspace.register_person_tab(
    workspace.PersonTab(
        key="appointments",
        label=_("Appointments"),
        url_name="ui:person_appointments",
        action=Action.BOOK,
        order=450,
    )
)

# The free slots shown at once when booking or moving.
DAYS_SHOWN = 7


def _teams(agent: Agent) -> list[Team]:
    return list(
        Team.objects.filter(pk__in=agent.team_ids, is_active=True).order_by("code")
    )


def _try(form: ServiceForm, call: Any) -> Any:
    """`submit`, and a conflict (a full slot, a wrong state) on top of the form."""
    try:
        return submit(form, call)
    except ValidationFailed:  # pragma: no cover - submit handles it
        raise
    except GuichetError as error:
        if error.status in (404, 403):
            raise
        form.add_error(None, error.text)
        return None


@agent_required
def appointments_day(request: HttpRequest) -> HttpResponse:
    """A team's appointments of one day."""
    agent = agent_of(request)
    policy.require(agent, Action.BOOK)
    teams = _teams(agent)
    form = DayForm(request.GET or None)
    set_choices(form, "team", [(team.code, team.name) for team in teams])
    chosen = teams[0] if teams else None
    day = clock.today()
    if form.is_bound and form.is_valid():
        chosen = next(
            (team for team in teams if team.code == form.cleaned_data["team"]), chosen
        )
        day = form.cleaned_data["day"] or day
    rows: list[Appointment] = []
    if chosen is not None:
        start, end = selectors.team_day_bounds(chosen, day)
        rows = selectors.appointments_of_team(
            agent=agent, team=chosen, start=start, end=end, include_cancelled=True
        )
    return render(
        request,
        "ui/agenda/appointments_day.html",
        {
            "form": form,
            "team": chosen,
            "day": day,
            "previous": day - dt.timedelta(days=1),
            "next": day + dt.timedelta(days=1),
            "appointments": rows,
            "may_manage": policy.may(agent, Action.OFFER_MANAGE),
        },
    )


def _slot_choices(
    agent: Agent, offer: Offer, first: dt.date, exclude: Appointment | None = None
) -> list[tuple[str, str]]:
    """The slots of `offer` from `first`, free or full, as radio choices."""
    now = clock.now()
    choices = []
    for slot in selectors.offer_slots(
        agent=agent,
        offer=offer,
        first=first,
        last=first + dt.timedelta(days=DAYS_SHOWN - 1),
    ):
        if slot.start <= now or slot.agent_away:
            continue
        free = slot.free + (
            1 if exclude is not None and exclude.start == slot.start else 0
        )
        when = formats.date_format(timezone.localtime(slot.start), "D d/m/Y H:i")
        label = (
            ngettext(
                "%(when)s (%(free)d place free)",
                "%(when)s (%(free)d places free)",
                free,
            )
            % {"when": when, "free": free}
            if free > 0
            else gettext("%(when)s (full)") % {"when": when}
        )
        choices.append((slot.start.isoformat(), label))
    return choices


def _start(form: SlotChoiceForm) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(form.cleaned_data["start"])
    except (KeyError, ValueError):
        return None


def _search(
    request: HttpRequest, agent: Agent, offers: list[Offer], chosen: Offer | None
) -> tuple[SlotSearchForm, Offer | None, dt.date]:
    search = SlotSearchForm(
        request.GET if "day" in request.GET else None,
        initial={"offer": str(chosen.uuid) if chosen else "", "day": clock.today()},
    )
    set_choices(
        search,
        "offer",
        [
            (
                str(offer.uuid),
                f"{offer.name(request.LANGUAGE_CODE)} · {offer.team.name}",
            )
            for offer in offers
        ],
    )
    first = clock.today()
    if search.is_bound and search.is_valid():
        first = max(search.cleaned_data["day"], first)
        chosen = next(
            (o for o in offers if str(o.uuid) == search.cleaned_data["offer"]), chosen
        )
    return search, chosen, first


@agent_required
def appointment_book(request: HttpRequest) -> HttpResponse:
    """Book a person (and their dossier) on a free slot of an offer."""
    agent = agent_of(request)
    policy.require(agent, Action.BOOK)
    person = person_get_for_agent(
        agent=agent, person_id=request.GET.get("person", "")
    ).obj
    dossier = (
        selectors.dossier_for_agent(agent=agent, key=request.GET["dossier"])
        if request.GET.get("dossier")
        else None
    )
    offers = selectors.offers_for_agent(agent=agent)
    if dossier is not None:
        offers = [o for o in offers if o.team_id == dossier.team_id] or offers
    chosen = next((o for o in offers if str(o.uuid) == request.GET.get("offer")), None)
    chosen = chosen or (offers[0] if offers else None)
    search, chosen, first = _search(request, agent, offers, chosen)
    choices = _slot_choices(agent, chosen, first) if chosen else []
    form = SlotChoiceForm(request.POST or None, choices=choices)
    if request.method == "POST" and chosen is not None and form.is_valid():
        booked = _try(
            form,
            lambda: services.appointment_book(
                actor=agent,
                offer=chosen,
                person=person,
                start=_start(form),  # type: ignore[arg-type]
                dossier=dossier,
                note=form.cleaned_data.get("note", ""),
            ),
        )
        if booked is not None:
            messages.success(
                request,
                gettext("Appointment %(reference)s booked.")
                % {"reference": booked.reference},
            )
            return HttpResponseRedirect(reverse("ui:appointment", args=[booked.uuid]))
    return render(
        request,
        "ui/agenda/appointment_book.html",
        {
            "person": person,
            "dossier": dossier,
            "offer": chosen,
            "search": search,
            "form": form,
            "title": gettext("Book an appointment"),
            "button": gettext("Book"),
        },
    )


def _appointment(request: HttpRequest, key: uuid.UUID) -> tuple[Agent, Appointment]:
    agent = agent_of(request)
    policy.require(agent, Action.BOOK)
    return agent, selectors.appointment_get_for_agent(agent=agent, key=key).obj


@agent_required
def appointment_detail(request: HttpRequest, key: uuid.UUID) -> HttpResponse:
    agent, appointment = _appointment(request, key)
    return render(
        request,
        "ui/agenda/appointment_detail.html",
        {
            "item": appointment,
            "booked": appointment.status == AppointmentStatus.BOOKED,
            "open": appointment.status
            in (AppointmentStatus.BOOKED, AppointmentStatus.CHECKED_IN),
            "started": appointment.start <= clock.now(),
            "version_form": VersionForm(initial={"version": appointment.version}),
            "messages_sent": appointment.messages.order_by("created_at"),
            "sites": _sites(agent)
            if appointment.status == AppointmentStatus.BOOKED
            else [],
        },
    )


def _sites(agent: Agent) -> list[Any]:
    """The sites of the desks the agent works at (where a citizen checks in)."""
    return list(dict.fromkeys(desk.site for desk in desks_for_agent(agent=agent)))


@agent_required
def appointment_check_in(request: HttpRequest, key: uuid.UUID) -> HttpResponse:
    """The citizen arrived at the desk: a ticket of the queue, called first at
    their time (as a check-in at the kiosk)."""
    agent, appointment = _appointment(request, key)
    site = next((s for s in _sites(agent) if s.code == request.POST.get("site")), None)
    if request.method == "POST" and site is not None:
        try:
            ticket = ticket_check_in(site=site, reference=appointment.reference)
        except GuichetError as error:
            if error.status == 403:
                raise
            messages.error(request, error.text)
        else:
            messages.success(
                request,
                gettext("Checked in: ticket %(ticket)s.") % {"ticket": ticket.label},
            )
    return HttpResponseRedirect(reverse("ui:appointment", args=[appointment.uuid]))


@agent_required
def appointment_move(request: HttpRequest, key: uuid.UUID) -> HttpResponse:
    agent, appointment = _appointment(request, key)
    offer = appointment.offer
    search, _offer, first = _search(request, agent, [offer], offer)
    choices = _slot_choices(agent, offer, first, exclude=appointment)
    form = SlotChoiceForm(request.POST or None, choices=choices)
    if request.method == "POST" and form.is_valid():
        moved = _try(
            form,
            lambda: services.appointment_move(
                actor=agent,
                appointment=appointment,
                start=_start(form),  # type: ignore[arg-type]
                expected_version=int(request.POST.get("version", 0) or 0),
            ),
        )
        if moved is not None:
            messages.success(
                request,
                gettext("Appointment %(reference)s moved.")
                % {"reference": moved.reference},
            )
            return HttpResponseRedirect(reverse("ui:appointment", args=[moved.uuid]))
    return render(
        request,
        "ui/agenda/appointment_book.html",
        {
            "person": appointment.person,
            "dossier": appointment.dossier,
            "offer": offer,
            "search": search,
            "form": form,
            "moving": appointment,
            "title": gettext("Move appointment %(reference)s")
            % {"reference": appointment.reference},
            "button": gettext("Move"),
        },
    )


@agent_required
def appointment_cancel(request: HttpRequest, key: uuid.UUID) -> HttpResponse:
    agent, appointment = _appointment(request, key)
    form = CancelForm(request.POST or None, initial={"version": appointment.version})
    if request.method == "POST" and form.is_valid():
        done = _try(
            form,
            lambda: services.appointment_cancel(
                actor=agent,
                appointment=appointment,
                expected_version=form.cleaned_data["version"],
                reason=form.cleaned_data["reason"],
            ),
        )
        if done is not None:
            messages.success(
                request,
                gettext("Appointment %(reference)s cancelled.")
                % {"reference": done.reference},
            )
            return HttpResponseRedirect(reverse("ui:appointment", args=[done.uuid]))
    return render(
        request,
        "ui/agenda/appointment_cancel.html",
        {"item": appointment, "form": form},
    )


def _end(request: HttpRequest, key: uuid.UUID, service: Any, done: str) -> HttpResponse:
    agent, appointment = _appointment(request, key)
    form = VersionForm(request.POST)
    if request.method == "POST" and form.is_valid():
        try:
            ended = service(
                actor=agent,
                appointment=appointment,
                expected_version=form.cleaned_data["version"],
            )
        except GuichetError as error:
            if error.status in (403, 404):
                raise
            messages.error(request, error.text)
        else:
            messages.success(request, done % {"reference": ended.reference})
    return HttpResponseRedirect(reverse("ui:appointment", args=[appointment.uuid]))


@agent_required
def appointment_no_show(request: HttpRequest, key: uuid.UUID) -> HttpResponse:
    return _end(
        request,
        key,
        services.appointment_no_show,
        gettext("Appointment %(reference)s: the citizen did not come."),
    )


@agent_required
def appointment_served(request: HttpRequest, key: uuid.UUID) -> HttpResponse:
    return _end(
        request,
        key,
        services.appointment_served,
        gettext("Appointment %(reference)s: the citizen was served."),
    )


@agent_required
def person_appointments(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    agent = agent_of(request)
    policy.require(agent, Action.BOOK)
    person = person_get_for_agent(agent=agent, person_id=person_id).obj
    return render(
        request,
        "ui/agenda/person_appointments.html",
        {
            "person": person,
            "tabs": person_tabs(agent, person, "appointments"),
            "appointments": selectors.appointments_of_person(
                agent=agent, person=person
            ),
        },
    )


# ---------------------------------------------------------------- offers


@agent_required
def offer_list(request: HttpRequest) -> HttpResponse:
    agent = agent_of(request)
    policy.require(agent, Action.BOOK)
    return render(
        request,
        "ui/agenda/offer_list.html",
        {
            "offers": selectors.offers_for_agent(agent=agent, active_only=False),
            "may_manage": policy.may(agent, Action.OFFER_MANAGE),
        },
    )


def _offer_form(agent: Agent, data: Any, offer: Offer | None) -> OfferForm:
    initial: dict[str, Any] = {}
    if offer is not None:
        initial = {
            "team": offer.team.code,
            "code": offer.code,
            "purpose": offer.purpose,
            "slot_minutes": offer.slot_minutes,
            "places": offer.places,
            "agent": offer.agent.username if offer.agent else "",
            "counter_service": offer.counter_service,
            "version": offer.version,
            **{
                f"name_{lang}": getattr(offer, f"name_{lang}")
                for lang in ["fr", "nl", "de", "en"]
            },
            **{name: getattr(offer, name) for name in WEEKDAY_FIELDS},
        }
    form = OfferForm(data, initial=initial)
    teams = _teams(agent)
    set_choices(form, "team", [(team.code, team.name) for team in teams])
    members = (
        Agent.objects.people()
        .filter(memberships__team__in=teams)
        .distinct()
        .order_by("username")
    )
    set_choices(
        form,
        "agent",
        [("", "—")]
        + [
            (member.username, member.get_full_name() or member.username)
            for member in members
        ],
    )
    if offer is not None:
        form.fields["team"].disabled = True
    return form


@agent_required
def offer_edit(request: HttpRequest, key: uuid.UUID | None = None) -> HttpResponse:
    agent = agent_of(request)
    policy.require(agent, Action.OFFER_MANAGE)
    offer = selectors.offer_get_for_agent(agent=agent, key=key) if key else None
    form = _offer_form(agent, request.POST or None, offer)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        served_by = (
            Agent.objects.filter(username=data["agent"]).first()
            if data["agent"]
            else None
        )
        values = services.OfferInput(
            code=data["code"],
            names={lang: data[f"name_{lang}"] for lang in ("fr", "nl", "de", "en")},
            purpose=data["purpose"],
            slot_minutes=data["slot_minutes"],
            places=data["places"],
            hours=form.hours(),
            agent=served_by,
            counter_service=data["counter_service"],
        )
        team = next((t for t in _teams(agent) if t.code == data["team"]), None)
        saved = _try(
            form,
            (
                lambda: services.offer_update(
                    actor=agent,
                    offer=offer,
                    data=values,
                    expected_version=data.get("version") or 0,
                )
            )
            if offer is not None
            else (lambda: services.offer_create(actor=agent, team=team, data=values)),  # type: ignore[arg-type]
        )
        if saved is not None:
            messages.success(request, gettext("The offer is saved."))
            return HttpResponseRedirect(reverse("ui:appointment_offers"))
    return render(request, "ui/agenda/offer_edit.html", {"form": form, "offer": offer})


@agent_required
def offer_deactivate(request: HttpRequest, key: uuid.UUID) -> HttpResponse:
    agent = agent_of(request)
    policy.require(agent, Action.OFFER_MANAGE)
    offer = selectors.offer_get_for_agent(agent=agent, key=key)
    form = VersionForm(request.POST or None, initial={"version": offer.version})
    if request.method == "POST" and form.is_valid():
        done = _try(
            form,
            lambda: services.offer_deactivate(
                actor=agent, offer=offer, expected_version=form.cleaned_data["version"]
            ),
        )
        if done is not None:
            messages.success(request, gettext("The offer takes no more bookings."))
            return HttpResponseRedirect(reverse("ui:appointment_offers"))
    return render(
        request, "ui/agenda/offer_deactivate.html", {"offer": offer, "form": form}
    )
