"""Outgoing letters: draft, submit (issue or queue for approval), approve or reject,
archive as PDF/A, and send by e-mail, in a print batch or at the counter.

A letter gets its number when it is issued: when the agent's level covers the kind of
letter (`autonomy`), at submission; otherwise when a supervisor approves it. The
number, the frozen content and the status are written in one transaction with the
counter (`locks.next_number`), so a letter that fails leaves no gap.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from collections.abc import Mapping, Sequence
from typing import Any, cast

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F, Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from guichet.access import policy
from guichet.access.domains.correspondence import Action
from guichet.agents.models import Agent, Language, Team
from guichet.audit.services import Entry, audit_record, audit_record_many, changes
from guichet.core import clock
from guichet.core.errors import Conflict, Forbidden, NotFound
from guichet.core.validation import Problems, parse_uuid, text
from guichet.core.versioning import check_version, versioned_update
from guichet.correspondence import (
    archive,
    autonomy,
    content,
    docx_io,
    formatting,
    locks,
    pdf,
    placeholders,
    validation,
)
from guichet.correspondence.composing import (
    brochures_of,
    compose,
    declared_fields,
    template_current,
)
from guichet.correspondence.errors import (
    Code,
    WrongState,
)
from guichet.correspondence.models import (
    DISPATCH_UNDER_WAY,
    EDITABLE_STATUSES,
    Channel,
    DispatchStatus,
    Letter,
    LetterDispatch,
    Letterhead,
    LetterReference,
    LetterStatus,
    LetterTemplateVersion,
    PrintBatch,
    Series,
)
from guichet.correspondence.selectors import under_way
from guichet.correspondence.validation import letterhead_of, team_of
from guichet.parties.models import Person

from .templates import BROCHURE_EXTENSION

logger = logging.getLogger(__name__)

SUBJECT_MAX = 300
BODY_MAX = 20_000
REASON_MAX = 2000
DOCX_MAX = 5 * 1024 * 1024
# An e-mail still 'sending' after this long is assumed lost and may be sent again.
SENDING_TIMEOUT = dt.timedelta(minutes=15)


def _locked(actor: Agent, letter_id: Any) -> Letter:
    key = parse_uuid(letter_id)
    letter = (
        policy.visible(actor, Letter.objects.all())
        .filter(uuid=key)
        .select_for_update(of=("self",))
        .first()
        if key
        else None
    )
    if letter is None:
        raise NotFound(_("No such letter."))
    return letter


def _wrong_state(letter: Letter) -> WrongState:
    return WrongState(
        _("This letter is %(status)s; this cannot be done now."),
        params={"status": LetterStatus(letter.status).label},
    )


def _texts(
    problems: Problems,
    *,
    subject: str | None,
    body: str | None,
    has_template: bool,
) -> tuple[str | None, str | None, list[str]]:
    """Check the agent's own subject and body; return them and their free fields."""
    names: list[str] = []
    clean_subject: str | None = None
    clean_body: str | None = None
    if subject is not None or not has_template:
        clean_subject = text(
            problems, "subject", subject, required=True, max_length=SUBJECT_MAX
        )
        names += validation.template_text(problems, "subject", clean_subject).names
    if body is not None or not has_template:
        clean_body = text(
            problems, "body", body, required=True, max_length=BODY_MAX, multiline=True
        )
        names += validation.template_text(problems, "body", clean_body).names
    return clean_subject, clean_body, placeholders.free_field_names(names)


def _references(problems: Problems, references: Mapping[str, str]) -> dict[str, str]:
    clean: dict[str, str] = {}
    for kind, object_id in references.items():
        value = str(object_id).strip()
        if not kind.isidentifier() or not kind.islower() or len(kind) > 32:
            problems.add(
                f"references.{kind}", Code.INVALID_REFERENCE, _("Not a kind of object.")
            )
        elif not value or len(value) > 64:
            problems.add(
                f"references.{kind}",
                Code.INVALID_REFERENCE,
                _("Give the object's identifier."),
            )
        else:
            clean[kind] = value
    return clean


def _snapshot(letter: Letter) -> dict[str, Any]:
    return {
        "status": letter.status,
        "subject_text": letter.subject_text,
        "body_text": letter.body_text,
        "free_values": dict(letter.free_values),
        "is_flagged": letter.is_flagged,
        "flag_reason": letter.flag_reason,
        "docx_sha256": letter.docx_sha256,
    }


