"""Archived letters are PDF/A-3b, and the PDF/A check refuses what is not."""

from __future__ import annotations

import io
import os
import threading
from collections.abc import Callable
from typing import Any

import pikepdf
import pytest

from guichet.correspondence import archive, pdf, pdfcheck, services
from tests.correspondence.factories import person_with_address

pytestmark = pytest.mark.django_db


@pytest.fixture
def letters(writer: Callable[..., Any], templates: int) -> dict[str, bytes]:
    """One issued acknowledgement in each language, as archived."""
    agent = writer("C")
    archived = {}
    for language in ("fr", "nl", "de", "en"):
        someone = person_with_address(surname="Janssens", sex="M", language=language)
        draft = services.letter_draft_create(
            actor=agent, person_id=someone.uuid, letter_type="acknowledgement"
        )
        letter = services.letter_submit(
            actor=agent, letter_id=draft.uuid, expected_version=draft.version
        )
        letter.refresh_from_db()
        archived[language] = archive.read(letter.pdf_sha256, "pdf")
    return archived


def _rewrite(data: bytes, change: Callable[[pikepdf.Pdf], None]) -> bytes:
    with pikepdf.open(io.BytesIO(data)) as document:
        change(document)
        out = io.BytesIO()
        document.save(out)
    return out.getvalue()


def _strip_xmp(document: pikepdf.Pdf) -> None:
    del document.Root["/Metadata"]


def _unembed_fonts(document: pikepdf.Pdf) -> None:
    for page in document.pages:
        for font in page.Resources.Font.values():
            fonts = font.get("/DescendantFonts")
            descriptor = (fonts[0] if fonts else font).FontDescriptor
            for key in pdfcheck.FONT_FILES:
                if key in descriptor:
                    del descriptor[key]


def _drop_output_intent(document: pikepdf.Pdf) -> None:
    del document.Root["/OutputIntents"]


def _untag(document: pikepdf.Pdf) -> None:
    del document.Root["/StructTreeRoot"]
    del document.Root["/MarkInfo"]


def _say_part_one(document: pikepdf.Pdf) -> None:
    with document.open_metadata(set_pikepdf_as_editor=False) as metadata:
        metadata[f"{pdfcheck.PDFAID}part"] = "1"


def test_every_language_renders_a_pdfa_3b_with_fonts_embedded_and_tags(
    letters: dict[str, bytes],
) -> None:
    for language, data in letters.items():
        report = pdfcheck.inspect(data)
        assert report.problems == [], language
        assert report.is_pdfa_3b
        assert (report.part, report.conformance) == ("3", "B")
        assert report.output_intent
        assert report.tagged
        assert report.language == language
        assert report.fonts
        assert all(report.fonts.values())
        assert report.pages == 1


def test_letters_are_styled_by_the_stylesheet_parsed_once_per_thread(
    letters: dict[str, bytes],
) -> None:
    # Given letters rendered in this thread (the fixture), the stylesheet is the same
    # parsed object each time; another thread parses its own, with its own fonts.
    sheet = pdf._stylesheet()
    assert pdf._stylesheet() is sheet
    other: list[Any] = []
    thread = threading.Thread(target=lambda: other.append(pdf._stylesheet()))
    thread.start()
    thread.join()
    assert other[0] is not sheet
    # The letters were drawn in its fonts (the @font-face rules are only in
    # data/pdf.css), embedded, and still pass the PDF/A check.
    for language, data in letters.items():
        report = pdfcheck.inspect(data)
        assert report.problems == [], language
        assert sorted(name.split("+", 1)[1] for name in report.fonts) == [
            "Guichet-Sans",
            "Guichet-Sans-Bold",
        ], language


@pytest.mark.parametrize(
    ("_case", "change", "problem"),
    [
        ("xmp stripped", _strip_xmp, "XMP says PDF/A part None conformance None"),
        ("claims part 1", _say_part_one, "XMP says PDF/A part 1 conformance B"),
        ("fonts not embedded", _unembed_fonts, "is not embedded"),
        (
            "no output intent",
            _drop_output_intent,
            "no GTS_PDFA1 output intent with an ICC profile",
        ),
        ("not tagged", _untag, "not tagged"),
    ],
)
def test_a_broken_pdf_is_refused(
    letters: dict[str, bytes],
    _case: str,
    change: Callable[[pikepdf.Pdf], None],
    problem: str,
) -> None:
    broken = _rewrite(letters["fr"], change)
    report = pdfcheck.inspect(broken)
    assert not report.is_pdfa_3b
    assert len(report.problems) >= 1
    assert any(problem in text for text in report.problems), report.problems
    # The rest of the document still passes: the check names only what was broken.
    assert all(problem in text for text in report.problems), report.problems


def test_a_pdf_that_is_not_pdfa_at_all_is_refused() -> None:
    plain = pikepdf.new()
    plain.add_blank_page()
    out = io.BytesIO()
    plain.save(out)
    report = pdfcheck.inspect(out.getvalue())
    assert report.problems == [
        "XMP says PDF/A part None conformance None",
        "no GTS_PDFA1 output intent with an ICC profile",
        "no font at all",
        "not tagged",
        "no document language",
    ]


def test_the_renderer_refuses_any_resource_outside_its_fonts(tmp_path: Any) -> None:
    secret = tmp_path / "secret.css"
    secret.write_text("body { color: red }")
    fetcher = pdf._fetcher()
    with pytest.raises(ValueError, match="may only use their own fonts"):
        fetcher.fetch(secret.as_uri())
    with pytest.raises(ValueError, match="may only use their own fonts"):
        fetcher.fetch(pdf.DATA_DIR.as_uri() + "/../pdf.py")
    fonts = sorted(pdf.DATA_DIR.glob("**/*.ttf"))
    assert fonts
    fetched = fetcher.fetch(fonts[0].as_uri())
    assert fetched is not None


def test_fonts_are_subset_with_harfbuzz() -> None:
    # Without libharfbuzz-subset every letter is a third slower (see
    # pdf.subsets_with_harfbuzz); CI installs it, so there a missing library fails.
    if not pdf.subsets_with_harfbuzz():
        message = "libharfbuzz-subset is missing: apt-get install libharfbuzz-subset0"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    assert pdf.subsets_with_harfbuzz() is True
