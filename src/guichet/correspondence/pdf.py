"""HTML to archivable PDF with WeasyPrint: PDF/A-3b, fonts embedded, tagged.

No ORM and no Django settings: a process pool's workers call `render_pdfa` with the
HTML alone (`bench/letters`, `guichet letters render`). Resources may only come from
this app's `data/` folder (the fonts): the fetcher refuses every other URL, so a
letter can never make the renderer read a file or call the network.
"""

from __future__ import annotations

import atexit
import functools
import gc
import io
import logging
import threading
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"
STYLESHEET = DATA_DIR / "pdf.css"
USER_AGENT_STYLESHEET = DATA_DIR / "pdf_ua.css"
VARIANT = "pdf/a-3b"


class _QuietFontToolsFallback(logging.Filter):
    """WeasyPrint warns on every document when HarfBuzz-subset is not installed and
    fontTools subsets instead; that would flood the logs (`subsets_with_harfbuzz`
    says it once, for whoever asks: the batch command and its benchmark)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "instead of HarfBuzz-Subset" not in record.getMessage()


logging.getLogger("weasyprint").addFilter(_QuietFontToolsFallback())


def subsets_with_harfbuzz() -> bool:
    """Whether WeasyPrint found libharfbuzz-subset (Debian: libharfbuzz-subset0).

    Every letter embeds a subset of its fonts. Without that library WeasyPrint
    subsets them with fontTools, in Python: measured in one run on the 2-core
    machine, 108 ms a letter with fontTools and 75 ms with HarfBuzz, PDFs of the same
    size. `.ci/run` installs it; the README asks for it.
    """
    from weasyprint.text.ffi import harfbuzz_subset

    return harfbuzz_subset is not None


@dataclass(frozen=True)
class Rendered:
    data: bytes
    pages: int


_local = threading.local()


@functools.cache
def _fetcher_class() -> Any:
    from weasyprint.urls import URLFetcher

    class DataOnly(URLFetcher):  # type: ignore[misc]  # weasyprint has no type hints
        def fetch(self, url: str, headers: Any = None) -> Any:
            allowed = DATA_DIR.as_uri() + "/"
            if not url.startswith(allowed) or ".." in url:
                raise ValueError(f"letters may only use their own fonts, not {url}")
            return super().fetch(url, headers)

    return DataOnly


def _fetcher() -> Any:
    """This thread's fetcher, which refuses every URL outside `data/`.

    One per thread (it is a urllib opener, which keeps the request it serves), made
    once: defining its class and opener again for every letter cost about 1% of a
    letter (measured in one run: 42.3 ms a letter, 42.0 ms with this one).
    """
    fetcher = getattr(_local, "fetcher", None)
    if fetcher is None:
        fetcher = _local.fetcher = _fetcher_class()(allowed_protocols={"file"})
    return fetcher


@atexit.register
def _forget_fonts() -> None:
    """Drop this thread's fonts and stylesheet before the interpreter shuts down.

    WeasyPrint removes the folder where it copied the @font-face files when the font
    configuration is deleted; during shutdown the modules it needs for that are
    already gone, so the folder would stay and an error be printed.
    """
    _local.__dict__.clear()


def _fonts() -> Any:
    """One font configuration per thread: @font-face files are loaded once, and
    Pango's font maps are not shared between threads."""
    config = getattr(_local, "font_config", None)
    if config is None:
        from weasyprint.text.fonts import FontConfiguration

        config = _local.font_config = FontConfiguration()
    return config


def _stylesheet() -> Any:
    """The stylesheet shared by every document (`data/pdf.css`), parsed once per
    thread, with that thread's font configuration (its @font-face rules load the
    fonts there).

    Parsing it again from each letter's <style> cost about a tenth of a letter
    (measured in one run, median of 20 rounds: 82 ms a letter, 70 ms with this
    sheet); a document's own <style> now holds only its footer and page label.
    """
    sheet = getattr(_local, "stylesheet", None)
    if sheet is None:
        from weasyprint import CSS

        sheet = _local.stylesheet = CSS(
            filename=STYLESHEET, url_fetcher=_fetcher(), font_config=_fonts()
        )
    return sheet


