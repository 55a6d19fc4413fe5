"""Reading an e-mail's raw source (pure: no database, no network).

Everything here takes bytes a stranger wrote, so nothing trusts them: headers are
decoded by the standard library's `email` package (RFC 2047 words included), a part
that cannot be decoded is skipped rather than fatal, a file's name is kept only for
display (its type is read from its bytes by the documents app), and HTML is never
shown as written: `sanitise` keeps a short list of harmless tags through nh3 (the
Ammonia sanitiser), drops every image (remote images would tell the sender when
and where the message was read) and every script, style and event handler.

Automatic messages are recognised from their headers (RFC 3834 `Auto-Submitted`,
the common `X-Autoreply`/`X-Autorespond`, `Precedence: bulk|junk|list|auto_reply`),
delivery reports from RFC 3464 (`multipart/report; report-type=delivery-status`)
or a mailer daemon's address, and loops from our own marks (`X-Guichet-Dispatch`,
which every e-mail Guichet sends carries, or our own sender address).
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import email.utils
import hashlib
import html as html_lib
import re
from dataclasses import dataclass, field
from email.message import EmailMessage, Message

import nh3

# Our mark on every e-mail Guichet sends (see correspondence's letter e-mail).
DISPATCH_HEADER = "X-Guichet-Dispatch"
MESSAGE_ID_MAX = 998
_ID = re.compile(r"<([^<>\s]{1,990})>")
_REFERENCE = re.compile(r"\bREQ-(\d{4})-(\d{7})\b", re.IGNORECASE)
_IMG = re.compile(r"<img\b", re.IGNORECASE)
_BLOCK_END = re.compile(r"</(?:p|div|li|tr|h[1-6])>|<br\s*/?>", re.IGNORECASE)
DROPPED = {"script", "style", "title", "head"}

TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "caption",
    "code",
    "dd",
    "div",
    "dl",
    "dt",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "li",
    "ol",
    "p",
    "pre",
    "q",
    "s",
    "small",
    "span",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "u",
    "ul",
}
ATTRIBUTES = {
    "a": {"href", "title"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
}


class Kind:
    """How a message is classified before anything is done with it."""

    CITIZEN = ""
    AUTO_REPLY = "auto_reply"
    BOUNCE = "bounce"
    LOOP = "loop"


@dataclass(frozen=True)
class Attachment:
    filename: str
    declared_type: str
    data: bytes


@dataclass(frozen=True)
class Read:
    from_address: str
    from_name: str
    subject: str
    sent_at: dt.datetime | None
    recipients: int
    in_reply_to: tuple[str, ...]
    references: tuple[str, ...]
    text: str
    html: str
    remote_images: int
    kind: str
    kind_reason: str
    attachments: list[Attachment] = field(default_factory=list)
    # Problems met while reading that did not stop it (a part left out).
    defects: list[str] = field(default_factory=list)

    def request_references(self) -> list[tuple[int, int]]:
        """(year, number) of each `REQ-YYYY-NNNNNNN` in the subject."""
        return [(int(y), int(n)) for y, n in _REFERENCE.findall(self.subject)]


def parse(raw: bytes) -> EmailMessage:
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(message, EmailMessage)  # noqa: S101 - the policy's class
    return message


def _header(message: Message, name: str) -> str:
    """A header's decoded value, or "" when it is absent or cannot be decoded."""
    try:
        value = message.get(name)
    except (ValueError, IndexError, TypeError, LookupError):
        return ""
    return " ".join(str(value).split()) if value is not None else ""


def ids_in(value: str) -> tuple[str, ...]:
    """The message ids written `<...>` in a header, in order, without brackets."""
    return tuple(found[:MESSAGE_ID_MAX] for found in _ID.findall(value))


def message_id_of(raw: bytes) -> str:
    """The message's own Message-ID, or a stable one from its bytes' SHA-256 when it
    has none (the same file imported twice gets the same id)."""
    head = raw.split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0]
    try:
        headers = email.message_from_bytes(head + b"\n\n", policy=email.policy.compat32)
        found = ids_in(str(headers.get("Message-ID", "") or ""))
    except Exception:  # any unreadable header: the hash below
        found = ()
    if found:
        return found[0]
    return f"sha256-{hashlib.sha256(raw).hexdigest()}@guichet.invalid"