@transaction.atomic
def letter_draft_create(
    *,
    actor: Agent,
    person_id: Any,
    letter_type: str | None = None,
    language: str | None = None,
    team: str | None = None,
    subject: str | None = None,
    body: str | None = None,
    free_values: Mapping[str, Any] | None = None,
    is_flagged: bool = False,
    flag_reason: str = "",
    references: Mapping[str, str] | None = None,
) -> Letter:
    """Start a letter to a person, from a template (`letter_type`) or from scratch.

    Values may still be missing in a draft; `letter_submit` refuses a letter with a hole.
    """
    policy.require(actor, Action.LETTER_DRAFT)
    key = parse_uuid(person_id)
    person = (
        policy.visible(actor, Person.objects.all()).filter(uuid=key).first()
        if key
        else None
    )
    if person is None:
        raise NotFound(_("No such person."))
    problems = Problems()
    chosen_team = team_of(problems, actor, team)
    letterhead_of(problems, chosen_team)
    chosen_language = language or person.language
    if chosen_language not in Language.values:
        problems.add(
            "language",
            Code.INVALID_CHOICE,
            _("Choose one of: %(allowed)s."),
            allowed=", ".join(Language.values),
        )
    version = (
        template_current(problems, letter_type, chosen_language)
        if letter_type and chosen_language in Language.values
        else None
    )
    has_template = bool(letter_type)
    clean_subject, clean_body, own_free = _texts(
        problems, subject=subject, body=body, has_template=has_template
    )
    allowed_free = list(
        dict.fromkeys([*(version.free_fields if version else []), *own_free])
    )
    clean_free = validation.free_values(
        problems, free_values or {}, allowed_free, declared_fields(version)
    )
    reason = text(
        problems, "flag_reason", flag_reason, required=is_flagged, max_length=REASON_MAX
    )
    clean_references = _references(problems, references or {})
    problems.raise_if_any()
    letter = Letter(
        team=cast(Team, chosen_team),
        author=actor,
        person=person,
        language=chosen_language,
        template_version=version,
        subject_text=clean_subject,
        body_text=clean_body,
        free_values=clean_free,
        is_flagged=is_flagged,
        flag_reason=reason if is_flagged else "",
    )
    letter.save(force_insert=True)
    for kind, object_id in clean_references.items():
        LetterReference.objects.create(letter=letter, kind=kind, object_id=object_id)
    audit_record(
        actor=actor,
        action="letter.draft",
        obj=letter,
        summary={
            "person": str(person.uuid),
            "team": letter.team.code,
            "template": _template_label(version),
            "language": chosen_language,
            "after": _snapshot(letter),
            "references": clean_references,
        },
    )
    return letter


def _template_label(version: LetterTemplateVersion | None) -> str | None:
    if version is None:
        return None
    return f"{version.template.letter_type.code}/{version.template.language}/v{version.number}"


UPDATABLE = {"subject", "body", "free_values", "is_flagged", "flag_reason"}


@transaction.atomic
def letter_update(
    *, actor: Agent, letter_id: Any, expected_version: int, data: Mapping[str, Any]
) -> Letter:
    """Change a draft (or a rejected letter, which becomes a draft again).

    `subject` or `body` set to None go back to the template's text.
    """
    letter = _locked(actor, letter_id)
    policy.require(actor, Action.LETTER_DRAFT, letter)
    if letter.status not in EDITABLE_STATUSES:
        raise _wrong_state(letter)
    problems = Problems()
    for name in sorted(set(data) - UPDATABLE):
        problems.add(name, Code.INVALID_CHOICE, _("This field cannot be changed here."))
    has_template = letter.template_version_id is not None
    values: dict[str, Any] = {}
    if not has_template and (
        ("subject" in data and data["subject"] is None)
        or ("body" in data and data["body"] is None)
    ):
        problems.add(
            "body", Code.REQUIRED, _("A letter without template needs its own text.")
        )
    subject, body, own_free = _texts(
        problems,
        subject=data.get("subject") if "subject" in data else letter.subject_text,
        body=data.get("body") if "body" in data else letter.body_text,
        has_template=has_template,
    )
    values["subject_text"], values["body_text"] = subject, body
    version = letter.template_version
    allowed_free = list(
        dict.fromkeys([*(version.free_fields if version else []), *own_free])
    )
    if "free_values" in data:
        values["free_values"] = validation.free_values(
            problems, data["free_values"] or {}, allowed_free, declared_fields(version)
        )
    flagged = bool(data.get("is_flagged", letter.is_flagged))
    reason = text(
        problems,
        "flag_reason",
        data.get("flag_reason", letter.flag_reason),
        required=flagged,
        max_length=REASON_MAX,
    )
    values["is_flagged"], values["flag_reason"] = flagged, reason if flagged else ""
    problems.raise_if_any()
    before = _snapshot(letter)
    versioned_update(
        letter, expected_version=expected_version, status=LetterStatus.DRAFT, **values
    )
    audit_record(
        actor=actor,
        action="letter.update",
        obj=letter,
        summary={
            "changes": changes(before, _snapshot(letter)),
            "version": letter.version,
        },
    )
    return letter