@functools.cache
def _user_agent_stylesheet() -> Any:
    """`data/pdf_ua.css`, parsed once per process (it loads no font)."""
    from weasyprint import CSS

    return CSS(filename=USER_AGENT_STYLESHEET, url_fetcher=_fetcher())


@functools.cache
def _html_class() -> Any:
    """WeasyPrint's HTML, with our trimmed user-agent stylesheet (`data/pdf_ua.css`,
    which says why: a tenth of a letter's time).

    `_ua_stylesheets` is the hook WeasyPrint's own tests override to lay documents
    out with a user-agent stylesheet of their own. Forms keep WeasyPrint's
    stylesheets, which style their fields.
    """
    from weasyprint import HTML

    class DocumentHTML(HTML):  # type: ignore[misc]  # weasyprint has no type hints
        def _ua_stylesheets(self, forms: bool = False) -> list[Any]:
            if forms:
                return list(super()._ua_stylesheets(forms))
            return [_user_agent_stylesheet()]

    return DocumentHTML


def _document(html: str, **options: Any) -> Any:
    return _html_class()(
        string=html, base_url=DATA_DIR.as_uri() + "/", url_fetcher=_fetcher()
    ).render(font_config=_fonts(), stylesheets=[_stylesheet()], **options)


def _write(document: Any, **options: Any) -> bytes:
    # WeasyPrint 70 opens its sRGB output-intent profile without closing it; the file
    # is closed when dropped, with a ResourceWarning that is not ours to fix.
    with warnings.catch_warnings():
        warnings.filterwarnings(
            "ignore", category=ResourceWarning, message=r"unclosed file .*sRGB2014\.icc"
        )
        return bytes(document.write_pdf(**options))


YOUNG_OBJECTS_BEFORE_COLLECTION = 20_000


def prepare_worker() -> None:
    """Tune a process that does nothing but render (a batch's pool worker).

    Laying a letter out makes many short-lived objects, and Python's collector,
    which looks for cycles every 700 new objects, ran two or three times a letter:
    about 3 ms of each (measured over 60 letters). Every 20,000 instead, a letter
    took 6% less (measured in one run, median of 25 rounds: 45.6 ms, 42.6 ms); less
    often gained nothing more. Not for the web or command processes, which do
    other work.
    """
    gc.set_threshold(YOUNG_OBJECTS_BEFORE_COLLECTION)


def render_pdfa(html: str) -> Rendered:
    """A PDF/A-3b document, tagged for accessibility, every font embedded."""
    options = {"pdf_variant": VARIANT, "pdf_tags": True}
    document = _document(html, **options)
    return Rendered(data=_write(document, **options), pages=len(document.pages))


def render_form(html: str) -> Rendered:
    """A fillable PDF/A-3b form: HTML inputs become AcroForm fields.

    WeasyPrint asks viewers to draw the fields (NeedAppearances), which PDF/A forbids;
    qpdf (through pikepdf) draws each field's appearance instead.
    """
    import pikepdf

    options = {"pdf_variant": VARIANT, "pdf_tags": True, "pdf_forms": True}
    document = _document(html, **options)
    raw = _write(document, **options)
    with pikepdf.open(io.BytesIO(raw)) as pdf:
        pdf.generate_appearance_streams()
        acroform = pdf.Root.get("/AcroForm")
        if acroform is not None and "/NeedAppearances" in acroform:
            del acroform["/NeedAppearances"]
        out = io.BytesIO()
        pdf.save(out)
    return Rendered(data=out.getvalue(), pages=len(document.pages))


def merge(documents: list[bytes]) -> bytes:
    """Many PDFs in one, in order (a print run; not itself an archive)."""
    import pikepdf

    merged = pikepdf.new()
    for data in documents:
        with pikepdf.open(io.BytesIO(data)) as part:
            merged.pages.extend(part.pages)
    out = io.BytesIO()
    merged.save(out)
    merged.close()
    return out.getvalue()
