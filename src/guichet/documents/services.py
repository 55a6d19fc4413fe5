"""Writes to documents: upload, correct the record, verify. Each service checks the
policy, validates (every problem at once), writes in one transaction with its audit
record, and refuses stale versions."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from django.conf import settings
from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from guichet.access import policy
from guichet.access.domains.documents import Action
from guichet.agents.models import Agent
from guichet.audit.services import audit_record, changes
from guichet.checks.kinds import CHECKS, run_check
from guichet.core import clock
from guichet.core.errors import (
    FieldError,
    NotFound,
    ValidationFailed,
)
from guichet.core.text import fold
from guichet.core.validation import Problems, choice, parse_uuid, text
from guichet.core.versioning import check_version, versioned_update
from guichet.dossiers.models import DossierParty
from guichet.dossiers.selectors import by_reference, dossiers_visible
from guichet.dossiers.services import definition_of
from guichet.parties.models import Organisation, Person
from guichet.parties.validation import country as country_code

from . import sniffing, storage
from .checking import Record, checks_for, verdict
from .errors import Code
from .models import (
    ComparisonOutcome,
    Document,
    DocumentType,
    DocumentVerification,
    SigningOfficial,
    Specimen,
    SpecimenComparison,
    SpecimenKind,
)
from .selectors import (
    documents_visible,
    officials_visible,
    person_visible,
    specimen_get_for_agent,
    specimens_visible,
)

EDITABLE_FIELDS = (
    "document_type",
    "issued_on",
    "expires_on",
    "document_number",
    "description",
    "dossier_reference",
    "dossier_item",
)
_LENGTHS = {
    "document_number": 40,
    "description": 200,
    "dossier_reference": 64,
    "dossier_item": 64,
}


@dataclass(frozen=True)
class DocumentDetails:
    """What the agent says about a document: its type, dates and references."""

    document_type: str
    issued_on: dt.date | None = None
    expires_on: dt.date | None = None
    document_number: str = ""
    description: str = ""
    dossier_reference: str = ""
    dossier_item: str = ""


def _dossier_values(
    problems: Problems,
    actor: Agent,
    person: Person,
    values: dict[str, Any],
    current: Document | None = None,
) -> None:
    """Turn the typed `dossier_reference` into the dossier's key: a dossier the agent
    sees, in which the document's person has a role. A reference kept from before
    dossiers existed stays as it was while the agent does not change it."""
    reference = values.pop("dossier_reference", "")
    item = values.pop("dossier_item", "")
    if (
        current is not None
        and current.dossier_id is None
        and reference
        and (reference == current.legacy_dossier_reference)
    ):
        values.update(dossier=None, dossier_item="", legacy_dossier_reference=reference)
        return
    values["legacy_dossier_reference"] = ""
    if not reference:
        if item:
            problems.add(
                "dossier_item",
                Code.DOSSIER_ITEM_WITHOUT_DOSSIER,
                _("Name the dossier first."),
            )
        values.update(dossier=None, dossier_item="")
        return
    dossier = (
        dossiers_visible(agent=actor)
        .filter(by_reference(reference) or Q(pk__in=[]))
        .first()
    )
    if dossier is None or not (
        dossier.person_id == person.pk
        or DossierParty.objects.filter(dossier=dossier, person=person).exists()
    ):
        problems.add(
            "dossier_reference",
            Code.NO_SUCH_DOSSIER,
            _("There is no dossier %(reference)s of this person."),
            reference=reference,
        )
        values.update(dossier=None, dossier_item="")
        return
    if dossier.archived_at is not None:
        problems.add(
            "dossier_reference",
            Code.DOSSIER_ARCHIVED,
            _("The dossier %(reference)s is archived: nothing can be added to it."),
            reference=reference,
        )
    if item and item not in {
        document.code for document in definition_of(dossier).documents
    }:
        problems.add(
            "dossier_item",
            Code.DOSSIER_ITEM_UNKNOWN,
            _("The dossier's case type asks no such document."),
        )
    values.update(dossier=dossier, dossier_item=item)


def _clean_details(problems: Problems, values: Mapping[str, Any]) -> dict[str, Any]:
    """Validate the record's fields (all of them, as they will be after the write)."""
    clean: dict[str, Any] = {}
    choice(problems, "document_type", values["document_type"], DocumentType.values)
    clean["document_type"] = values["document_type"]
    for name, limit in _LENGTHS.items():
        clean[name] = text(
            problems, name, values.get(name), required=False, max_length=limit
        )
    issued_on, expires_on = values.get("issued_on"), values.get("expires_on")
    if issued_on is not None and issued_on > clock.today():
        problems.add(
            "issued_on",
            Code.ISSUED_IN_FUTURE,
            _("A document cannot be issued in the future."),
        )
    if issued_on is not None and expires_on is not None and expires_on < issued_on:
        problems.add(
            "expires_on",
            Code.DATES_ORDER,
            _("The expiry date (%(expires)s) is before the issue date (%(issued)s)."),
            expires=expires_on.isoformat(),
            issued=issued_on.isoformat(),
        )
    clean["issued_on"], clean["expires_on"] = issued_on, expires_on
    return clean


