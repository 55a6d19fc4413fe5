"""Appointments in a real browser: from a passport dossier, the front office books
the citizen's biometrics appointment, moves it, cancels it, and is told clearly
when the slot it chose filled up meanwhile."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from guichet.agenda.appointments import services
from guichet.agenda.models import Appointment, Offer
from guichet.agents.models import Agent, Team
from guichet.dossiers.models import Dossier
from guichet.parties.models import EmailAddress
from tests.agenda.appointments.conftest import Clock, brussels, offer_input
from tests.dossiers import conftest as dossier_fixtures
from tests.factories import PersonFactory

teams = dossier_fixtures.teams
agent_in = dossier_fixtures.agent_in
handler = dossier_fixtures.handler
open_dossier = dossier_fixtures.open_dossier

Check = Callable[[str, str | None], None]


@pytest.fixture
def passport(
    teams: dict[str, Team],
    agent_in: Callable[..., Agent],
    open_dossier: Callable[..., Dossier],
    monkeypatch: pytest.MonkeyPatch,
) -> tuple[Dossier, Offer, Agent]:
    Clock(monkeypatch)  # Monday 22 March 2027, 09:00 in Brussels
    chief = agent_in("supervisor", "B", "travel-documents")
    offer = services.offer_create(
        actor=chief, team=teams["travel-documents"], data=offer_input()
    )
    citizen = PersonFactory(given_names="Lena", surname="Verbruggen", language="en")
    EmailAddress.objects.create(person=citizen, address="lena@example.org")
    dossier = open_dossier("consular-passport", applicant=citizen)
    return dossier, offer, agent_in("front_office", "C", "travel-documents")


def _slot(day: int, hour: int) -> str:
    return brussels(day, hour).strftime("%d/%m/%Y %H:%M")


def test_book_move_cancel_and_a_full_slot_from_a_passport_dossier(
    ui: Any,
    checked: Check,
    transactional_db: Any,
    passport: tuple[Dossier, Offer, Agent],
) -> None:
    dossier, offer, clerk = passport
    ui.login(clerk.username)
    # given the passport dossier's appointments panel
    ui.go(f"/dossiers/{dossier.reference}/")
    panel = ui.page.locator(
        "section", has=ui.page.get_by_role("heading", name="Appointments")
    )
    expect(panel).to_contain_text("No appointment for this dossier.")
    # when the agent books the citizen on Tuesday at 9:00
    panel.get_by_role("link", name="Book an appointment").click()
    ui.page.get_by_label(_slot(23, 9)).check()
    checked("booking an appointment", "agenda-appointment-book")
    ui.page.get_by_role("button", name="Book", exact=True).click()
    # then it is booked, numbered, and the citizen is told
    expect(ui.page.locator(".messages, .alert.success")).to_contain_text(
        "Appointment APT-2027-00001 booked."
    )
    appointment = Appointment.objects.get()
    assert appointment.dossier == dossier
    assert appointment.start == brussels(23, 9)

    # when the agent moves it to 10:00
    ui.page.get_by_role("link", name="Move").click()
    ui.page.get_by_label(_slot(23, 10)).check()
    ui.page.get_by_role("button", name="Move", exact=True).click()
    expect(ui.page.locator(".messages, .alert.success")).to_contain_text(
        "Appointment APT-2027-00001 moved."
    )
    appointment.refresh_from_db()
    assert (appointment.start, appointment.sequence) == (brussels(23, 10), 1)

    # and cancels it, after the confirmation step
    ui.page.get_by_role("link", name="Cancel the appointment").click()
    ui.page.get_by_label("Reason").fill("The citizen asked to.")
    ui.page.get_by_role("button", name="Cancel the appointment").click()
    expect(ui.page.locator(".messages, .alert.success")).to_contain_text(
        "Appointment APT-2027-00001 cancelled."
    )
    appointment.refresh_from_db()
    assert appointment.status == "cancelled"

    # when two other agents fill the 11:00 slot while this one chooses it
    ui.go(f"/dossiers/{dossier.reference}/")
    ui.page.get_by_role("link", name="Book an appointment").click()
    ui.page.get_by_label(_slot(23, 11)).check()
    for _ in range(offer.places):
        services.appointment_book(
            actor=clerk, offer=offer, person=PersonFactory(), start=brussels(23, 11)
        )
    ui.page.get_by_role("button", name="Book", exact=True).click()
    # then the booking is refused with a clear reason, and nothing is written
    expect(
        ui.page.locator(".alert.error, .errorlist, [role=alert]").first
    ).to_contain_text("This slot is full: choose another time.")
    checked("a full slot refused", None)
    assert Appointment.objects.filter(person=dossier.person).count() == 1
    assert Appointment.objects.filter(start=brussels(23, 11)).count() == offer.places
    assert (
        dt.timedelta(minutes=offer.slot_minutes) == appointment.end - appointment.start
    )
