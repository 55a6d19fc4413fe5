"""What can be checked of a PDF/A on this machine, without veraPDF (pikepdf, no ORM).

The checks an archive relies on: the PDF/A identification in the XMP metadata
(part and conformance), an output intent GTS_PDFA1 with its ICC profile, every font
embedded (a FontFile, FontFile2 or FontFile3 in each font descriptor), the document
tagged (MarkInfo/Marked and a structure tree) with a language, and, for forms, no
NeedAppearances flag and an appearance for each field (PDF/A forbids the first and
requires the second).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

PDFAID = "{http://www.aiim.org/pdfa/ns/id/}"
FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3")


@dataclass
class Report:
    part: str | None = None
    conformance: str | None = None
    pages: int = 0
    language: str | None = None
    tagged: bool = False
    output_intent: bool = False
    fonts: dict[str, bool] = field(default_factory=dict)
    fields: list[str] = field(default_factory=list)
    need_appearances: bool = False
    fields_without_appearance: list[str] = field(default_factory=list)

    @property
    def problems(self) -> list[str]:
        found = []
        if (self.part, self.conformance) != ("3", "B"):
            found.append(
                f"XMP says PDF/A part {self.part} conformance {self.conformance}"
            )
        if not self.output_intent:
            found.append("no GTS_PDFA1 output intent with an ICC profile")
        if not self.fonts:
            found.append("no font at all")
        found += [
            f"font {name} is not embedded" for name, ok in self.fonts.items() if not ok
        ]
        if not self.tagged:
            found.append("not tagged")
        if not self.language:
            found.append("no document language")
        if self.need_appearances:
            found.append("NeedAppearances is set")
        found += [
            f"field {name} has no appearance" for name in self.fields_without_appearance
        ]
        return found

    @property
    def is_pdfa_3b(self) -> bool:
        return not self.problems


def _font_embedded(font: Any) -> bool:
    if font.get("/Subtype") == "/Type3":
        return True  # glyphs are drawn by the font's own content streams
    fonts = font.get("/DescendantFonts")
    descriptor = (fonts[0] if fonts else font).get("/FontDescriptor")
    return descriptor is not None and any(key in descriptor for key in FONT_FILES)


def _collect_fonts(
    resources: Any, found: dict[str, bool], seen: set[tuple[int, int]]
) -> None:
    if resources is None:
        return
    for font in (resources.get("/Font") or {}).values():
        name = str(font.get("/BaseFont", "?"))
        found[name] = found.get(name, True) and _font_embedded(font)
    for xobject in (resources.get("/XObject") or {}).values():
        key = xobject.objgen
        if key in seen or xobject.get("/Subtype") != "/Form":
            continue
        seen.add(key)
        _collect_fonts(xobject.get("/Resources"), found, seen)


def inspect(data: bytes) -> Report:
    import pikepdf

    report = Report()
    with pikepdf.open(io.BytesIO(data)) as document:
        metadata = document.open_metadata(set_pikepdf_as_editor=False)
        report.part = metadata.get(f"{PDFAID}part")
        report.conformance = metadata.get(f"{PDFAID}conformance")
        report.pages = len(document.pages)
        root = document.Root
        report.language = str(root.get("/Lang", "")) or None
        mark = root.get("/MarkInfo")
        report.tagged = (
            bool(mark is not None and mark.get("/Marked")) and "/StructTreeRoot" in root
        )
        intents: Any = root.get("/OutputIntents") or []
        report.output_intent = any(
            intent.get("/S") == "/GTS_PDFA1" and "/DestOutputProfile" in intent
            for intent in intents
        )
        seen: set[tuple[int, int]] = set()
        for page in document.pages:
            _collect_fonts(page.get("/Resources"), report.fonts, seen)
            for annotation in page.get("/Annots") or []:
                appearance = annotation.get("/AP")
                if appearance is not None:
                    for stream in appearance.values():
                        if isinstance(stream, pikepdf.Stream):
                            _collect_fonts(stream.get("/Resources"), report.fonts, seen)
        acroform = root.get("/AcroForm")
        if acroform is not None:
            _collect_fonts(acroform.get("/DR"), report.fonts, seen)
            report.need_appearances = bool(acroform.get("/NeedAppearances", False))
            for item in acroform.get("/Fields") or []:
                name = str(item.get("/T", ""))
                report.fields.append(name)
                if "/AP" not in item:
                    report.fields_without_appearance.append(name)
    return report
