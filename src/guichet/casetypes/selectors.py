"""Reading case types: the version in force, its parsed definition, the list.

Case types are reference data without personal data: reading them needs no policy
check and writes nothing to the access log (as `calendars.selectors`).

For the dossiers app: open a dossier with `casetype_current(code, on=today)` and
keep the returned version's id on the dossier; later read its rules with
`version_definition(dossier.case_type_version)`, never `casetype_current` again
(a newer version applies to new dossiers only).
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from guichet.core import clock

from .definition import Definition, definition_from_json
from .errors import NoVersionInForce, UnknownCaseType
from .models import CaseType, CaseTypeVersion


def _unknown(code: str) -> UnknownCaseType:
    return UnknownCaseType(_("There is no case type %(code)s."), params={"code": code})


def casetype_current(code: str, *, on: dt.date | None = None) -> CaseTypeVersion:
    """The version of case type `code` in force on `on` (today by default): the
    latest `valid_from` on or before it, the highest number among equals."""
    day = on or clock.today()
    if not CaseType.objects.filter(code=code).exists():
        raise _unknown(code)
    version: CaseTypeVersion | None = (
        CaseTypeVersion.objects.select_related("case_type")
        .filter(case_type__code=code, valid_from__lte=day)
        .order_by("-valid_from", "-number")
        .first()
    )
    if version is None:
        raise NoVersionInForce(
            _("Case type %(code)s has no version in force on %(date)s."),
            params={"code": code, "date": day.isoformat()},
        )
    return version


def casetype_version(code: str, number: int | None = None) -> CaseTypeVersion:
    """Version `number` of case type `code`, or its latest one."""
    versions = CaseTypeVersion.objects.select_related("case_type").filter(
        case_type__code=code
    )
    version: CaseTypeVersion | None = (
        versions.filter(number=number).first()
        if number is not None
        else versions.order_by("-number").first()
    )
    if version is None:
        if number is not None and CaseType.objects.filter(code=code).exists():
            raise UnknownCaseType(
                _("Case type %(code)s has no version %(number)s."),
                params={"code": code, "number": number},
            )
        raise _unknown(code)
    return version


@functools.lru_cache(maxsize=256)
def _parsed(pk: int, sha256: str, number: int) -> Definition:
    stored = CaseTypeVersion.objects.values_list("definition", flat=True).get(pk=pk)
    return definition_from_json(stored)


def version_definition(version: CaseTypeVersion) -> Definition:
    """The parsed definition of a version, cached per process. Versions are never
    edited, so the cache never goes stale; the key carries the source's SHA-256 so
    that a reused primary key (a test database emptied) cannot hit an old entry."""
    return _parsed(version.pk, version.source_sha256, version.number)


def definition_cache_clear() -> None:
    _parsed.cache_clear()


@dataclass(frozen=True)
class CaseTypeListing:
    code: str
    names: dict[str, str]
    team: str
    versions: int
    current: CaseTypeVersion | None
    latest: CaseTypeVersion | None


def casetype_list(*, on: dt.date | None = None) -> list[CaseTypeListing]:
    """Every case type with its number of versions, the one in force and the latest."""
    day = on or clock.today()
    listing = []
    # Without each version's definition and YAML source: a listing does not
    # show them (`version_definition` reads a definition once per process), and
    # decoding them was most of the cost of every queue page (bench/RESULTS.md,
    # "Dossiers").
    versions_only = CaseTypeVersion.objects.defer("definition", "source")
    for case_type in CaseType.objects.select_related("team").prefetch_related(
        Prefetch("versions", queryset=versions_only)
    ):
        versions = sorted(case_type.versions.all(), key=lambda v: v.number)
        in_force = [v for v in versions if v.valid_from <= day]
        current = max(in_force, key=lambda v: (v.valid_from, v.number), default=None)
        listing.append(
            CaseTypeListing(
                code=case_type.code,
                names={lang: case_type.name(lang) for lang in ("fr", "nl", "de", "en")},
                team=case_type.team.code,
                versions=len(versions),
                current=current,
                latest=versions[-1] if versions else None,
            )
        )
    return listing
