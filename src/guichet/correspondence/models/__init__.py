"""Correspondence: letter templates, outgoing letters, incoming mail.

Outgoing letters and incoming mail are numbered per service (team) and year from a
gap-free counter (`Counter`, locked in `locks.py`). A letter's archived PDF/A and any
uploaded DOCX are stored by SHA-256 under MEDIA_ROOT (`archive.py`); the hash kept
here is the one the audit trail recorded, so a swapped file is detected on read."""

from __future__ import annotations

from .letters import (
    DISPATCH_UNDER_WAY,
    EDITABLE_STATUSES,
    PUBLISHED_STATUSES,
    Channel,
    DispatchStatus,
    Letter,
    LetterBatch,
    LetterDispatch,
    LetterReference,
    LetterStatus,
    PrintBatch,
)
from .mail import (
    IncomingMail,
    MailStatus,
)
from .numbering import (
    Counter,
    Series,
)
from .templates import (
    Brochure,
    ImmutableError,
    Letterhead,
    LetterTemplate,
    LetterTemplateVersion,
    LetterType,
    TypeKind,
)

__all__ = [
    "DISPATCH_UNDER_WAY",
    "EDITABLE_STATUSES",
    "PUBLISHED_STATUSES",
    "Brochure",
    "Channel",
    "Counter",
    "DispatchStatus",
    "ImmutableError",
    "IncomingMail",
    "Letter",
    "LetterBatch",
    "LetterDispatch",
    "LetterReference",
    "LetterStatus",
    "LetterTemplate",
    "LetterTemplateVersion",
    "LetterType",
    "Letterhead",
    "MailStatus",
    "PrintBatch",
    "Series",
    "TypeKind",
]