@transaction.atomic
def letter_docx_upload(
    *, actor: Agent, letter_id: Any, expected_version: int, data: bytes
) -> Letter:
    """Take an edited DOCX as the letter's text; the file itself is archived as received."""
    letter = _locked(actor, letter_id)
    policy.require(actor, Action.LETTER_DRAFT, letter)
    if letter.status not in EDITABLE_STATUSES:
        raise _wrong_state(letter)
    problems = Problems()
    if len(data) > DOCX_MAX:
        problems.add(
            "file",
            Code.FILE_TOO_LARGE,
            _("The file is larger than %(max)d MB."),
            max=DOCX_MAX // (1024 * 1024),
        )
        problems.raise_if_any()
    label = content.labels(letter.language)["subject"]
    try:
        edited = docx_io.read_docx(data, subject_label=label)
    except docx_io.UnreadableDocx:
        problems.add(
            "file",
            Code.INVALID_FILE,
            _("This is not a Word document (DOCX) we can read."),
        )
        problems.raise_if_any()
        raise  # pragma: no cover - raise_if_any raised
    if edited.identifier and edited.identifier != str(letter.uuid):
        problems.add(
            "file",
            Code.INVALID_FILE,
            _("This document was made for another letter (%(identifier)s)."),
            identifier=edited.identifier,
        )
    prefix = Letterhead.objects.values_list("prefix", flat=True).get(
        team_id=letter.team_id
    )
    edited_subject = (
        formatting.restore_number_placeholder(edited.subject, prefix)
        if edited.subject is not None
        else letter.subject_text
    )
    subject, body, _free = _texts(
        problems,
        subject=edited_subject,
        body=formatting.restore_number_placeholder(edited.body, prefix),
        has_template=letter.template_version_id is not None,
    )
    problems.raise_if_any()
    stored = archive.store(data, "docx")
    before = _snapshot(letter)
    versioned_update(
        letter,
        expected_version=expected_version,
        status=LetterStatus.DRAFT,
        subject_text=subject,
        body_text=body,
        docx_sha256=stored.sha256,
    )
    audit_record(
        actor=actor,
        action="letter.docx_upload",
        obj=letter,
        summary={
            "changes": changes(before, _snapshot(letter)),
            "docx_sha256": stored.sha256,
            "size": stored.size,
            "version": letter.version,
        },
    )
    return letter


def _issue(letter: Letter, *, expected_version: int, **extra: Any) -> None:
    """Number the letter and freeze its content, in the caller's transaction."""
    today = clock.today()
    head = Letterhead.objects.get(team_id=letter.team_id)
    sequence = locks.next_number(
        team=letter.team, series=Series.OUTGOING, year=today.year
    )
    number = formatting.letter_number(head.prefix, today.year, sequence)
    composed = compose(letter, draft=False, number=number, date=today)
    now = clock.now()
    frozen = {
        **composed.content,
        "issued_at": now.isoformat(),
        "template": _template_label(letter.template_version),
        "brochures": brochures_of(letter.template_version),
    }
    versioned_update(
        letter,
        expected_version=expected_version,
        status=LetterStatus.ISSUED,
        number=number,
        year=today.year,
        sequence=sequence,
        issued_at=now,
        content=frozen,
        **extra,
    )
    from guichet.correspondence.tasks import archive_letter

    archive_letter.enqueue(str(letter.uuid))


def classify(
    letter: Letter, composed: content.Composed, *, is_flagged: bool | None = None
) -> autonomy.LetterKind:
    """The letter's kind for the autonomy rule. A frame whose text is the agent's
    own (`LetterType.is_standard` off: the reply to a request) is no standard
    answer, whatever its free fields hold."""
    version = letter.template_version
    standard = version is not None and version.template.letter_type.is_standard
    return autonomy.classify(
        has_template=standard,
        has_free_fields=bool(version and version.free_fields),
        is_changed=composed.is_changed,
        is_flagged=letter.is_flagged if is_flagged is None else is_flagged,
    )


@transaction.atomic
def letter_submit(*, actor: Agent, letter_id: Any, expected_version: int) -> Letter:
    """Send the letter on: issued at once if the agent's level covers its kind,
    otherwise into the approval queue of the service's supervisors."""
    letter = _locked(actor, letter_id)
    policy.require(actor, Action.LETTER_DRAFT, letter)
    if letter.status != LetterStatus.DRAFT:
        raise _wrong_state(letter)
    check_version(letter, expected_version)
    kind = classify(letter, compose(letter, draft=False))
    decision = autonomy.decide(agent=actor, kind=kind, obj=letter)
    submitted: dict[str, Any] = {
        "autonomy_kind": kind.value,
        "submitted_by": actor,
        "submitted_at": clock.now(),
    }
    if decision.may_send_alone:
        _issue(letter, expected_version=expected_version, **submitted)
    else:
        versioned_update(
            letter,
            expected_version=expected_version,
            status=LetterStatus.PENDING_APPROVAL,
            **submitted,
        )
    audit_record(
        actor=actor,
        action="letter.submit",
        obj=letter,
        summary={
            "kind": kind.value,
            "required_action": decision.required_action,
            "level": actor.level,
            "outcome": letter.status,
            "number": letter.number,
        },
    )
    return letter