def classify(message: Message, *, our_address: str) -> tuple[str, str]:
    """(kind, the header that tells) for an automatic message, else ("", "")."""
    if _header(message, DISPATCH_HEADER):
        return Kind.LOOP, DISPATCH_HEADER
    content = message.get_content_type()
    report = str(message.get_param("report-type", "") or "").lower()
    if content == "multipart/report" and report == "delivery-status":
        return Kind.BOUNCE, "Content-Type: multipart/report"
    sender = email.utils.parseaddr(_header(message, "From"))[1].lower()
    local = sender.partition("@")[0]
    if local in {"mailer-daemon", "postmaster"}:
        return Kind.BOUNCE, "From: " + sender
    if our_address and sender == our_address.lower():
        return Kind.LOOP, "From"
    auto = _header(message, "Auto-Submitted").lower()
    if auto and auto != "no":
        return Kind.AUTO_REPLY, "Auto-Submitted"
    for name in ("X-Autoreply", "X-Autorespond"):
        if _header(message, name):
            return Kind.AUTO_REPLY, name
    precedence = _header(message, "Precedence").lower()
    if precedence in {"bulk", "junk", "list", "auto_reply"}:
        return Kind.AUTO_REPLY, "Precedence"
    return Kind.CITIZEN, ""


def sanitise(html: str) -> tuple[str, int]:
    """Markup safe to show an agent, and how many images were left out."""
    images = len(_IMG.findall(html))
    clean = nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        clean_content_tags=DROPPED,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
    return clean, images


def _text_of(part: Message) -> str:
    try:
        content = part.get_content()  # type: ignore[attr-defined]
    except (LookupError, ValueError, AssertionError, UnicodeError):
        payload = part.get_payload(decode=True)
        content = (
            payload.decode("utf-8", "replace") if isinstance(payload, bytes) else ""
        )
    return content if isinstance(content, str) else ""


def _date(message: Message) -> dt.datetime | None:
    value = _header(message, "Date")
    if not value:
        return None
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=dt.UTC)


def _recipients(message: Message) -> int:
    addresses = []
    for name in ("To", "Cc"):
        try:
            values = message.get_all(name) or []
        except (ValueError, IndexError, TypeError):
            continue
        addresses.extend(email.utils.getaddresses([str(value) for value in values]))
    return sum(1 for _, address in addresses if address)


def _bodies(
    message: EmailMessage, defects: list[str]
) -> tuple[str, str, list[Attachment]]:
    text, html = "", ""
    attachments: list[Attachment] = []
    for part in message.walk():
        if part.is_multipart():
            continue
        disposition = part.get_content_disposition()
        filename = ""
        try:
            filename = part.get_filename() or ""
        except (ValueError, IndexError, TypeError):
            defects.append("filename")
        content_type = part.get_content_type()
        if (
            disposition == "attachment"
            or filename
            or not content_type.startswith("text/")
        ):
            try:
                data = part.get_payload(decode=True)
            except (ValueError, TypeError):
                data = None
            if isinstance(data, bytes) and data:
                attachments.append(Attachment(filename[:255], content_type[:255], data))
            elif content_type.startswith(("message/", "multipart/")):
                continue
            else:
                defects.append(f"empty part {content_type}")
            continue
        if content_type == "text/plain" and not text:
            text = _text_of(part)
        elif content_type == "text/html" and not html:
            html = _text_of(part)
    return text, html, attachments


def read(raw: bytes, *, our_address: str = "") -> Read:
    """What a message says, who sent it, what it carries (see the module's text)."""
    message = parse(raw)
    defects = [type(defect).__name__ for defect in message.defects]
    kind, why = classify(message, our_address=our_address)
    name, address = email.utils.parseaddr(_header(message, "From"))
    text, html, attachments = _bodies(message, defects)
    # Plain text is preferred; the sanitised markup is kept only without it.
    safe, images = sanitise(html) if html and not text.strip() else ("", 0)
    if safe:
        broken = _BLOCK_END.sub("\n", html)
        text = nh3.clean(broken, tags=set(), clean_content_tags=DROPPED)
        text = "\n".join(
            line.strip()
            for line in html_lib.unescape(text).splitlines()
            if line.strip()
        )
    return Read(
        from_address=address.strip()[:254],
        from_name=name.strip()[:200],
        subject=_header(message, "Subject")[:500],
        sent_at=_date(message),
        recipients=_recipients(message),
        in_reply_to=ids_in(_header(message, "In-Reply-To")),
        references=ids_in(_header(message, "References")),
        text=text.strip(),
        html=safe,
        remote_images=images,
        kind=kind,
        kind_reason=why,
        attachments=attachments,
        defects=defects,
    )
