"""A dossier's export package: what is sent to the body that decides next.

Issue #14 point 3 ("transmit"). The package is a ZIP holding

- `manifest.json`: the dossier (reference, case type and version, status, dates
  and deadlines, facts), its parties with only what the receiving body needs
  (name, national or enterprise number, birth date, role), its documents (file
  in the ZIP, title, kind, language, media type, size, SHA-256, checks), the
  proposed or approved decision, the sending team and agent, when it was
  generated and the SHA-256 of the summary; valid against
  `data/export-manifest.schema.json` (JSON Schema 2020-12, checked with
  jsonschema-rs before anything is stored; docs/export-package.md);
- `summary.pdf`: the same facts for a reader, PDF/A, drawn by `correspondence`
  (`hooks.summary_renderers`, as that app renders letters and receipts);
- `documents/NNN-<what>.<ext>`: each stored document of the dossier, as stored
  (`hooks.export_document_sources`, filled by `documents`).

The ZIP is deterministic: entries in a fixed order with a fixed date, mode and
compression, and the summary is drawn from the dossier's state alone, so the same
state gives the same bytes except `generated_at` in the manifest. The package is
kept in the default storage under its SHA-256 (`exports/ab/cd/<sha256>`, as
`documents.storage` keeps documents) and recorded as an `ExportPackage`, so it can
be downloaded again exactly as sent. `package_build` runs inside the transmitting
transition's transaction (the `export_package` effect, `guards.py`) and writes
its audit record there; each download is written to the access log
(`selectors.export_package_for_agent`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from guichet.agents.models import Agent
from guichet.audit.services import audit_record
from guichet.casetypes.definition import Definition
from guichet.casetypes.selectors import version_definition
from guichet.core import clock
from guichet.core.jsonschema import schema_at, validator_at
from guichet.core.validation import Problems

from . import hooks
from .models import (
    Decision,
    DecisionState,
    Dossier,
    DossierParty,
    ExportPackage,
    PartyRole,
)

SCHEMA_PATH = Path(__file__).resolve().parent / "data" / "export-manifest.schema.json"
SCHEMA_VERSION = "1.0"
MANIFEST = "manifest.json"
SUMMARY = "summary.pdf"
MEDIA_TYPE = "application/zip"
ROOT = "exports"
# Every entry gets the earliest date a ZIP can say (1980-01-01): the bytes must
# not depend on when the package is built.
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
ZIP_MODE = 0o100644 << 16  # a regular file, rw-r--r--
_SLUG = re.compile(r"[^a-z0-9_-]+")


class ManifestInvalid(ValueError):
    """A manifest that does not match its schema: a bug of this module, never the
    agent's input, so it is not a `GuichetError`."""

    def __init__(self, errors: Sequence[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = list(errors)


@dataclass(frozen=True)
class Built:
    package: ExportPackage
    data: bytes
    manifest: dict[str, Any]


# ---------------------------------------------------------------- the schema


def schema() -> dict[str, Any]:
    """The manifest's JSON Schema (read once per process)."""
    return schema_at(SCHEMA_PATH)


def manifest_errors(manifest: Mapping[str, Any]) -> list[str]:
    """Every way `manifest` breaks the schema, each with its JSON path."""
    return [
        f"{'/'.join(str(part) for part in error.instance_path) or '/'}: {error.message}"
        for error in validator_at(SCHEMA_PATH).iter_errors(manifest)
    ]


def manifest_validate(manifest: Mapping[str, Any]) -> None:
    errors = manifest_errors(manifest)
    if errors:
        raise ManifestInvalid(errors)


# ---------------------------------------------------------------- the manifest


def iso_instant(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def iso_date(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _agent(agent: Agent) -> dict[str, str]:
    return {
        "username": agent.get_username(),
        "name": agent.get_full_name() or agent.get_username(),
    }


def _party(party: DossierParty) -> dict[str, Any]:
    if party.person is not None:
        person = party.person
        return {
            "role": party.role,
            "kind": "person",
            "name": f"{person.given_names} {person.surname}".strip(),
            "national_number": person.national_number or None,
            "birth_date": iso_date(person.birth_date),
        }
    organisation = party.organisation
    assert organisation is not None  # noqa: S101  (a check constraint: one of both)
    return {
        "role": party.role,
        "kind": "organisation",
        "name": organisation.name,
        "enterprise_number": organisation.enterprise_number or None,
    }


def _decision(dossier: Dossier) -> dict[str, Any] | None:
    """The dossier's own decision now: the latest proposed, approved or final one
    (a refused proposal, or another body's recorded decision, is not it)."""
    decision = (
        Decision.objects.filter(
            dossier=dossier,
            state__in=(
                DecisionState.PROPOSED,
                DecisionState.APPROVED,
                DecisionState.FINAL,
            ),
        )
        .select_related("proposed_by", "reviewed_by")
        .order_by("-created_at", "-id")
        .first()
    )
    if decision is None:
        return None
    return {
        "decision_type": decision.decision_type,
        "result": decision.result_code,
        "state": decision.state,
        "motivation": decision.motivation,
        "proposed_by": _agent(decision.proposed_by),
        "approved_by": _agent(decision.reviewed_by) if decision.reviewed_by else None,
        "approved_at": iso_instant(decision.reviewed_at)
        if decision.reviewed_at
        else None,
        "appeal_until": iso_date(decision.appeal_until),
    }


def _file_name(index: int, document: hooks.ExportDocument) -> str:
    what = _SLUG.sub("-", (document.required_document or document.kind).lower())
    return f"documents/{index:03d}-{what.strip('-') or 'document'}.{document.extension}"


def _title(
    document: hooks.ExportDocument, definition: Definition, language: str
) -> str:
    if document.description:
        return document.description
    for required in definition.documents:
        if required.code == document.required_document:
            return required.names.get(language)
    with translation.override(language):
        return str(document.kind_label)


def _documents(
    documents: Sequence[hooks.ExportDocument], definition: Definition, language: str
) -> list[dict[str, Any]]:
    return [
        {
            "file": _file_name(index, document),
            "title": _title(document, definition, language),
            "kind": document.kind,
            "required_document": document.required_document or None,
            "language": document.language,
            "media_type": document.media_type,
            "size": document.size,
            "sha256": document.sha256,
            "issued_on": document.issued_on,
            "expires_on": document.expires_on,
            "checks": [
                {
                    "kind": check.kind,
                    "valid": check.valid,
                    "outcome": check.outcome,
                    "checked_on": check.checked_on,
                    "verified_at": check.verified_at,
                }
                for check in document.checks
            ],
        }
        for index, document in enumerate(documents, start=1)
    ]


def manifest_body(
    *,
    dossier: Dossier,
    definition: Definition,
    actor: Agent,
    status: str,
    transmitted_at: dt.datetime,
    documents: Sequence[hooks.ExportDocument],
    language: str,
) -> dict[str, Any]:
    """The manifest without `generated_at` and the summary's entry: what the
    summary shows too."""
    parties = DossierParty.objects.filter(dossier=dossier).select_related(
        "person", "organisation"
    )
    return {
        "schema_version": SCHEMA_VERSION,
        "dossier": {
            "reference": dossier.reference,
            "id": str(dossier.uuid),
            "case_type": {
                "code": dossier.case_type.code,
                "version": dossier.case_type_version.number,
                "name": definition.names.get(language),
            },
            "status": status,
            "received_on": iso_date(dossier.received_on),
            "opened_at": iso_instant(dossier.created_at),
            "transmitted_at": iso_instant(transmitted_at),
            "deadlines": {
                "legal": iso_date(dossier.processing_due),
                "service_norm": iso_date(dossier.service_norm_due),
                "citizen_completion": iso_date(dossier.completion_due),
                "suspended_since": iso_date(dossier.suspended_since),
                "extended_on": iso_date(dossier.extended_on),
            },
            "facts": dict(sorted(dossier.facts.items())),
        },
        "parties": [_party(party) for party in parties.order_by("id")],
        "documents": _documents(documents, definition, language),
        "decision": _decision(dossier),
        "sender": {
            "team": {"code": dossier.team.code, "name": dossier.team.name},
            "agent": _agent(actor),
        },
    }


# ---------------------------------------------------------------- the summary


def _shown_date(value: str | None) -> str:
    return dt.date.fromisoformat(value).strftime("%d/%m/%Y") if value else "—"


def _shown_instant(value: str) -> str:
    moment = dt.datetime.fromisoformat(value)
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M")


def _shown_fact(value: Any) -> str:
    if value is True:
        return gettext("yes")
    if value is False:
        return gettext("no")
    return "—" if value is None else str(value)


def _status_name(definition: Definition, code: str, language: str) -> str:
    try:
        return definition.status(code).names.get(language)
    except KeyError:
        return code


def _decision_rows(
    decision: Mapping[str, Any] | None, definition: Definition, language: str
) -> tuple[tuple[str, ...], ...]:
    if decision is None:
        return ((gettext("Decision"), gettext("No decision is proposed.")),)
    names = {d.code: d.names.get(language) for d in definition.decisions}
    results = {r.code: r.names.get(language) for r in definition.results}
    approved = decision["approved_by"]
    return (
        (
            gettext("Decision type"),
            names.get(decision["decision_type"], decision["decision_type"]),
        ),
        (gettext("Result"), results.get(decision["result"], decision["result"])),
        (gettext("State"), str(DecisionState(decision["state"]).label)),
        (gettext("Motivation"), decision["motivation"]),
        (gettext("Proposed by"), decision["proposed_by"]["name"]),
        (gettext("Approved by"), approved["name"] if approved else "—"),
        (gettext("Objection or appeal until"), _shown_date(decision["appeal_until"])),
    )


def summary_sheet(
    body: Mapping[str, Any], definition: Definition, language: str
) -> hooks.SummarySheet:
    """The summary's sections, from the manifest's body, in `language`."""
    dossier = body["dossier"]
    deadlines = dossier["deadlines"]
    with translation.override(language):
        title = gettext("Transmission of dossier %(reference)s") % {
            "reference": dossier["reference"]
        }
        sections = (
            hooks.SummarySection(
                heading=gettext("Dossier"),
                rows=(
                    (gettext("Reference"), dossier["reference"]),
                    (
                        gettext("Case type"),
                        gettext("%(name)s (version %(version)s)")
                        % {
                            "name": dossier["case_type"]["name"],
                            "version": dossier["case_type"]["version"],
                        },
                    ),
                    (
                        gettext("Status"),
                        _status_name(definition, dossier["status"], language),
                    ),
                    (gettext("Received on"), _shown_date(dossier["received_on"])),
                    (gettext("Opened at"), _shown_instant(dossier["opened_at"])),
                    (
                        gettext("Transmitted at"),
                        _shown_instant(dossier["transmitted_at"]),
                    ),
                    (gettext("Legal deadline"), _shown_date(deadlines["legal"])),
                    (gettext("Service norm"), _shown_date(deadlines["service_norm"])),
                    (
                        gettext("Citizen's completion deadline"),
                        _shown_date(deadlines["citizen_completion"]),
                    ),
                ),
            ),
            hooks.SummarySection(
                heading=gettext("Facts"),
                rows=tuple(
                    (code, _shown_fact(value))
                    for code, value in dossier["facts"].items()
                )
                or ((gettext("Facts"), gettext("No fact is recorded.")),),
            ),
            hooks.SummarySection(
                heading=gettext("Parties"),
                columns=(
                    gettext("Role"),
                    gettext("Name"),
                    gettext("National or enterprise number"),
                    gettext("Birth date"),
                ),
                rows=tuple(
                    (
                        str(PartyRole(party["role"]).label),
                        party["name"],
                        party.get("national_number")
                        or party.get("enterprise_number")
                        or "—",
                        _shown_date(party.get("birth_date")),
                    )
                    for party in body["parties"]
                ),
            ),
            hooks.SummarySection(
                heading=gettext("Documents"),
                columns=(
                    gettext("File"),
                    gettext("Title"),
                    gettext("Size in bytes"),
                    gettext("SHA-256"),
                    gettext("Checks"),
                ),
                rows=tuple(
                    (
                        document["file"],
                        document["title"],
                        str(document["size"]),
                        document["sha256"],
                        ", ".join(
                            f"{check['kind']}: {check['outcome']}"
                            for check in document["checks"]
                        )
                        or "—",
                    )
                    for document in body["documents"]
                ),
            ),
            hooks.SummarySection(
                heading=gettext("Decision"),
                rows=_decision_rows(body["decision"], definition, language),
            ),
            hooks.SummarySection(
                heading=gettext("Sent by"),
                rows=(
                    (gettext("Team"), body["sender"]["team"]["name"]),
                    (gettext("Agent"), body["sender"]["agent"]["name"]),
                ),
            ),
        )
    return hooks.SummarySheet(
        language=language,
        title=title,
        author=body["sender"]["team"]["name"],
        footer=f"{body['sender']['team']['name']} · {dossier['reference']}",
        sections=sections,
    )


def summary_render(sheet: hooks.SummarySheet) -> bytes:
    if not hooks.summary_renderers:
        raise RuntimeError("no summary renderer: is `correspondence` installed?")
    return hooks.summary_renderers[0](sheet)


# ---------------------------------------------------------------- the ZIP


def zip_bytes(entries: Sequence[tuple[str, bytes]]) -> bytes:
    """A ZIP of `entries` in their order, with fixed dates and modes: the same
    entries give the same bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, so the mode below is read
            info.external_attr = ZIP_MODE
            archive.writestr(info, data, compresslevel=9)
    return buffer.getvalue()


def storage_name(sha256: str) -> str:
    return f"{ROOT}/{sha256[:2]}/{sha256[2:4]}/{sha256}"


def _store(data: bytes, sha256: str) -> None:
    """Keep the package under its hash; the same bytes are stored once."""
    name = storage_name(sha256)
    if default_storage.exists(name):
        return
    saved = default_storage.save(name, ContentFile(data, name=sha256))
    if saved != name:  # pragma: no cover - a race: another writer stored them
        default_storage.delete(saved)


def package_content(package: ExportPackage) -> bytes:
    """The stored package, as it was sent."""
    with default_storage.open(storage_name(package.sha256), "rb") as handle:
        data: bytes = handle.read()
    return data


def package_filename(package: ExportPackage) -> str:
    stamp = timezone.localtime(package.generated_at).strftime("%Y%m%d-%H%M%S")
    return f"{package.dossier.reference}-export-{stamp}.zip"


# ---------------------------------------------------------------- building


def _contents(
    dossier: Dossier, documents: Sequence[hooks.ExportDocument]
) -> list[bytes]:
    """Each document's stored bytes, checked against its SHA-256; a missing or
    altered content refuses the transmission (nothing is sent incomplete)."""
    contents: list[bytes] = []
    problems = Problems()
    for document in documents:
        try:
            data = document.read()
        except FileNotFoundError:
            data = None
        if data is None or hashlib.sha256(data).hexdigest() != document.sha256:
            problems.add(
                "documents",
                "document_content_missing",
                _(
                    "The stored file of a document of dossier %(reference)s is "
                    "missing or altered: %(sha256)s."
                ),
                reference=dossier.reference,
                sha256=document.sha256,
            )
            continue
        contents.append(data)
    problems.raise_if_any()
    return contents


def package_build(
    *,
    dossier: Dossier,
    actor: Agent,
    status: str | None = None,
    transmitted_at: dt.datetime | None = None,
    transition: str = "",
    language: str | None = None,
) -> Built:
    """Build, validate, store and record the dossier's export package.

    `status` and `transmitted_at` are what the dossier says once the transmitting
    transition ends (the effect runs before they are written); by default what it
    says now. The caller holds the transaction (the transition's): the row and its
    audit record are written in it.
    """
    definition = version_definition(dossier.case_type_version)
    # The sending team's working language: the package speaks for the team.
    language = (
        language or dossier.team.language or actor.language or settings.LANGUAGE_CODE
    )
    sent_at = transmitted_at or dossier.transmitted_at or clock.now()
    documents = hooks.dossier_export_documents(dossier)
    contents = _contents(dossier, documents)
    body = manifest_body(
        dossier=dossier,
        definition=definition,
        actor=actor,
        status=status or dossier.status,
        transmitted_at=sent_at,
        documents=documents,
        language=language,
    )
    summary = summary_render(summary_sheet(body, definition, language))
    generated_at = clock.now()
    manifest = {
        "schema_version": body.pop("schema_version"),
        "generated_at": iso_instant(generated_at),
        **body,
        "summary": {
            "file": SUMMARY,
            "media_type": "application/pdf",
            "size": len(summary),
            "sha256": hashlib.sha256(summary).hexdigest(),
        },
    }
    manifest_validate(manifest)
    encoded = json.dumps(manifest, ensure_ascii=False, indent=2).encode() + b"\n"
    data = zip_bytes(
        [
            (MANIFEST, encoded),
            (SUMMARY, summary),
            *(
                (entry["file"], content)
                for entry, content in zip(manifest["documents"], contents, strict=True)
            ),
        ]
    )
    sha256 = hashlib.sha256(data).hexdigest()
    _store(data, sha256)
    package = ExportPackage.objects.create(
        dossier=dossier,
        transition=transition,
        sha256=sha256,
        size=len(data),
        documents=len(documents),
        generated_at=generated_at,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action="dossier.export_package",
        obj=dossier,
        summary={
            "package": str(package.uuid),
            "sha256": sha256,
            "size": len(data),
            "documents": len(documents),
            "transition": transition,
        },
    )
    return Built(package=package, data=data, manifest=manifest)


def packages_destroy(*, dossier: Dossier) -> int:
    """Delete the dossier's export packages: their rows now, their stored ZIPs
    once the caller's transaction commits (a rolled-back destruction keeps them).
    For the end of retention, whose service audits it; returns how many."""
    names = [
        storage_name(sha256)
        for sha256 in ExportPackage.objects.filter(dossier=dossier).values_list(
            "sha256", flat=True
        )
    ]
    ExportPackage.objects.filter(dossier=dossier).delete()

    def delete_files() -> None:
        for name in names:
            default_storage.delete(name)

    transaction.on_commit(delete_files)
    return len(names)