def _clean_name(name: str | None) -> str:
    """The uploaded file's name, for display only: no path, no control characters."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    printable = "".join(
        char
        for char in base
        if unicodedata.category(char)[0] not in {"C", "Z"} or char == " "
    )
    return printable.strip()[:255]


_ACCEPTED_MESSAGE = _(
    "This file is %(kind)s, whatever its name says; only PDF, JPEG, PNG and TIFF "
    "files are accepted."
)


def _check_file(
    problems: Problems,
    file: File[Any],
    *,
    limit: int,
    accepted: Sequence[str] = sniffing.CONTENT_TYPES,
    refused_message: Any = _ACCEPTED_MESSAGE,
) -> sniffing.Format | None:
    """Refuse an empty, oversize or unaccepted file; read only its first bytes."""
    size = file.size or 0
    if size == 0:
        problems.add("file", Code.FILE_EMPTY, _("The file is empty."))
        return None
    if size > limit:
        problems.add(
            "file",
            Code.FILE_TOO_LARGE,
            _("The file is %(size)s; at most %(limit)s are accepted."),
            size=filesizeformat(size),
            limit=filesizeformat(limit),
        )
        return None
    file.seek(0)
    head = file.read(sniffing.HEAD_SIZE)
    file.seek(0)
    found = sniffing.sniff(head)
    if found is None or found.content_type not in accepted:
        problems.add(
            "file",
            Code.FILE_TYPE_REFUSED,
            refused_message,
            kind=sniffing.describe(head) if found is None else found.description,
        )
        return None
    return found


def _store(file: File[Any], *, limit: int) -> storage.Stored:
    """Store a checked file under its hash; refuse it if it grew past `limit`."""
    try:
        return storage.store(file.chunks(storage.CHUNK), max_bytes=limit)
    except storage.ContentTooLarge:
        # The declared size was smaller than what was read.
        raise ValidationFailed(
            _("Some fields are not valid; nothing was saved."),
            errors=[
                FieldError(
                    "file",
                    Code.FILE_TOO_LARGE,
                    _("The file is larger than the %(limit)s accepted."),
                    {"limit": filesizeformat(limit)},
                )
            ],
        ) from None


def _snapshot(document: Document) -> dict[str, Any]:
    return {name: getattr(document, name) for name in EDITABLE_FIELDS}


@transaction.atomic
def document_upload(
    *, actor: Agent, person_id: Any, file: File[Any], details: DocumentDetails
) -> Document:
    """Keep a document a person handed in: its content (checked, stored by hash) and
    what the agent says it is."""
    person = person_visible(agent=actor, person_id=person_id)
    policy.require(actor, Action.DOCUMENT_UPLOAD)
    problems = Problems()
    values = _clean_details(problems, asdict(details))
    _dossier_values(problems, actor, person, values)
    found = _check_file(problems, file, limit=settings.DOCUMENT_MAX_BYTES)
    if found is None or problems.errors:
        raise ValidationFailed(
            _("Some fields are not valid; nothing was saved."), errors=problems.errors
        )
    stored = _store(file, limit=settings.DOCUMENT_MAX_BYTES)
    document = Document(
        person=person,
        content_sha256=stored.sha256,
        content_type=found.content_type,
        size=stored.size,
        original_name=_clean_name(file.name),
        uploaded_by=actor,
        **values,
    )
    document.save(force_insert=True)
    audit_record(
        actor=actor,
        action="document.upload",
        obj=document,
        summary={
            "person": str(person.uuid),
            "after": _snapshot(document),
            "content": {
                "sha256": stored.sha256,
                "size": stored.size,
                "type": found.content_type,
            },
        },
    )
    return document


def _locked_visible(actor: Agent, document_id: Any) -> Document:
    document = (
        documents_visible(agent=actor)
        .filter(uuid=document_id)
        .select_related("person")
        .select_for_update(of=("self",))
        .first()
    )
    if document is None:
        raise NotFound(_("No such document."))
    return document


@transaction.atomic
def document_update(
    *,
    actor: Agent,
    document_id: Any,
    expected_version: int,
    data: Mapping[str, Any],
    reason: str = "",
) -> Document:
    """Correct what the record says about a document, if the version still matches."""
    document = _locked_visible(actor, document_id)
    policy.require(actor, Action.DOCUMENT_EDIT, document)
    unknown = sorted(set(data) - set(EDITABLE_FIELDS))
    if unknown:
        raise ValidationFailed(
            _("Some fields are not valid; nothing was saved."),
            errors=[
                FieldError(
                    name, Code.UNKNOWN_FIELD, _("This field cannot be changed here.")
                )
                for name in unknown
            ],
        )
    problems = Problems()
    values = _clean_details(problems, {**_snapshot(document), **data})
    _dossier_values(problems, actor, document.person, values, document)
    problems.raise_if_any()
    before = _snapshot(document)
    versioned_update(document, expected_version=expected_version, **values)
    audit_record(
        actor=actor,
        action="document.update",
        obj=document,
        summary={
            "changes": changes(before, _snapshot(document)),
            "version": document.version,
        },
        reason=reason,
    )
    return document


@transaction.atomic
def document_verify(
    *,
    actor: Agent,
    document_id: Any,
    kind: str,
    values: Sequence[str],
    on: dt.date | None = None,
) -> DocumentVerification:
    """Run a check on what the agent read on the document; keep who, when and the
    full result (a new row each time: earlier verifications stay)."""
    document = _locked_visible(actor, document_id)
    policy.require(actor, Action.DOCUMENT_VERIFY, document)
    problems = Problems()
    if kind not in CHECKS:
        problems.add(
            "kind",
            Code.INVALID_CHOICE,
            _("Choose one of: %(allowed)s."),
            allowed=", ".join(CHECKS),
        )
    elif kind not in checks_for(document.document_type):
        problems.add(
            "kind",
            Code.CHECK_NOT_FOR_TYPE,
            _("A %(type)s is checked with: %(allowed)s."),
            type=document.get_document_type_display(),
            allowed=", ".join(checks_for(document.document_type)),
        )
    if not any(value.strip() for value in values):
        problems.add(
            "value",
            Code.VALUE_REQUIRED,
            _("Type what the document shows (for a zone, each of its lines)."),
        )
    problems.raise_if_any()
    reference_date = on or clock.today()
    person = document.person
    result = run_check(kind, values, on=reference_date)
    concluded = verdict(
        result,
        Record(
            expires_on=document.expires_on,
            document_number=document.document_number,
            birth_date=person.birth_date,
            surname=person.surname,
            national_number=person.national_number,
            given_names=person.given_names,
            sex=person.sex,
            # The person's record holds no nationality yet: not compared.
        ),
        on=reference_date,
    )
    verification = DocumentVerification(
        document=document,
        kind=kind,
        value=result.normalized,
        checked_on=reference_date,
        is_valid=concluded.passed,
        outcome=concluded.outcome,
        result={
            **result.as_stored(),
            "outcome": concluded.outcome.value,
            "reasons": [reason.as_stored() for reason in concluded.reasons],
        },
        verified_by=actor,
        verified_at=clock.now(),
    )
    verification.save(force_insert=True)
    audit_record(
        actor=actor,
        action="document.verify",
        obj=document,
        summary={
            "verification": str(verification.uuid),
            "kind": kind,
            "checked_on": reference_date,
            "outcome": concluded.outcome.value,
            "reasons": [reason.code for reason in concluded.reasons],
            "warnings": [warning.code for warning in result.warnings],
        },
    )
    return verification


# The register of specimen signatures and seals (issue #14, item 5).

# A specimen is a cut-out of a signature or a seal, or the authority's one-page PDF:
# far smaller than a scanned file. The cap keeps the register's thumbnails light.
SPECIMEN_MAX_BYTES = 2 * 1024 * 1024

_SPECIMEN_TYPES_MESSAGE = _(
    "This file is %(kind)s, whatever its name says; a specimen is a PNG or JPEG "
    "image, or a PDF."
)


def _locked_specimen(actor: Agent, specimen_id: Any) -> Specimen:
    key = parse_uuid(specimen_id)
    specimen = (
        specimens_visible(agent=actor)
        .filter(uuid=key)
        .select_related("official")
        .select_for_update(of=("self",))
        .first()
        if key
        else None
    )
    if specimen is None:
        raise NotFound(_("No such specimen."))
    return specimen


@transaction.atomic
def signing_official_register(
    *, actor: Agent, authority_id: Any, country: str, name: str, function: str
) -> SigningOfficial:
    """Add an official to the register: their name and function, the authority
    (an organisation of the party register) and the country of their documents."""
    policy.require(actor, Action.SPECIMEN_MANAGE)
    key = parse_uuid(authority_id)
    authority = (
        policy.visible(actor, Organisation.objects.all()).filter(uuid=key).first()
        if key
        else None
    )
    problems = Problems()
    if authority is None:
        problems.add(
            "authority_id",
            Code.REQUIRED,
            _("Choose the authority from the register of organisations."),
        )
    clean_country = country_code(problems, "country", country or "")
    clean_name = text(problems, "name", name, required=True, max_length=200)
    clean_function = text(problems, "function", function, required=True, max_length=200)
    taken = FieldError(
        "name",
        Code.OFFICIAL_TAKEN,
        _("This official is already in the register for this authority."),
    )
    if (
        authority is not None
        and SigningOfficial.objects.filter(
            authority=authority, search_name=fold(clean_name)
        ).exists()
    ):
        problems.extend([taken])
    problems.raise_if_any()
    official = SigningOfficial(
        authority=authority,
        country=clean_country,
        name=clean_name,
        function=clean_function,
        search_name=fold(clean_name),
        registered_by=actor,
    )
    try:
        with transaction.atomic():
            official.save(force_insert=True)
    except IntegrityError:
        # Another desk registered them between the check and the insert.
        raise ValidationFailed(problems.message, errors=[taken]) from None
    audit_record(
        actor=actor,
        action="specimen.official_register",
        obj=official,
        summary={
            "after": {
                "authority": str(official.authority.uuid),
                "country": clean_country,
                "name": clean_name,
                "function": clean_function,
            }
        },
    )
    return official


@transaction.atomic
def specimen_register(
    *,
    actor: Agent,
    official_id: Any,
    kind: str,
    file: File[Any],
    valid_from: dt.date | None,
    valid_until: dt.date | None = None,
) -> Specimen:
    """Keep a specimen of an official's signature or seal and its validity: the
    image is checked from its bytes (PNG, JPEG or PDF, at most
    `SPECIMEN_MAX_BYTES`) and stored once by its hash, as documents are."""
    policy.require(actor, Action.SPECIMEN_MANAGE)
    key = parse_uuid(official_id)
    official = officials_visible(agent=actor).filter(uuid=key).first() if key else None
    if official is None:
        raise NotFound(_("No such official."))
    problems = Problems()
    choice(problems, "kind", kind, SpecimenKind.values)
    if valid_from is None:
        problems.add("valid_from", Code.REQUIRED, _("This field is required."))
    elif valid_until is not None and valid_until <= valid_from:
        problems.add(
            "valid_until",
            Code.SPECIMEN_DATES_ORDER,
            _("The end of validity (%(until)s) must come after its start (%(start)s)."),
            until=valid_until.isoformat(),
            start=valid_from.isoformat(),
        )
    found = _check_file(
        problems,
        file,
        limit=SPECIMEN_MAX_BYTES,
        accepted=sniffing.SPECIMEN_CONTENT_TYPES,
        refused_message=_SPECIMEN_TYPES_MESSAGE,
    )
    if found is None or valid_from is None or problems.errors:
        raise ValidationFailed(problems.message, errors=problems.errors)
    stored = _store(file, limit=SPECIMEN_MAX_BYTES)
    specimen = Specimen(
        official=official,
        kind=kind,
        valid_from=valid_from,
        valid_until=valid_until,
        content_sha256=stored.sha256,
        content_type=found.content_type,
        size=stored.size,
        original_name=_clean_name(file.name),
        registered_by=actor,
    )
    specimen.save(force_insert=True)
    audit_record(
        actor=actor,
        action="specimen.register",
        obj=specimen,
        summary={
            "official": str(official.uuid),
            "after": {
                "kind": kind,
                "valid_from": valid_from,
                "valid_until": valid_until,
            },
            "content": {
                "sha256": stored.sha256,
                "size": stored.size,
                "type": found.content_type,
            },
        },
    )
    return specimen


@transaction.atomic
def specimen_withdraw(
    *, actor: Agent, specimen_id: Any, expected_version: int, reason: str
) -> Specimen:
    """Withdraw a specimen (registered in error, revoked): it is no longer offered
    for comparisons, and stays in the register with the reason. Never deleted."""
    specimen = _locked_specimen(actor, specimen_id)
    policy.require(actor, Action.SPECIMEN_MANAGE, specimen)
    check_version(specimen, expected_version)
    problems = Problems()
    clean_reason = text(
        problems, "reason", reason, required=True, max_length=1000, multiline=True
    )
    if specimen.is_withdrawn:
        problems.add(
            "reason",
            Code.SPECIMEN_WITHDRAWN,
            _("This specimen was already withdrawn."),
        )
    problems.raise_if_any()
    versioned_update(
        specimen,
        expected_version=expected_version,
        withdrawn_at=clock.now(),
        withdrawn_by=actor,
        withdrawal_reason=clean_reason,
    )
    audit_record(
        actor=actor,
        action="specimen.withdraw",
        obj=specimen,
        summary={"version": specimen.version},
        reason=clean_reason,
    )
    return specimen


@transaction.atomic
def specimen_comparison_record(
    *,
    actor: Agent,
    document_id: Any,
    specimen_id: Any,
    outcome: str,
    note: str = "",
) -> SpecimenComparison:
    """Record that the signature or seal on a document was compared with a
    specimen, and whether it matches. The specimen must be in force on the day the
    document was issued (today when the document has no issue date), and not
    withdrawn: legalisation certifies the capacity of the official at the time they
    signed (docs/sources.md §5.5). A new row each time: earlier comparisons stay."""
    document = _locked_visible(actor, document_id)
    # Without the register (`specimen.view`), the specimen does not exist for them.
    seen = specimen_get_for_agent(agent=actor, specimen_id=specimen_id)
    seen.require(Action.SPECIMEN_COMPARE)
    specimen = seen.obj
    problems = Problems()
    choice(problems, "outcome", outcome, ComparisonOutcome.values)
    clean_note = text(
        problems, "note", note, required=False, max_length=2000, multiline=True
    )
    reference_date = document.issued_on or clock.today()
    if specimen.is_withdrawn:
        problems.add(
            "specimen_id",
            Code.SPECIMEN_WITHDRAWN,
            _("This specimen was withdrawn: %(reason)s"),
            reason=specimen.withdrawal_reason,
        )
    elif not specimen.is_valid_on(reference_date):
        problems.add(
            "specimen_id",
            Code.SPECIMEN_NOT_VALID_ON,
            _(
                "This specimen was not in force on %(date)s, the day the document "
                "was issued (or today); choose one valid that day."
            ),
            date=reference_date.isoformat(),
        )
    problems.raise_if_any()
    comparison = SpecimenComparison(
        document=document,
        specimen=specimen,
        outcome=outcome,
        note=clean_note,
        reference_date=reference_date,
        compared_by=actor,
        compared_at=clock.now(),
    )
    comparison.save(force_insert=True)
    audit_record(
        actor=actor,
        action="specimen.compare",
        obj=document,
        summary={
            "comparison": str(comparison.uuid),
            "specimen": str(specimen.uuid),
            "outcome": outcome,
            "reference_date": reference_date,
        },
    )
    return comparison
