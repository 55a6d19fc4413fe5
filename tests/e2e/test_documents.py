"""A person's documents in a real browser: a verification's result on screen."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from guichet.documents import services
from tests.documents.factories import upload
from tests.factories import AgentFactory, PersonFactory, TeamFactory

Check = Callable[[str, str | None], None]

SPECIMEN = (
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
    "L898902C36UTO7408122F1204159ZE184226B<<<<<10"
)


def test_a_specimen_on_another_persons_passport_shows_does_not_match_in_red(
    ui: Any,
    checked: Check,
    transactional_db: Any,
    settings: Any,
    tmp_path: Path,
) -> None:
    # given a passport of JANSSENS Louis on record (issue #11's scenario)
    settings.MEDIA_ROOT = tmp_path
    agent = AgentFactory(
        username="front.travel",
        first_name="Tom",
        last_name="Peeters",
        roles=["front_office"],
        teams=[TeamFactory(code="travel", name="Travel documents")],
        level="C",
    )
    louis = PersonFactory(
        given_names="Louis",
        surname="Janssens",
        birth_date=dt.date(1990, 3, 4),
        sex="M",
    )
    services.document_upload(
        actor=agent,
        person_id=louis.uuid,
        file=upload(),
        details=services.DocumentDetails(
            document_type="passport",
            document_number="EM1234567",
            expires_on=dt.date(2031, 5, 1),
        ),
    )
    ui.login("front.travel")
    ui.go(f"/persons/{louis.uuid}/documents/")
    box = ui.page.get_by_label("What the document shows")
    # the verify box is empty: the agent types what the document shows
    expect(box).to_have_value("")
    # when the agent verifies it with the ICAO specimen's zone
    box.fill(SPECIMEN)
    ui.page.get_by_role("button", name="Verify", exact=True).click()
    # then the result says "does not match", in red, with each reason
    alert = ui.page.locator(".alert.error")
    expect(alert).to_contain_text(
        "Does not match: the document does not pass; see why below."
    )
    expect(ui.page.get_by_text("Verified:")).to_have_count(0)
    badge = ui.page.locator(".verifications .badge.error").first
    expect(badge).to_have_text("Does not match")
    expect(badge).to_have_css("color", "rgb(164, 22, 26)")
    reasons = ui.page.locator(".verifications .check-errors")
    expect(reasons).to_have_css("color", "rgb(164, 22, 26)")
    for text in (
        "The zone gives ERIKSSON as surname",
        "The zone gives 1974-08-12 as birth date",
        "The zone gives L898902C3 as document number",
        "This is an ICAO specimen, not a real document: it never passes.",
        "This document expired on 2012-04-15",
    ):
        expect(reasons).to_contain_text(text)
    checked("a verification that does not match", None)