def _require_approver(actor: Agent, letter: Letter) -> None:
    """A supervisor of the letter's team whose level covers its kind, who neither
    wrote nor submitted it (four eyes)."""
    kind = autonomy.kind_of(letter.autonomy_kind)
    if not autonomy.may_approve(agent=actor, kind=kind, obj=letter):
        raise Forbidden(_("You may not do this."))
    if actor.pk in {letter.author_id, letter.submitted_by_id}:
        raise Forbidden(
            _("You wrote or submitted this letter; another supervisor decides on it."),
            code=Code.OWN_LETTER,
        )


def _approver_edit_allowed(actor: Agent, letter: Letter) -> autonomy.LetterKind:
    """A supervisor's edit is itself a letter they send: its kind (the edited text
    without the author's flag, which the approval answers) must be one their own
    level sends alone, an adapted standard answer for level B (issue #15, item 4).
    A text of their own, with no standard answer behind it, is adapting too."""
    kind = classify(letter, compose(letter, draft=False), is_flagged=False)
    needed = autonomy.REQUIRED_ACTION[kind] or Action.LETTER_ADAPT
    if not policy.may(actor, needed, letter):
        raise Forbidden(
            _(
                "Your level does not let you change this letter's text: approve it "
                "as it is, or reject it saying what to change."
            ),
            code=Code.EDIT_ABOVE_LEVEL,
        )
    return kind


@transaction.atomic
def letter_approve(
    *,
    actor: Agent,
    letter_id: Any,
    expected_version: int,
    subject: str | None = None,
    body: str | None = None,
    note: str = "",
) -> Letter:
    """Approve a waiting letter, as it is or with the supervisor's edits, and issue it."""
    letter = _locked(actor, letter_id)
    policy.require(actor, Action.LETTER_APPROVE, letter)
    if letter.status != LetterStatus.PENDING_APPROVAL:
        raise _wrong_state(letter)
    _require_approver(actor, letter)
    check_version(letter, expected_version)
    problems = Problems()
    clean_note = text(problems, "note", note, required=False, max_length=REASON_MAX)
    edits: dict[str, Any] = {}
    if subject is not None or body is not None:
        clean_subject, clean_body, _free = _texts(
            problems,
            subject=subject if subject is not None else letter.subject_text,
            body=body if body is not None else letter.body_text,
            has_template=letter.template_version_id is not None,
        )
        edits = {"subject_text": clean_subject, "body_text": clean_body}
    problems.raise_if_any()
    before = _snapshot(letter)
    for name, value in edits.items():
        setattr(letter, name, value)
    edited_kind = _approver_edit_allowed(actor, letter) if edits else None
    now = clock.now()
    _issue(
        letter,
        expected_version=expected_version,
        decided_by=actor,
        decided_at=now,
        decision_reason=clean_note,
        **edits,
    )
    audit_record(
        actor=actor,
        action="letter.approve",
        obj=letter,
        summary={
            "number": letter.number,
            "kind": letter.autonomy_kind,
            "edits": changes(before, _snapshot(letter)),
            "edited_kind": edited_kind.value if edited_kind else None,
        },
        reason=clean_note,
    )
    return letter


@transaction.atomic
def letter_reject(
    *, actor: Agent, letter_id: Any, expected_version: int, reason: str
) -> Letter:
    """Send a waiting letter back to its author, saying why."""
    letter = _locked(actor, letter_id)
    policy.require(actor, Action.LETTER_APPROVE, letter)
    if letter.status != LetterStatus.PENDING_APPROVAL:
        raise _wrong_state(letter)
    _require_approver(actor, letter)
    problems = Problems()
    clean = text(
        problems, "reason", reason, required=True, max_length=REASON_MAX, multiline=True
    )
    problems.raise_if_any()
    versioned_update(
        letter,
        expected_version=expected_version,
        status=LetterStatus.REJECTED,
        decided_by=actor,
        decided_at=clock.now(),
        decision_reason=clean,
    )
    audit_record(
        actor=actor,
        action="letter.reject",
        obj=letter,
        summary={"kind": letter.autonomy_kind},
        reason=clean,
    )
    return letter


