"""What a file is, from its first bytes: accepted formats and named refusals."""

from __future__ import annotations

from django.utils import translation

import pytest

from guichet.documents.sniffing import describe, sniff
from tests.documents.factories import ELF, EXE, JPEG, PDF, PNG, TIFF


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        (PDF, "application/pdf"),
        (JPEG, "image/jpeg"),
        (PNG, "image/png"),
        (TIFF, "image/tiff"),
        (b"MM\x00*\x00\x00\x00\x08", "image/tiff"),
    ],
)
def test_recognises_the_accepted_formats(content: bytes, content_type: str) -> None:
    found = sniff(content)
    assert found is not None
    assert found.content_type == content_type


@pytest.mark.parametrize(
    ("_case", "content", "description"),
    [
        ("windows program", EXE, "a Windows program (.exe, .dll)"),
        ("linux program", ELF, "a Linux program"),
        ("mac program", b"\xcf\xfa\xed\xfe\x07\x00", "a macOS program"),
        ("script", b"#!/bin/sh\nrm -rf /\n", "a script"),
        (
            "office document",
            b"PK\x03\x04\x14\x00",
            "a ZIP archive or an Office document",
        ),
        ("gif", b"GIF89a\x01\x00", "a GIF image"),
        (
            "svg",
            b"\xef\xbb\xbf  <svg xmlns='x'>",
            "a web page, an SVG image or an XML file",
        ),
        ("plain text", b"hello, world", "a text file (possibly a script)"),
        ("binary", b"\x00\x9f\x92\x96\xff", "a file of an unknown kind"),
    ],
)
def test_refuses_everything_else_and_names_what_it_seems_to_be(
    _case: str, content: bytes, description: str
) -> None:
    assert sniff(content) is None
    assert str(describe(content)) == description


def test_a_pdf_signature_later_in_the_file_does_not_count() -> None:
    assert sniff(b"MZ" + PDF) is None


def test_descriptions_are_translated() -> None:
    with translation.override("nl"):
        assert str(describe(EXE)) == "een Windows-programma (.exe, .dll)"
