"""What a file is, read from its first bytes ("magic numbers"), never from its name.

Only PDF, JPEG, PNG and TIFF are kept: formats a scanner or a phone produces, that
Guichet never executes and only sends back as a download. Everything else is refused
and, where it is easy to tell, named: a renamed program stays a program.

Signatures (the formats' own specifications): PDF `%PDF-` (ISO 32000), JPEG
`FF D8 FF` (JFIF/Exif SOI marker and the next marker's first byte), PNG
`89 50 4E 47 0D 0A 1A 0A` (RFC 2083), TIFF `49 49 2A 00` (little-endian) or
`4D 4D 00 2A` (big-endian) (TIFF 6.0).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# How many leading bytes `sniff` and `describe` need.
HEAD_SIZE = 512


@dataclass(frozen=True)
class Format:
    content_type: str
    extension: str
    signatures: tuple[bytes, ...]
    description: Promise


ACCEPTED: tuple[Format, ...] = (
    Format("application/pdf", "pdf", (b"%PDF-",), _("a PDF document")),
    Format("image/jpeg", "jpg", (b"\xff\xd8\xff",), _("a JPEG image")),
    Format("image/png", "png", (b"\x89PNG\r\n\x1a\n",), _("a PNG image")),
    Format("image/tiff", "tif", (b"II*\x00", b"MM\x00*"), _("a TIFF image")),
)
CONTENT_TYPES = tuple(format_.content_type for format_ in ACCEPTED)
# Specimens of signatures and seals are compared on screen with a document's scan:
# a PNG or JPEG image (shown), or a PDF page from the authority (downloaded). TIFF
# is refused for them: browsers do not display it.
SPECIMEN_CONTENT_TYPES = ("image/png", "image/jpeg", "application/pdf")
EXTENSIONS = {format_.content_type: format_.extension for format_ in ACCEPTED}

# Refused kinds worth naming, so the agent understands why.
_NAMED: tuple[tuple[tuple[bytes, ...], Promise], ...] = (
    ((b"MZ",), _("a Windows program (.exe, .dll)")),
    ((b"\x7fELF",), _("a Linux program")),
    (
        (
            b"\xca\xfe\xba\xbe",
            b"\xcf\xfa\xed\xfe",
            b"\xce\xfa\xed\xfe",
            b"\xfe\xed\xfa",
        ),
        _("a macOS program"),
    ),
    ((b"#!",), _("a script")),
    ((b"PK\x03\x04", b"PK\x05\x06"), _("a ZIP archive or an Office document")),
    ((b"\xd0\xcf\x11\xe0",), _("an old Office document")),
    ((b"Rar!", b"7z\xbc\xaf", b"\x1f\x8b"), _("a compressed archive")),
    ((b"GIF8",), _("a GIF image")),
    ((b"{\\rtf",), _("an RTF document")),
)


def sniff(head: bytes) -> Format | None:
    """The accepted format these first bytes start, or None."""
    for format_ in ACCEPTED:
        if head.startswith(format_.signatures):
            return format_
    return None


def describe(head: bytes) -> Promise:
    """What a refused file appears to be, for the agent's error message."""
    for signatures, description in _NAMED:
        if head.startswith(signatures):
            return description
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if text.startswith(b"<"):
        return _("a web page, an SVG image or an XML file")
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return _("a file of an unknown kind")
    return _("a text file (possibly a script)")
