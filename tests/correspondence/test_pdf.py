"""Archived letters are PDF/A-3b, and the PDF/A check refuses what is not."""

from __future__ import annotations

import gc
import io
import os
import re
import threading
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string

import pikepdf
import pytest
import tinycss2
import weasyprint
from weasyprint.formatting_structure import boxes

from guichet.correspondence import archive, content, pdf, pdfcheck, services
from guichet.correspondence.minutes import minutes_html
from tests.correspondence.factories import LetterheadFactory, person_with_address
from tests.factories import AgentFactory, TeamFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def letters(
    rolled_back: Callable[[], AbstractContextManager[None]],
) -> dict[str, bytes]:
    """One issued acknowledgement in each language, as archived.

    Rendered once for the module: the tests only read the bytes (each rewrites its
    own copy), and the rows that issued them are rolled back.
    """
    archived = {}
    with rolled_back():
        services.templates_load(actor=None)
        team = TeamFactory(code="legalisations")
        LetterheadFactory(team=team)
        agent = AgentFactory(
            roles=("front_office",), level="C", teams=[team], username="front_office-C"
        )
        for language in ("fr", "nl", "de", "en"):
            someone = person_with_address(
                surname="Janssens", sex="M", language=language
            )
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
    # The same fetcher serves every document of this thread.
    assert pdf._fetcher() is fetcher


def test_fonts_are_subset_with_harfbuzz() -> None:
    # Without libharfbuzz-subset every letter is a third slower (see
    # pdf.subsets_with_harfbuzz); CI installs it, so there a missing library fails.
    if not pdf.subsets_with_harfbuzz():
        message = "libharfbuzz-subset is missing: apt-get install libharfbuzz-subset0"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    assert pdf.subsets_with_harfbuzz() is True


TEMPLATES = Path(pdf.__file__).parent / "templates" / "correspondence" / "pdf"
MARGIN_BOX = re.compile(r"@((?:top|bottom|left|right)(?:-[a-z]+)*)")


def _user_agent_selectors() -> tuple[set[str], set[str]]:
    """The element names and margin boxes that data/pdf_ua.css has rules for."""
    text = pdf.USER_AGENT_STYLESHEET.read_text()
    elements: set[str] = set()
    for rule in tinycss2.parse_stylesheet(text, skip_comments=True):
        if rule.type == "qualified-rule":
            prelude = tinycss2.serialize(rule.prelude)
            elements |= set(re.findall(r"(?:^|[\s,(])([a-z][a-z0-9]*)", prelude))
    return elements, set(MARGIN_BOX.findall(text))


def test_every_element_and_margin_box_of_the_documents_has_user_agent_rules() -> None:
    # Forms keep WeasyPrint's own user-agent stylesheets (their fields need them).
    elements, margin_boxes = _user_agent_selectors()
    used = {
        tag
        for template in TEMPLATES.glob("*.html")
        if template.name != "form.html"
        for tag in re.findall(r"<([a-z][a-z0-9]*)", template.read_text())
    }
    assert used
    assert used - elements == set()
    boxes = set(MARGIN_BOX.findall(pdf.STYLESHEET.read_text()))
    boxes |= set(MARGIN_BOX.findall((TEMPLATES / "_style.html").read_text()))
    assert boxes == {"bottom-left", "bottom-right"}
    assert boxes - margin_boxes == set()


def _letter_content(*, draft: bool) -> dict[str, Any]:
    return {
        "language": "fr",
        "service": {
            "name": "Service des légalisations",
            "lines": ["Rue de la Loi 1", "1000 Bruxelles"],
            "contact": ["legal@guichet.example"],
            "footer": f"Service des légalisations{content.SEPARATOR}legal@guichet.example",
        },
        "recipient": ["Madame Hélène Lefèvre", "Rue du Test 12", "1000 Bruxelles"],
        "labels": content.labels("fr"),
        "number": "LEG/2026/000042",
        "contact": f"Anne Writer{content.SEPARATOR}anne@guichet.example",
        "place_date": "Bruxelles, le 23 novembre 2026",
        "subject": "Réception de votre demande",
        "body": ["Madame,", "Nous avons bien reçu votre demande.\nÀ bientôt."],
        "signature": ["Anne Writer", "Service des légalisations"],
        "draft": draft,
    }


def _minutes_html() -> str:
    labels = "minutes date place author attendees absentees agenda decisions actions"
    labels += " action owner due none page"
    return minutes_html(
        {
            "language": "nl",
            "title": "Teamoverleg",
            "date": "23 november 2026",
            "place": "Brussel",
            "author": "Anne Writer",
            "service": {"name": "Legalisaties", "lines": ["Wetstraat 1"]},
            "labels": {label: label.capitalize() for label in labels.split()},
            "attendees": ["Anne", "Bert"],
            "absentees": ["Chris"],
            "agenda": ["Punt een\nmet een tweede regel", "Punt twee"],
            "decisions": ["Een besluit"],
            "actions": [
                {"description": "Iets doen", "owner": "Anne", "due": "1 december"}
            ],
        }
    )


