"""The register of specimens in a real browser: a legalisation desk agent adds an
official and a specimen, then compares a document's scan with it side by side and
records that the signature does not match."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from guichet.demo.specimens import signature
from guichet.documents import services
from guichet.documents.models import SpecimenComparison
from tests.factories import (
    AgentFactory,
    OrganisationFactory,
    PersonFactory,
    TeamFactory,
)

Check = Callable[[str, str | None], None]


def test_registers_a_specimen_and_records_a_comparison(
    ui: Any,
    checked: Check,
    transactional_db: Any,
    settings: Any,
    tmp_path: Path,
) -> None:
    # given a legalisation desk agent, a foreign court and a birth certificate
    settings.MEDIA_ROOT = tmp_path
    agent = AgentFactory(
        username="front.legal",
        first_name="Sophie",
        last_name="Martin",
        roles=["front_office"],
        teams=[TeamFactory(code="legalisations", name="Legalisations")],
        level="C",
    )
    OrganisationFactory(name="Tribunal de grande instance de Kinshasa/Gombe")
    person = PersonFactory(given_names="Grâce", surname="Kabila")
    scan = tmp_path / "scan.png"
    scan.write_bytes(signature(3))
    document = services.document_upload(
        actor=agent,
        person_id=person.uuid,
        file=_file(scan),
        details=services.DocumentDetails(
            document_type="civil_status", issued_on=dt.date(2025, 11, 3)
        ),
    )
    image = tmp_path / "specimen.png"
    image.write_bytes(signature(1))
    ui.login("front.legal")

    # when the agent adds the court's registrar to the register
    ui.go("/specimens/")
    expect(ui.page.get_by_text("No specimen is registered yet.")).to_be_visible()
    checked("an empty register of specimens", None)
    ui.page.get_by_role("link", name="Add an official").click()
    ui.page.get_by_label("Authority").select_option(
        label="Tribunal de grande instance de Kinshasa/Gombe"
    )
    ui.page.get_by_label("Country").fill("CD")
    ui.page.get_by_label("Name of the official").fill("Béatrice Ilunga")
    ui.page.get_by_label("Function").fill("Greffière en chef")
    ui.page.get_by_role("button", name="Add the official").click()
    # and her signature, valid from 2024
    expect(ui.page.get_by_label("Official")).to_contain_text("Béatrice Ilunga")
    ui.page.get_by_label("Kind").select_option("signature")
    ui.page.get_by_label("Valid from").fill("2024-01-01")
    ui.page.get_by_label("Image").set_input_files(str(image))
    ui.page.get_by_role("button", name="Add the specimen").click()
    expect(ui.page.get_by_role("heading", level=1)).to_contain_text(
        "Signature of Béatrice Ilunga"
    )
    checked("a specimen's page", None)

    # then the register lists it with its thumbnail, loaded through the policy
    ui.go("/specimens/?q=ilunga")
    thumbnail = ui.page.get_by_role("img", name="Signature of Béatrice Ilunga")
    expect(thumbnail).to_be_visible()
    assert thumbnail.evaluate("img => img.naturalWidth") == 240

    # when the agent compares the certificate with it, side by side
    ui.go(f"/persons/{person.uuid}/documents/")
    ui.page.get_by_role("link", name="Compare with a specimen").click()
    ui.page.get_by_label("Specimen", exact=True).select_option(label=_option_label(ui))
    ui.page.get_by_role("button", name="Show").click()
    expect(ui.page.get_by_role("img", name="Scan of the document")).to_be_visible()
    expect(
        ui.page.get_by_role("img", name="Signature of Béatrice Ilunga")
    ).to_be_visible()
    checked("a document beside a specimen", None)
    ui.page.get_by_label("Note").fill("The final loop differs.")
    ui.page.get_by_role("button", name="It does not match").click()

    # then the outcome is recorded on the document, with the specimen
    expect(ui.page.locator(".alert")).to_contain_text(
        "Recorded: the signature does not match the specimen."
    )
    expect(ui.page.locator(".verifications")).to_contain_text(
        "Specimen of Béatrice Ilunga"
    )
    comparison = SpecimenComparison.objects.get()
    assert (comparison.document_id, comparison.outcome) == (
        document.pk,
        "does_not_match",
    )
    assert comparison.note == "The final loop differs."


def _option_label(ui: Any) -> str:
    options = ui.page.get_by_label("Specimen", exact=True).locator("option")
    return str(options.nth(1).inner_text())


def _file(path: Path) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(path.name, path.read_bytes())
