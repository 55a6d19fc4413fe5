"""Absences and the agenda feed in a real browser: an agent records a leave with a
substitute, their supervisor sees the service's presence, and the agent creates a
calendar link whose address serves iCalendar."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from playwright.sync_api import expect

from guichet.agenda.models import Absence
from guichet.agents.models import Substitution
from guichet.core import clock
from tests.factories import AgentFactory, TeamFactory

Check = Callable[[str, str | None], None]


def test_an_absence_with_a_substitute_the_teams_presence_and_a_feed(
    ui: Any, checked: Check, transactional_db: Any
) -> None:
    # given a service with two agents and their supervisor
    team = TeamFactory(code="visas", name="Visas")
    AgentFactory(
        username="anna",
        first_name="Anna",
        last_name="Peeters",
        roles=["front_office"],
        teams=[team],
    )
    AgentFactory(
        username="bert",
        first_name="Bert",
        last_name="Claes",
        roles=["front_office"],
        teams=[team],
    )
    AgentFactory(username="chief", roles=["supervisor"], level="A1", teams=[team])
    tomorrow = clock.today() + dt.timedelta(days=1)

    # when the agent records a sick leave from tomorrow with Bert as substitute
    ui.login("anna")
    ui.page.get_by_role("link", name="Presence").first.click()
    expect(ui.page.get_by_role("heading", level=1)).to_have_text("Presence")
    form = ui.page.locator("form", has=ui.page.get_by_label("Kind of absence"))
    form.get_by_label("Kind of absence").select_option("sick")
    form.get_by_label("From", exact=True).fill(tomorrow.isoformat())
    form.get_by_label("Until", exact=True).fill(
        (tomorrow + dt.timedelta(days=2)).isoformat()
    )
    form.get_by_label("Substitute (optional)").select_option("bert")
    ui.page.get_by_role("button", name="Record the absence").click()

    # then it is recorded, Bert stands in, and the agent reads its kind
    expect(ui.page.get_by_text("The absence is recorded.")).to_be_visible()
    absence = Absence.objects.get()
    assert absence.substitution == Substitution.objects.get(substitute__username="bert")
    coming = ui.page.get_by_role("table", name="Coming absences")
    expect(coming).to_contain_text("sick")
    expect(coming).to_contain_text("Bert Claes")
    checked("the presence section", "agenda-presence")

    # when the agent creates a calendar link
    ui.page.get_by_role("button", name="Create a calendar link").click()
    link = ui.page.get_by_role("textbox", name="Calendar link").input_value()
    # then its address serves the agenda as iCalendar, without a login
    served = ui.page.request.get(link)
    assert served.status == 200
    assert served.headers["content-type"] == "text/calendar; charset=utf-8"
    assert "BEGIN:VEVENT" in served.text()
    assert f"absence-{absence.uuid}@guichet" in served.text()
    expect(ui.page.get_by_role("button", name="Revoke the link")).to_be_visible()

    # when the supervisor opens the section
    ui.page.context.clear_cookies()
    ui.login("chief")
    ui.go("/agenda/presence/")
    # then the service's presence shows Anna absent tomorrow, with the kind
    presence = ui.page.get_by_role("table", name="Presence in Visas")
    anna = presence.get_by_role("row").filter(has_text="Anna Peeters")
    expect(anna.get_by_role("cell").nth(0)).to_have_text("present")
    expect(anna.get_by_role("cell").nth(1)).to_have_text("sick")
    checked("the supervisor's presence", None)