@transaction.atomic
def letter_cancel(
    *, actor: Agent, letter_id: Any, expected_version: int, reason: str = ""
) -> Letter:
    """Drop a letter that has no number yet. Issued letters stay in the register."""
    letter = _locked(actor, letter_id)
    policy.require(actor, Action.LETTER_DRAFT, letter)
    if letter.status not in (*EDITABLE_STATUSES, LetterStatus.PENDING_APPROVAL):
        raise _wrong_state(letter)
    before = letter.status
    versioned_update(
        letter, expected_version=expected_version, status=LetterStatus.CANCELLED
    )
    audit_record(
        actor=actor,
        action="letter.cancel",
        obj=letter,
        summary={"before": before},
        reason=reason.strip(),
    )
    return letter


def letter_render(letter: Letter) -> pdf.Rendered:
    """The issued letter as PDF/A, from its frozen content (no database access)."""
    return pdf.render_pdfa(content.letter_html(letter.content))


def letter_pdf_deliver(*, actor: Agent, letter_id: Any) -> tuple[Letter, bytes]:
    """The archived PDF/A of an issued letter, checked against its recorded hash;
    the read is logged. A letter issued a moment ago may not be archived yet (its
    task has not run): it is archived now, a write, hence a service."""
    from guichet.correspondence.selectors import letter_get_for_agent

    letter = letter_get_for_agent(agent=actor, letter_id=letter_id, purpose="pdf").obj
    if not letter.number:
        raise WrongState(_("This letter has no number yet; preview the draft instead."))
    if not letter.pdf_sha256:
        letter = letter_archive(letter_id=letter.pk)
    return letter, archive.read(letter.pdf_sha256, "pdf")


def letter_archive(*, letter_id: int) -> Letter:
    """Render and store an issued letter's PDF/A once (idempotent; a system task)."""
    letter = Letter.objects.get(pk=letter_id)
    if letter.pdf_sha256 or letter.number is None:
        return letter
    rendered = letter_render(letter)
    return letter_archive_store(
        letter_id=letter.pk, data=rendered.data, pages=rendered.pages
    )


def letter_archive_store(*, letter_id: int, data: bytes, pages: int) -> Letter:
    """Keep a rendered PDF as the letter's archive, unless it already has one."""
    return letter_archive_store_many([(letter_id, data, pages)])[0]


@transaction.atomic
def letter_archive_store_many(
    rendered: Sequence[tuple[int, bytes, int]],
) -> list[Letter]:
    """Keep rendered PDFs (letter id, PDF, pages) as their letters' archives, in one
    transaction: a batch stores its letters in groups, one commit and one move of the
    audit chain's head for many letters (bench/RESULTS.md, Letters). A letter that
    already has its archive keeps it (read in this transaction, it is current)."""
    entries: list[Entry] = []
    stored_letters: list[Letter] = []
    letters = Letter.objects.in_bulk([letter_id for letter_id, _, _ in rendered])
    for letter_id, data, pages in rendered:
        stored = archive.store(data, "pdf")
        updated = Letter.objects.filter(
            pk=letter_id, pdf_sha256="", number__isnull=False
        ).update(pdf_sha256=stored.sha256, pdf_size=stored.size)
        letter = letters[letter_id]
        if updated:
            letter.pdf_sha256, letter.pdf_size = stored.sha256, stored.size
            entries.append(
                Entry(
                    action="letter.archive",
                    obj=letter,
                    summary={
                        "number": letter.number,
                        "sha256": stored.sha256,
                        "size": stored.size,
                        "pages": pages,
                    },
                )
            )
        stored_letters.append(letter)
    audit_record_many(actor=None, entries=entries)
    return stored_letters


def _email_address(
    problems: Problems,
    actor: Agent,
    letter: Letter,
    address: str | None,
    reason: str,
) -> tuple[str, str]:
    """The address the letter goes to (the person's preferred one by default), and
    why, when it is not one the person gave us (see access.domains.correspondence)."""
    on_record = list(letter.person.emails.order_by("-is_primary", "id"))
    if not (address and address.strip()):
        if not on_record:
            problems.add(
                "address",
                Code.NO_EMAIL,
                _("The person has no e-mail address; give one, or print the letter."),
            )
            return "", ""
        return on_record[0].address, ""
    cleaned = address.strip()
    try:
        validate_email(cleaned)
    except DjangoValidationError:
        problems.add(
            "address", Code.INVALID_EMAIL, _("This is not a valid e-mail address.")
        )
        return cleaned, ""
    known = [item for item in on_record if item.address_key == cleaned.lower()]
    if known:
        return known[0].address, ""
    if not policy.may(actor, Action.LETTER_EMAIL_ELSEWHERE, letter):
        raise Forbidden(
            _(
                "This is not an e-mail address of the person. Your level lets you send "
                "the letter only to an address the person gave us; a level B colleague "
                "or a supervisor can send it elsewhere."
            ),
            code=Code.ADDRESS_NOT_ON_RECORD,
        )
    why = _reason(
        problems,
        "address_reason",
        reason,
        code=Code.REQUIRED,
        message=_(
            "This is not an e-mail address of the person: say why the letter goes "
            "there."
        ),
    )
    return cleaned, why


