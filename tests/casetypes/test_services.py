"""Importing case types: versions, no-ops, all or nothing, the audit record."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import DatabaseError, connection, transaction

import pytest

from guichet.audit.models import AuditEvent
from guichet.casetypes import selectors
from guichet.casetypes.errors import CaseTypeInvalid, NoVersionInForce, UnknownCaseType
from guichet.casetypes.models import CaseType, CaseTypeVersion
from guichet.casetypes.services import (
    IMPORTED,
    UNCHANGED,
    casetype_import,
    casetypes_import,
)
from guichet.core.errors import Forbidden
from guichet.core.models import AppendOnlyError

from .conftest import MINIMAL, line_of

pytestmark = pytest.mark.django_db


def test_imports_a_first_version_with_its_audit_record(
    teams: Any, administrator: Any
) -> None:
    outcome = casetype_import(agent=administrator, source=MINIMAL, filename="s.yaml")

    version = CaseTypeVersion.objects.get()
    assert (outcome.status, outcome.code, outcome.number) == (IMPORTED, "sample", 1)
    assert version.valid_from == dt.date(2026, 1, 1)
    assert version.source == MINIMAL
    assert len(version.source_sha256) == 64
    assert version.imported_by == administrator
    assert version.definition["statuses"][0]["code"] == "received"
    case_type = CaseType.objects.get()
    assert (case_type.code, case_type.name_nl, case_type.team.code) == (
        "sample",
        "Voorbeeld",
        "legalisations",
    )
    event = AuditEvent.objects.get(action="casetype.import")
    assert event.summary["version"] == 1
    assert event.summary["sha256"] == version.source_sha256


def test_an_identical_reimport_is_a_no_op(teams: Any) -> None:
    casetype_import(agent=None, source=MINIMAL, filename="s.yaml")
    again = casetype_import(agent=None, source=MINIMAL, filename="s.yaml")
    commented = casetype_import(
        agent=None, source="# a comment\n" + MINIMAL, filename="s.yaml"
    )

    assert (again.status, again.number) == (UNCHANGED, 1)
    assert (commented.status, commented.number) == (UNCHANGED, 1)
    assert CaseTypeVersion.objects.count() == 1
    assert AuditEvent.objects.filter(action="casetype.import").count() == 1


def test_a_change_is_a_new_version_and_old_dossiers_keep_theirs(teams: Any) -> None:
    casetype_import(agent=None, source=MINIMAL, filename="s.yaml")
    opened_in_march = selectors.casetype_current("sample", on=dt.date(2026, 3, 1))
    changed = MINIMAL.replace(
        "valid_from: 2026-01-01", "valid_from: 2026-06-01"
    ).replace("  min_level: C", "  min_level: B")

    outcome = casetype_import(agent=None, source=changed, filename="s.yaml")

    assert (outcome.status, outcome.number) == (IMPORTED, 2)
    # A dossier opened in March keeps version 1 (its foreign key), whose rules
    # have not changed; a dossier opened in June gets version 2.
    kept = selectors.version_definition(opened_in_march)
    assert kept.transition("start").min_level == "C"
    june = selectors.casetype_current("sample", on=dt.date(2026, 6, 1))
    assert june.number == 2
    assert selectors.version_definition(june).transition("start").min_level == "B"
    assert selectors.casetype_current("sample", on=dt.date(2026, 5, 31)).number == 1


def test_a_same_day_version_wins_by_its_number(teams: Any) -> None:
    casetype_import(agent=None, source=MINIMAL, filename="s.yaml")
    changed = MINIMAL.replace("  min_level: C", "  min_level: B")
    casetype_import(agent=None, source=changed, filename="s.yaml")

    assert selectors.casetype_current("sample", on=dt.date(2026, 1, 1)).number == 2


def test_refuses_a_version_that_goes_back_in_time(teams: Any) -> None:
    later = MINIMAL.replace("valid_from: 2026-01-01", "valid_from: 2026-06-01")
    casetype_import(agent=None, source=later, filename="s.yaml")
    earlier = MINIMAL.replace("  min_level: C", "  min_level: B")

    with pytest.raises(CaseTypeInvalid) as refused:
        casetype_import(agent=None, source=earlier, filename="s.yaml")

    problem = refused.value.problems[0]
    assert (problem.code, problem.line) == (
        "valid_from_before_latest",
        line_of(earlier, "valid_from"),
    )
    assert CaseTypeVersion.objects.count() == 1


def test_refuses_an_unknown_team_at_its_line(db: Any) -> None:
    with pytest.raises(CaseTypeInvalid) as refused:
        casetype_import(agent=None, source=MINIMAL, filename="s.yaml")

    problem = refused.value.problems[0]
    assert (problem.code, problem.file, problem.line) == ("unknown_team", "s.yaml", 3)
    assert not CaseType.objects.exists()


def test_imports_nothing_when_one_file_is_invalid(teams: Any) -> None:
    other = MINIMAL.replace("code: sample", "code: other")
    broken = MINIMAL.replace("code: sample", "code: broken").replace(
        "  to: closed", "  to: nowhere"
    )

    with pytest.raises(CaseTypeInvalid) as refused:
        casetypes_import(
            agent=None,
            files=[("a.yaml", MINIMAL), ("b.yaml", other), ("c.yaml", broken)],
        )

    assert {problem.file for problem in refused.value.problems} == {"c.yaml"}
    assert not CaseTypeVersion.objects.exists()
    assert not CaseType.objects.exists()


def test_only_administrators_import(teams: Any, make_agent: Any) -> None:
    supervisor = make_agent("supervisor", level="A2", teams=("legalisations",))

    with pytest.raises(Forbidden):
        casetype_import(agent=supervisor, source=MINIMAL, filename="s.yaml")
    assert not CaseTypeVersion.objects.exists()


def test_versions_are_never_edited(teams: Any) -> None:
    casetype_import(agent=None, source=MINIMAL, filename="s.yaml")
    version = CaseTypeVersion.objects.get()

    version.valid_from = dt.date(2020, 1, 1)
    with pytest.raises(AppendOnlyError):
        version.save()
    with pytest.raises(AppendOnlyError):
        CaseTypeVersion.objects.update(number=7)
    with pytest.raises(AppendOnlyError):
        version.delete()


@pytest.mark.postgres
def test_postgres_refuses_raw_changes_of_a_version(teams: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the trigger exists on PostgreSQL only")
    casetype_import(agent=None, source=MINIMAL, filename="s.yaml")
    version = CaseTypeVersion.objects.get()
    for statement in (
        "UPDATE casetypes_casetypeversion SET valid_from = '2020-01-01' WHERE id = %s",
        "DELETE FROM casetypes_casetypeversion WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement, [version.pk])
    assert CaseTypeVersion.objects.get().valid_from == dt.date(2026, 1, 1)


def test_selectors_refuse_unknown_codes_and_dates_before_any_version(
    teams: Any,
) -> None:
    with pytest.raises(UnknownCaseType):
        selectors.casetype_current("sample", on=dt.date(2026, 1, 1))
    casetype_import(agent=None, source=MINIMAL, filename="s.yaml")
    with pytest.raises(NoVersionInForce):
        selectors.casetype_current("sample", on=dt.date(2025, 12, 31))
    with pytest.raises(UnknownCaseType):
        selectors.casetype_version("sample", 9)
    with pytest.raises(UnknownCaseType):
        selectors.casetype_version("nothing")


def test_the_parsed_definition_is_cached_per_version(
    teams: Any, django_assert_num_queries: Any
) -> None:
    casetype_import(agent=None, source=MINIMAL, filename="s.yaml")
    version = CaseTypeVersion.objects.get()
    selectors.definition_cache_clear()

    with django_assert_num_queries(1):
        first = selectors.version_definition(version)
        second = selectors.version_definition(version)

    assert first is second


def test_lists_case_types_with_their_current_version(teams: Any) -> None:
    casetype_import(agent=None, source=MINIMAL, filename="s.yaml")
    later = MINIMAL.replace("valid_from: 2026-01-01", "valid_from: 2027-01-01").replace(
        "  min_level: C", "  min_level: B"
    )
    casetype_import(agent=None, source=later, filename="s.yaml")

    [listing] = selectors.casetype_list(on=dt.date(2026, 7, 1))

    assert (listing.code, listing.team, listing.versions) == (
        "sample",
        "legalisations",
        2,
    )
    assert listing.current is not None
    assert listing.current.number == 1
    assert listing.latest is not None
    assert listing.latest.number == 2


def test_the_shipped_files_import_through_the_service(teams: Any) -> None:
    from guichet.casetypes.services import shipped_files

    outcomes = casetypes_import(agent=None, files=shipped_files())

    assert [(o.code, o.status) for o in outcomes] == [
        ("consular-legalisation", IMPORTED),
        ("consular-passport", IMPORTED),
        ("unemployment-benefit", IMPORTED),
        ("visa-extension", IMPORTED),
    ]
