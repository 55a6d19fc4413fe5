"""Letters as editable DOCX, and reading an edited DOCX back (python-docx, no ORM).

The DOCX holds the whole letter. Its fixed parts (letterhead, address block,
references, date, signature) carry the paragraph style `Guichet Fixed`: they come
from the register and are printed again from it, so editing them in the document
changes nothing. The subject (style `Guichet Subject`) and every other paragraph are
the agent's text; `read_docx` returns them, and the archived PDF/A is rendered from
that text in the service's layout.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from typing import Any

FIXED = "Guichet Fixed"
SUBJECT = "Guichet Subject"
MAX_UNCOMPRESSED = 30 * 1024 * 1024
MAX_ENTRIES = 2000
FONT = "Arial"


class UnreadableDocx(ValueError):
    """The bytes are not a DOCX this service can read."""


@dataclass(frozen=True)
class DocxText:
    identifier: str
    subject: str | None
    body: str


def write_docx(content: dict[str, Any], *, identifier: str) -> bytes:
    """The letter as a Word document, ready to edit and upload back."""
    from docx import Document
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Mm, Pt

    document = Document()
    section = document.sections[0]
    section.page_height, section.page_width = Mm(297), Mm(210)
    section.top_margin, section.bottom_margin = Mm(18), Mm(22)
    section.left_margin, section.right_margin = Mm(22), Mm(18)
    styles = document.styles
    styles["Normal"].font.name = FONT
    styles["Normal"].font.size = Pt(10)
    fixed = styles.add_style(FIXED, WD_STYLE_TYPE.PARAGRAPH)
    fixed.base_style = styles["Normal"]
    fixed.font.size = Pt(9)
    subject = styles.add_style(SUBJECT, WD_STYLE_TYPE.PARAGRAPH)
    subject.base_style = styles["Normal"]
    subject.font.bold = True

    header = section.header.paragraphs[0]
    header.style = fixed
    run = header.add_run(content["service"]["name"])
    run.bold = True
    for line in [*content["service"]["lines"], *content["service"]["contact"]]:
        header.add_run().add_break()
        header.add_run(line)

    _fixed_lines(document, content["recipient"], indent=Mm(88))
    labels = content["labels"]
    _fixed_lines(
        document,
        [
            f"{labels['our_reference']}: {content['number']}",
            f"{labels['contact']}: {content['contact']}",
            "",
            content["place_date"],
        ],
    )
    document.add_paragraph(f"{labels['subject']}: {content['subject']}", style=SUBJECT)
    for paragraph in content["body"]:
        _lines(document.add_paragraph(), paragraph.split("\n"))
    _fixed_lines(document, ["", *content["signature"]])

    properties = document.core_properties
    properties.identifier = identifier
    properties.title = f"{content['number']} \u2013 {content['subject']}"
    properties.language = content["language"]
    properties.comments = (
        "Edit the subject and the text. The address, references, date and signature "
        "come from the register and are printed again from it."
    )
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _fixed_lines(document: Any, lines: list[str], indent: Any = None) -> None:
    paragraph = document.add_paragraph(style=FIXED)
    if indent is not None:
        paragraph.paragraph_format.left_indent = indent
    _lines(paragraph, lines)


def _lines(paragraph: Any, lines: list[str]) -> None:
    for index, line in enumerate(lines):
        if index:
            paragraph.add_run().add_break()
        paragraph.add_run(line)


def _check_container(data: bytes) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise UnreadableDocx("not a zip container") from None
    with archive:
        entries = archive.infolist()
        if len(entries) > MAX_ENTRIES:
            raise UnreadableDocx("too many parts")
        if sum(entry.file_size for entry in entries) > MAX_UNCOMPRESSED:
            raise UnreadableDocx("too large once uncompressed")
        if "word/document.xml" not in archive.namelist():
            raise UnreadableDocx("no word/document.xml part")


def read_docx(data: bytes, *, subject_label: str = "") -> DocxText:
    """The agent's text in an edited letter: its subject and its paragraphs."""
    from docx import Document
    from docx.table import Table

    _check_container(data)
    try:
        document = Document(io.BytesIO(data))
    except Exception as error:  # python-docx raises many kinds on a broken part
        raise UnreadableDocx(str(error)) from None
    subject: str | None = None
    paragraphs: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            rows = [
                "\t".join(cell.text.strip() for cell in row.cells) for row in block.rows
            ]
            text = "\n".join(row for row in rows if row.strip())
            if text:
                paragraphs.append(text)
            continue
        style = block.style.name if block.style is not None else ""
        if style == FIXED:
            continue
        text = block.text.replace("\r", "").strip()
        if style == SUBJECT:
            if subject_label and text.startswith(f"{subject_label}:"):
                text = text[len(subject_label) + 1 :].strip()
            subject = text
            continue
        if text:
            paragraphs.append(text)
    return DocxText(
        identifier=document.core_properties.identifier or "",
        subject=subject,
        body="\n\n".join(paragraphs),
    )