def _reason(
    problems: Problems,
    field: str,
    value: str,
    *,
    code: str,
    message: Any,
    **params: Any,
) -> str:
    """A reason the agent must give, cleaned; `message` on `field` when it is missing."""
    why = text(
        problems, field, value, required=False, max_length=REASON_MAX, multiline=True
    )
    if not why:
        problems.add(field, code, message, **params)
    return why


def _sendable(letter: Letter) -> None:
    if letter.status not in (LetterStatus.ISSUED, LetterStatus.SENT):
        raise _wrong_state(letter)


def _resend(problems: Problems, letter: Letter, reason: str) -> str:
    """Why the letter goes once more, when a dispatch of it is done or under way;
    "" for its first dispatch. Missing, it is a field error and nothing is sent."""
    if not letter.dispatches.filter(status__in=DISPATCH_UNDER_WAY).exists():
        return ""
    return _reason(
        problems,
        "resend_reason",
        reason,
        code=Code.ALREADY_DISPATCHED,
        message=_(
            "This letter has already been sent, or is being sent. To send it once "
            "more, confirm it and say why."
        ),
    )


@transaction.atomic
def letter_send_email(
    *,
    actor: Agent,
    letter_id: Any,
    address: str | None = None,
    address_reason: str = "",
    resend_reason: str = "",
) -> LetterDispatch:
    """Queue the letter for e-mail, its PDF/A attached: to the person's preferred
    address by default, to another of theirs, or (level B, with a reason) elsewhere.
    A letter already sent or being sent goes again only with `resend_reason`."""
    letter = _locked(actor, letter_id)
    policy.require(actor, Action.LETTER_DISPATCH, letter)
    _sendable(letter)
    problems = Problems()
    to, why = _email_address(problems, actor, letter, address, address_reason)
    again = _resend(problems, letter, resend_reason)
    problems.raise_if_any()
    dispatch = LetterDispatch.objects.create(
        letter=letter, channel=Channel.EMAIL, address=to, requested_by=actor
    )
    audit_record(
        actor=actor,
        action="letter.dispatch",
        obj=letter,
        summary={
            "channel": Channel.EMAIL,
            "dispatch": str(dispatch.uuid),
            "address": to,
            "on_record": not why,
            "again": bool(again),
        },
        reason="\n".join(part for part in (why, again) if part),
    )
    from guichet.correspondence.tasks import send_letter_email

    send_letter_email.enqueue(str(dispatch.uuid))
    return dispatch


def dispatch_message_id(dispatch_uuid: Any) -> str:
    """The Message-ID of a dispatch's e-mail: its id at our sender's domain (a
    resend after a crash is recognisable as the same mail)."""
    domain = (
        settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip(">") or "guichet.invalid"
    )
    return f"<{dispatch_uuid}@{domain}>"


def _message(letter: Letter, dispatch: LetterDispatch, data: bytes) -> EmailMessage:
    head = Letterhead.objects.get(team_id=letter.team_id)
    frozen = letter.content
    with translation.override(letter.language):
        subject = pgettext("letter e-mail", "Our letter %(number)s: %(subject)s") % {
            "number": letter.number,
            "subject": frozen["subject"],
        }
        body = pgettext(
            "letter e-mail",
            "Please find attached our letter %(number)s (%(subject)s).\n\n"
            "%(service)s\n%(contact)s",
        ) % {
            "number": letter.number,
            "subject": frozen["subject"],
            "service": frozen["service"]["name"],
            "contact": content.SEPARATOR.join(frozen["service"]["contact"]),
        }
    request = (
        LetterReference.objects.filter(letter_id=letter.pk, kind="request")
        .values_list("object_id", flat=True)
        .first()
    )
    if request and request not in subject:
        subject = f"[{request}] {subject}"
    message = EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[dispatch.address],
        reply_to=[head.email] if head.email else None,
        headers={
            "Message-ID": dispatch_message_id(dispatch.uuid),
            # Our mark: an e-mail carrying it that comes back in is a loop.
            "X-Guichet-Dispatch": str(dispatch.uuid),
        },
    )
    filename = f"{(letter.number or '').replace('/', '-')}.pdf"
    message.attach(filename, data, "application/pdf")
    for item in frozen.get("brochures") or []:
        message.attach(
            item["filename"],
            archive.read(item["sha256"], BROCHURE_EXTENSION),
            item["media_type"],
        )
    return message