def _print_list_html() -> str:
    rows = [
        {"number": f"LEG/2026/{index:06d}", "recipient": ["A", "B"], "pages": 1}
        for index in range(90)
    ]
    return render_to_string(
        "correspondence/pdf/print_list.html",
        {
            "language": "en",
            "service": "Legalisations",
            "labels": {"title": "Letters", "page": "Page"},
            "rows": rows,
            "printed": "23 November 2026",
            "footer": content.css_string("Legalisations"),
            "page_label": content.css_string("Page"),
        },
    )


def _drawn(data: bytes) -> tuple[list[bytes], list[str], list[str]]:
    """What a PDF shows and how it is tagged: page contents, structure, outline."""

    def kinds(node: Any) -> list[str]:
        if isinstance(node, pikepdf.Array):
            return [kind for child in node for kind in kinds(child)]
        if isinstance(node, pikepdf.Dictionary):
            below = node.get("/K")
            return [str(node.get("/S")), *(kinds(below) if below is not None else [])]
        return ["content"]

    with pikepdf.open(io.BytesIO(data)) as document:
        pages = [page.Contents.read_bytes() for page in document.pages]
        outline = [str(item.title) for item in document.open_outline().root]
        return pages, kinds(document.Root.StructTreeRoot.K), outline


@pytest.mark.parametrize(
    ("_case", "html"),
    [
        ("letter", lambda: content.letter_html(_letter_content(draft=False))),
        ("draft letter", lambda: content.letter_html(_letter_content(draft=True))),
        ("minutes: headings, lists, tables", _minutes_html),
        ("print list of three pages", _print_list_html),
    ],
)
def test_documents_are_drawn_and_tagged_as_with_weasyprints_own_stylesheet(
    monkeypatch: pytest.MonkeyPatch, _case: str, html: Callable[[], str]
) -> None:
    source = html()
    ours = pdf.render_pdfa(source)
    document_class = pdf._html_class()
    monkeypatch.setattr(
        document_class,
        "_ua_stylesheets",
        lambda self, forms=False: weasyprint.HTML._ua_stylesheets(self, forms),
    )
    stock = pdf.render_pdfa(source)
    assert ours.pages == stock.pages
    assert _drawn(ours.data) == _drawn(stock.data)
    assert pdfcheck.inspect(ours.data).problems == []


def test_weasyprint_lays_documents_out_with_the_trimmed_stylesheet(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # _ua_stylesheets is WeasyPrint's hook, not a public API: if it stopped asking,
    # letters would silently go back to the slower cascade.
    document_class = pdf._html_class()
    trimmed = document_class._ua_stylesheets
    asked: list[list[Any]] = []

    def spy(self: Any, forms: bool = False) -> list[Any]:
        asked.append(trimmed(self, forms))
        return asked[-1]

    monkeypatch.setattr(document_class, "_ua_stylesheets", spy)
    pdf.render_pdfa(content.letter_html(_letter_content(draft=False)))
    assert asked == [[pdf._user_agent_stylesheet()]]


def _lines_per_block(box: Any, found: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """(tag.class, lines) for each block of laid-out text, in document order."""
    children = getattr(box, "children", [])
    lines = sum(isinstance(child, boxes.LineBox) for child in children)
    if lines and box.element is not None:
        found.append((f"{box.element_tag}.{box.element.get('class', '')}", lines))
    for child in children:
        if not isinstance(child, boxes.LineBox):
            _lines_per_block(child, found)
    return found


def test_a_letter_breaks_its_lines_where_its_texts_do() -> None:
    # The letter's lines are broken by newlines (white-space: pre-line), not <br>.
    letter = _letter_content(draft=False)
    html = content.letter_html(letter)
    assert "<br" not in html
    document = pdf._document(html, pdf_variant=pdf.VARIANT, pdf_tags=True)
    found = _lines_per_block(document.pages[0]._page_box, [])
    assert ("div.lines", 3) in found  # two address lines and the e-mail
    assert ("address.recipient", 3) in found
    assert [lines for name, lines in found if name == "p."] == [1, 2]
    assert ("div.signature", 2) in found


def test_a_worker_collects_young_objects_less_often() -> None:
    before = gc.get_threshold()
    try:
        pdf.prepare_worker()
        assert gc.get_threshold() == (20_000, before[1], before[2])
    finally:
        gc.set_threshold(*before)
