"""Importing case types: every write of this app.

`casetype_import` reads one file (`loader.parse`), checks what needs the database
(the owning team exists; a version does not go back in time), and appends a
version, in one transaction with its audit record. `casetypes_import` does the
same for several files, all or nothing: when any file has a problem, none is
imported (the command line and the demo use it).

A re-import of what the latest version already holds is a no-op (`unchanged`): the
same source (its SHA-256), or a source whose definition is the same once read (a
comment changed). Anything else is a new version, numbered after the latest, in
force from its `valid_from`; dossiers opened before keep theirs.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from guichet.access import policy
from guichet.access.domains.administration import Action as AdminAction
from guichet.agents.models import Agent, Team
from guichet.audit.services import audit_record

from . import loader
from .definition import Definition, definition_to_json
from .errors import CaseTypeInvalid, Code
from .models import CaseType, CaseTypeVersion

SHIPPED = Path(__file__).resolve().parent / "data"
IMPORTED = "imported"
UNCHANGED = "unchanged"


@dataclass(frozen=True)
class ImportOutcome:
    """What an import did: `imported` a new version, or found it `unchanged`."""

    filename: str
    code: str
    number: int
    status: str
    version: CaseTypeVersion


@dataclass(frozen=True)
class _Checked:
    filename: str
    source: str
    sha256: str
    parsed: loader.Parsed
    definition: Definition


def _read(source: str | bytes, filename: str) -> _Checked | list[loader.LoadProblem]:
    parsed = loader.parse(source, filename=filename)
    if parsed.definition is None:
        return parsed.problems
    text = source.decode("utf-8") if isinstance(source, bytes) else source
    sha256 = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return _Checked(filename, text, sha256, parsed, parsed.definition)


def _database_problems(checked: _Checked) -> list[loader.LoadProblem]:
    """What only the database can tell: the team, the order of versions."""
    problems: list[loader.LoadProblem] = []
    definition = checked.definition
    if not Team.objects.filter(code=definition.team).exists():
        problems.append(
            loader.LoadProblem(
                checked.filename,
                checked.parsed.line("team"),
                Code.UNKNOWN_TEAM,
                _("There is no team %(name)s."),
                {"name": definition.team},
            )
        )
    latest = (
        CaseTypeVersion.objects.filter(case_type__code=definition.code)
        .order_by("-number")
        .first()
    )
    if (
        latest is not None
        and latest.source_sha256 != checked.sha256
        and latest.definition != definition_to_json(definition)
        and definition.valid_from < latest.valid_from
    ):
        problems.append(
            loader.LoadProblem(
                checked.filename,
                checked.parsed.line("valid_from"),
                Code.VALID_FROM_BEFORE_LATEST,
                _(
                    "A new version cannot be valid from %(date)s, before version"
                    " %(number)s (valid from %(latest)s): dossiers already opened"
                    " would change version."
                ),
                {
                    "date": definition.valid_from.isoformat(),
                    "number": latest.number,
                    "latest": latest.valid_from.isoformat(),
                },
            )
        )
    return problems


def _require_admin(agent: Agent | None) -> None:
    """Administrators keep reference data; None is the installation itself (the
    command line, the demo), as for `correspondence` templates."""
    if agent is not None:
        policy.require(agent, AdminAction.REFERENCE_MANAGE)


def _append(agent: Agent | None, checked: _Checked) -> ImportOutcome:
    definition = checked.definition
    stored = definition_to_json(definition)
    team = Team.objects.get(code=definition.team)
    names = {
        f"name_{language}": definition.names.get(language)
        for language in ("fr", "nl", "de", "en")
    }
    case_type, created = CaseType.objects.select_for_update().get_or_create(
        code=definition.code, defaults={"team": team, **names}
    )
    latest = case_type.versions.order_by("-number").first()
    if latest is not None and (
        latest.source_sha256 == checked.sha256 or latest.definition == stored
    ):
        return ImportOutcome(
            checked.filename, definition.code, latest.number, UNCHANGED, latest
        )
    if not created:
        for name, value in {"team": team, **names}.items():
            setattr(case_type, name, value)
        case_type.save()
    version = CaseTypeVersion.objects.create(
        case_type=case_type,
        number=(latest.number + 1) if latest else 1,
        valid_from=definition.valid_from,
        definition=stored,
        source=checked.source,
        source_filename=Path(checked.filename).name[:255],
        source_sha256=checked.sha256,
        imported_by=agent,
    )
    audit_record(
        actor=agent,
        action="casetype.import",
        obj=version,
        summary={
            "code": definition.code,
            "version": version.number,
            "valid_from": definition.valid_from.isoformat(),
            "sha256": checked.sha256,
            "file": checked.filename,
        },
    )
    return ImportOutcome(
        checked.filename, definition.code, version.number, IMPORTED, version
    )


def casetypes_import(
    *, agent: Agent | None, files: Sequence[tuple[str, str | bytes]]
) -> list[ImportOutcome]:
    """Import several files, `(filename, source)` each, all or nothing.

    Raises `CaseTypeInvalid` with the problems of every file when any has one."""
    _require_admin(agent)
    checked: list[_Checked] = []
    problems: list[loader.LoadProblem] = []
    for filename, source in files:
        result = _read(source, filename)
        if isinstance(result, list):
            problems.extend(result)
        else:
            checked.append(result)
    with transaction.atomic():
        for item in checked:
            problems.extend(_database_problems(item))
        if problems:
            raise CaseTypeInvalid(problems)
        return [_append(agent, item) for item in checked]


def casetype_import(
    *, agent: Agent | None, source: str | bytes, filename: str
) -> ImportOutcome:
    """Import one case-type file (see the module's docstring)."""
    return casetypes_import(agent=agent, files=[(filename, source)])[0]


def shipped_files() -> list[tuple[str, bytes]]:
    """The case types shipped with Guichet (`casetypes/data/*.yaml`), by name."""
    return [(path.name, path.read_bytes()) for path in sorted(SHIPPED.glob("*.yaml"))]