def letter_email_deliver(*, dispatch_id: Any) -> LetterDispatch:
    """Send one queued e-mail (a system task; safe to run twice).

    The dispatch is claimed ('sending') before the SMTP conversation and marked sent
    after it; a second run finds it claimed or sent and does nothing. The Message-ID
    is the dispatch's id, so a resend after a crash is recognisable as the same mail.
    """
    now = clock.now()
    claimable = Q(status__in=[DispatchStatus.QUEUED, DispatchStatus.FAILED]) | Q(
        status=DispatchStatus.SENDING, updated_at__lt=now - SENDING_TIMEOUT
    )
    with transaction.atomic():
        claimed = LetterDispatch.objects.filter(
            claimable, uuid=dispatch_id, channel=Channel.EMAIL
        ).update(
            status=DispatchStatus.SENDING,
            attempts=F("attempts") + 1,
            message_id=dispatch_message_id(dispatch_id),
            updated_at=now,
        )
    dispatch = LetterDispatch.objects.select_related("letter").get(uuid=dispatch_id)
    if not claimed:
        return dispatch
    letter = letter_archive(letter_id=dispatch.letter_id)
    try:
        _message(letter, dispatch, archive.read(letter.pdf_sha256, "pdf")).send()
    except (smtplib.SMTPException, OSError) as error:
        logger.warning("E-mail of letter %s failed: %s", letter.number, error)
        with transaction.atomic():
            LetterDispatch.objects.filter(pk=dispatch.pk).update(
                status=DispatchStatus.FAILED,
                error=str(error)[:1000],
                updated_at=clock.now(),
            )
            audit_record(
                actor=None,
                action="letter.send_failed",
                obj=letter,
                summary={"dispatch": str(dispatch.uuid), "error": str(error)[:200]},
            )
        dispatch.refresh_from_db()
        return dispatch
    with transaction.atomic():
        sent_at = clock.now()
        LetterDispatch.objects.filter(pk=dispatch.pk).update(
            status=DispatchStatus.SENT, sent_at=sent_at, error="", updated_at=sent_at
        )
        _mark_sent(letter, Channel.EMAIL, sent_at)
        audit_record(
            actor=None,
            action="letter.send",
            obj=letter,
            summary={
                "channel": Channel.EMAIL,
                "dispatch": str(dispatch.uuid),
                "address": dispatch.address,
            },
        )
    dispatch.refresh_from_db()
    return dispatch


def _mark_sent(letter: Letter, channel: str, when: dt.datetime) -> None:
    """The first sending makes the letter 'sent'; later copies change nothing."""
    Letter.objects.filter(pk=letter.pk, status=LetterStatus.ISSUED).update(
        status=LetterStatus.SENT, channel=channel, sent_at=when, updated_at=when
    )


@transaction.atomic
def letter_hand_over(
    *, actor: Agent, letter_id: Any, resend_reason: str = ""
) -> LetterDispatch:
    """Record that the letter was handed to the person at the counter (once more,
    after another dispatch, only with `resend_reason`)."""
    letter = _locked(actor, letter_id)
    policy.require(actor, Action.LETTER_DISPATCH, letter)
    _sendable(letter)
    problems = Problems()
    again = _resend(problems, letter, resend_reason)
    problems.raise_if_any()
    now = clock.now()
    dispatch = LetterDispatch.objects.create(
        letter=letter,
        channel=Channel.COUNTER,
        status=DispatchStatus.SENT,
        requested_by=actor,
        sent_at=now,
    )
    _mark_sent(letter, Channel.COUNTER, now)
    audit_record(
        actor=actor,
        action="letter.send",
        obj=letter,
        summary={
            "channel": Channel.COUNTER,
            "dispatch": str(dispatch.uuid),
            "again": bool(again),
        },
        reason=again,
    )
    return dispatch


def _cover_html(
    team_name: str, letters: Sequence[Letter], language: str, pages: list[int]
) -> str:
    from django.template.loader import render_to_string

    with translation.override(language):
        labels = {
            "title": pgettext("print list", "Letters to post"),
            "number": pgettext("print list", "Number"),
            "recipient": pgettext("print list", "Recipient"),
            "pages": pgettext("print list", "Pages"),
            "count": pgettext("print list", "Letters"),
            "page": pgettext("letter", "Page"),
        }
        printed = formatting.letter_date(clock.today(), language)
    rows = [
        {
            "number": letter.number,
            "recipient": letter.content["recipient"],
            "pages": count,
        }
        for letter, count in zip(letters, pages, strict=True)
    ]
    return render_to_string(
        "correspondence/pdf/print_list.html",
        {
            "language": language,
            "service": team_name,
            "labels": labels,
            "rows": rows,
            "printed": printed,
            "footer": content.css_string(team_name),
            "page_label": content.css_string(labels["page"]),
        },
    )


def _page_count(data: bytes) -> int:
    import io

    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as document:
        return len(document.pages)


def print_batch_create(
    *,
    actor: Agent,
    team: str | None = None,
    letter_ids: Sequence[Any] | None = None,
    resend_reason: str = "",
) -> PrintBatch:
    """One PDF to print: a list of the letters, then each letter; they are then sent.

    Without `letter_ids`: every issued letter of the service that no dispatch has
    sent or is sending. Named letters already sent, or being sent, are printed
    once more only with `resend_reason`.
    """
    policy.require(actor, Action.LETTER_DISPATCH)
    problems = Problems()
    chosen = team_of(problems, actor, team)
    problems.raise_if_any()
    mine = policy.visible(
        actor, Letter.objects.all(), for_action=Action.LETTER_DISPATCH
    ).filter(team=chosen)
    again = ""
    sent_before: dict[int, str] = {}
    if letter_ids is None:
        queryset = mine.filter(status=LetterStatus.ISSUED).exclude(under_way())
    else:
        keys = [parse_uuid(value) for value in letter_ids]
        queryset = mine.filter(
            status__in=(LetterStatus.ISSUED, LetterStatus.SENT),
            uuid__in=[key for key in keys if key],
        )
        found = set(queryset.values_list("uuid", flat=True))
        unknown = [
            str(value)
            for value, key in zip(letter_ids, keys, strict=True)
            if key not in found
        ]
        if unknown:
            problems.add(
                "letter_ids",
                Code.WRONG_STATE,
                _("These letters are not issued letters of this service: %(ids)s."),
                ids=", ".join(unknown),
            )
        sent_before = {
            pk: str(number)
            for pk, number in queryset.filter(under_way()).values_list("pk", "number")
        }
        if sent_before:
            again = _reason(
                problems,
                "resend_reason",
                resend_reason,
                code=Code.ALREADY_DISPATCHED,
                message=_(
                    "These letters have already been sent, or are being sent: "
                    "%(numbers)s. To send them once more, confirm it and say why."
                ),
                numbers=", ".join(sorted(sent_before.values())),
            )
    ids = list(queryset.order_by("year", "sequence").values_list("pk", flat=True))
    if not ids and not problems.errors:
        problems.add(
            "letter_ids", Code.NOTHING_TO_PRINT, _("There is no letter to print.")
        )
    problems.raise_if_any()
    for letter_pk in ids:
        letter_archive(letter_id=letter_pk)
    chosen = cast(Team, chosen)
    with transaction.atomic():
        locked = Letter.objects.select_for_update().filter(
            pk__in=ids, status__in=(LetterStatus.ISSUED, LetterStatus.SENT)
        )
        if not again:
            # Read under the lock: a letter e-mailed or handed over meanwhile is
            # not printed as well.
            locked = locked.filter(status=LetterStatus.ISSUED).exclude(under_way())
        letters = list(locked.order_by("year", "sequence"))
        if len(letters) != len(ids):
            raise Conflict(
                _(
                    "Some of these letters were sent meanwhile; list them again. Nothing was printed."
                )
            )
        documents = [archive.read(letter.pdf_sha256, "pdf") for letter in letters]
        pages = [_page_count(data) for data in documents]
        head = Letterhead.objects.get(team=chosen)
        language = actor.language if actor.language in Language.values else Language.FR
        cover = pdf.render_pdfa(
            _cover_html(head.name_in(language), letters, language, pages)
        )
        stored = archive.store(pdf.merge([cover.data, *documents]), "pdf")
        batch = PrintBatch.objects.create(
            team=chosen,
            created_by=actor,
            pdf_sha256=stored.sha256,
            pdf_size=stored.size,
            letter_count=len(letters),
        )
        now = clock.now()
        for letter in letters:
            LetterDispatch.objects.create(
                letter=letter,
                channel=Channel.POST,
                status=DispatchStatus.SENT,
                print_batch=batch,
                requested_by=actor,
                sent_at=now,
            )
            _mark_sent(letter, Channel.POST, now)
            audit_record(
                actor=actor,
                action="letter.send",
                obj=letter,
                summary={
                    "channel": Channel.POST,
                    "print_batch": str(batch.uuid),
                    "again": letter.pk in sent_before,
                },
                reason=again if letter.pk in sent_before else "",
            )
        audit_record(
            actor=actor,
            action="print_batch.create",
            obj=batch,
            summary={
                "letters": [letter.number for letter in letters],
                "sha256": stored.sha256,
            },
        )
    return batch
