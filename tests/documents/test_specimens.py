"""The register of specimen signatures and seals: registering, withdrawing, finding
the valid ones, recording a comparison on a document; refusals change nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

import pytest

from guichet.audit.models import AuditEvent
from guichet.core import clock
from guichet.core.errors import Forbidden, NotFound, StaleVersion, ValidationFailed
from guichet.core.models import AppendOnlyError
from guichet.documents import selectors, services
from guichet.documents.models import SigningOfficial, Specimen, SpecimenComparison
from guichet.documents.selectors import SpecimenState
from tests.documents.factories import (
    ELF,
    JPEG,
    PDF,
    PNG,
    TIFF,
    DocumentFactory,
    SigningOfficialFactory,
    SpecimenFactory,
)
from tests.factories import OrganisationFactory, PersonFactory, TeamFactory

pytestmark = pytest.mark.django_db


def _image(content: bytes = PNG, name: str = "signature.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="image/png")


def _codes(error: ValidationFailed) -> dict[str, str]:
    return {item.field: item.code for item in error.errors}


def _stored(media: Path) -> list[Path]:
    return (
        [path for path in media.rglob("*") if path.is_file()] if media.exists() else []
    )


@pytest.fixture
def official() -> SigningOfficial:
    return SigningOfficialFactory()


@pytest.fixture
def today(monkeypatch: pytest.MonkeyPatch) -> dt.date:
    day = dt.date(2026, 6, 15)
    monkeypatch.setattr(clock, "today", lambda: day)
    return day


def _register(actor: Any, official: SigningOfficial, **values: Any) -> Specimen:
    arguments = {
        "kind": "signature",
        "file": _image(),
        "valid_from": dt.date(2025, 1, 1),
        "valid_until": dt.date(2027, 12, 31),
        **values,
    }
    return services.specimen_register(
        actor=actor, official_id=official.uuid, **arguments
    )


class TestOfficialRegister:
    def test_registers_an_official_of_an_authority_without_enterprise_number(
        self, front_office: Any
    ) -> None:
        authority = OrganisationFactory(name="Tribunal de grande instance de Kinshasa")

        official = services.signing_official_register(
            actor=front_office,
            authority_id=authority.uuid,
            country=" cd ",
            name="  Jean  Mukendi ",
            function="Greffier en chef",
        )

        assert (official.authority, official.country) == (authority, "CD")
        assert (official.name, official.search_name) == ("Jean Mukendi", "jean mukendi")
        event = AuditEvent.objects.get(action="specimen.official_register")
        assert event.summary["after"]["country"] == "CD"

    def test_refuses_the_same_official_twice_for_one_authority(
        self, front_office: Any
    ) -> None:
        official = SigningOfficialFactory(name="Jean Mukendi")

        with pytest.raises(ValidationFailed) as refused:
            services.signing_official_register(
                actor=front_office,
                authority_id=official.authority.uuid,
                country="CD",
                name="JEAN  MUKENDI",
                function="Greffier",
            )

        assert _codes(refused.value) == {"name": "official_taken"}
        assert SigningOfficial.objects.count() == 1

    def test_a_concurrent_registration_is_refused_by_the_database(
        self, front_office: Any, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        official = SigningOfficialFactory(name="Jean Mukendi")
        # The other desk's row lands between the check and the insert.
        real_filter = SigningOfficial.objects.filter
        monkeypatch.setattr(
            SigningOfficial.objects,
            "filter",
            lambda *args, **kwargs: real_filter(pk=-1),
        )

        with pytest.raises(ValidationFailed) as refused:
            services.signing_official_register(
                actor=front_office,
                authority_id=official.authority.uuid,
                country="CD",
                name="Jean Mukendi",
                function="Greffier",
            )

        assert _codes(refused.value) == {"name": "official_taken"}
        assert real_filter().count() == 1
        assert not AuditEvent.objects.filter(
            action="specimen.official_register"
        ).exists()

    def test_refuses_every_bad_field_at_once(self, front_office: Any) -> None:
        with pytest.raises(ValidationFailed) as refused:
            services.signing_official_register(
                actor=front_office,
                authority_id="not-an-id",
                country="Congo",
                name="",
                function="x" * 201,
            )

        assert _codes(refused.value) == {
            "authority_id": "required",
            "country": "invalid_country",
            "name": "required",
            "function": "too_long",
        }
        assert not SigningOfficial.objects.exists()

    @pytest.mark.parametrize(
        ("_case", "roles", "level"),
        [
            ("front office below C", ("front_office",), "D"),
            ("contact center", ("first_line",), "B"),
            ("dossier handler", ("dossier_handler",), "A1"),
        ],
    )
    def test_refuses_who_may_not_manage(
        self, make_agent: Callable[..., Any], _case: str, roles: Any, level: str
    ) -> None:
        agent = make_agent(*roles, level=level)

        with pytest.raises(Forbidden):
            services.signing_official_register(
                actor=agent,
                authority_id=OrganisationFactory().uuid,
                country="CD",
                name="Jean Mukendi",
                function="Greffier",
            )

        assert not SigningOfficial.objects.exists()


class TestSpecimenRegister:
    @pytest.mark.parametrize(
        ("_case", "content", "content_type"),
        [
            ("png", PNG, "image/png"),
            ("jpeg", JPEG, "image/jpeg"),
            ("pdf", PDF, "application/pdf"),
        ],
    )
    def test_stores_the_image_by_its_hash(
        self,
        front_office: Any,
        official: SigningOfficial,
        media: Path,
        _case: str,
        content: bytes,
        content_type: str,
    ) -> None:
        specimen = _register(front_office, official, file=_image(content, "a/../x.bin"))

        assert specimen.content_type == content_type
        assert specimen.size == len(content)
        assert specimen.original_name == "x.bin"
        assert [path.name for path in _stored(media)] == [specimen.content_sha256]
        event = AuditEvent.objects.get(action="specimen.register")
        assert event.summary["content"]["type"] == content_type

    def test_open_ended_validity_is_accepted(
        self, front_office: Any, official: SigningOfficial
    ) -> None:
        specimen = _register(front_office, official, valid_until=None)

        assert specimen.valid_until is None

    @pytest.mark.parametrize(
        ("_case", "content", "kind_shown"),
        [
            ("a program renamed .png", ELF, "a Linux program"),
            ("a TIFF scan (browsers cannot show it)", TIFF, "a TIFF image"),
        ],
    )
    def test_refuses_what_is_not_a_png_jpeg_or_pdf(
        self,
        front_office: Any,
        official: SigningOfficial,
        media: Path,
        _case: str,
        content: bytes,
        kind_shown: str,
    ) -> None:
        with pytest.raises(ValidationFailed) as refused:
            _register(front_office, official, file=_image(content))

        assert _codes(refused.value) == {"file": "file_type_refused"}
        assert kind_shown in refused.value.errors[0].text
        assert not Specimen.objects.exists()
        assert _stored(media) == []

    def test_refuses_an_image_over_the_limit(
        self, front_office: Any, official: SigningOfficial, media: Path
    ) -> None:
        big = PNG + bytes(services.SPECIMEN_MAX_BYTES)

        with pytest.raises(ValidationFailed) as refused:
            _register(front_office, official, file=_image(big))

        assert _codes(refused.value) == {"file": "file_too_large"}
        assert _stored(media) == []

    @pytest.mark.parametrize(
        ("_case", "valid_until"),
        [
            ("the same day", dt.date(2025, 1, 1)),
            ("the day before", dt.date(2024, 12, 31)),
        ],
    )
    def test_refuses_an_end_not_after_the_start(
        self, front_office: Any, official: SigningOfficial, _case: str, valid_until: Any
    ) -> None:
        with pytest.raises(ValidationFailed) as refused:
            _register(front_office, official, valid_until=valid_until)

        assert _codes(refused.value) == {"valid_until": "specimen_dates_order"}
        assert not Specimen.objects.exists()

    def test_refuses_a_missing_start_and_kind_together(
        self, front_office: Any, official: SigningOfficial
    ) -> None:
        with pytest.raises(ValidationFailed) as refused:
            _register(front_office, official, valid_from=None, kind="thumbprint")

        assert _codes(refused.value) == {
            "kind": "invalid_choice",
            "valid_from": "required",
        }

    def test_errors_speak_the_agents_language(
        self, front_office: Any, official: SigningOfficial
    ) -> None:
        with pytest.raises(ValidationFailed) as refused:
            _register(front_office, official, valid_until=dt.date(2024, 1, 1))

        messages = {}
        for language in ("fr", "nl", "de", "en"):
            with translation.override(language):
                messages[language] = refused.value.errors[0].text
        assert len(set(messages.values())) == 4

    def test_a_role_without_the_register_is_refused_and_nothing_is_stored(
        self, make_agent: Callable[..., Any], official: SigningOfficial, media: Path
    ) -> None:
        support = make_agent("support_agent", level="A2")

        with pytest.raises(Forbidden):
            _register(support, official)

        assert not Specimen.objects.exists()
        assert _stored(media) == []

    def test_an_unknown_official_is_not_found(self, front_office: Any) -> None:
        with pytest.raises(NotFound):
            services.specimen_register(
                actor=front_office,
                official_id="00000000-0000-0000-0000-000000000000",
                kind="seal",
                file=_image(),
                valid_from=dt.date(2025, 1, 1),
            )


class TestWithdraw:
    def test_withdraws_with_a_reason_and_keeps_the_row(self, front_office: Any) -> None:
        specimen = SpecimenFactory()

        withdrawn = services.specimen_withdraw(
            actor=front_office,
            specimen_id=specimen.uuid,
            expected_version=1,
            reason="Registered for the wrong official.",
        )

        assert withdrawn.is_withdrawn
        assert (withdrawn.withdrawn_by, withdrawn.version) == (front_office, 2)
        assert Specimen.objects.get().withdrawal_reason == (
            "Registered for the wrong official."
        )
        assert AuditEvent.objects.get(action="specimen.withdraw").reason == (
            "Registered for the wrong official."
        )

    def test_refuses_without_a_reason(self, front_office: Any) -> None:
        specimen = SpecimenFactory()

        with pytest.raises(ValidationFailed) as refused:
            services.specimen_withdraw(
                actor=front_office,
                specimen_id=specimen.uuid,
                expected_version=1,
                reason=" ",
            )

        assert _codes(refused.value) == {"reason": "required"}
        assert not Specimen.objects.get().is_withdrawn

    def test_refuses_a_stale_version(self, front_office: Any) -> None:
        specimen = SpecimenFactory()
        services.specimen_withdraw(
            actor=front_office,
            specimen_id=specimen.uuid,
            expected_version=1,
            reason="A",
        )

        with pytest.raises(StaleVersion):
            services.specimen_withdraw(
                actor=front_office,
                specimen_id=specimen.uuid,
                expected_version=1,
                reason="B",
            )

        assert Specimen.objects.get().withdrawal_reason == "A"

    def test_refuses_withdrawing_twice(self, front_office: Any) -> None:
        specimen = SpecimenFactory()
        services.specimen_withdraw(
            actor=front_office,
            specimen_id=specimen.uuid,
            expected_version=1,
            reason="A",
        )

        with pytest.raises(ValidationFailed) as refused:
            services.specimen_withdraw(
                actor=front_office,
                specimen_id=specimen.uuid,
                expected_version=2,
                reason="B",
            )

        assert _codes(refused.value) == {"reason": "specimen_withdrawn"}

    def test_a_role_without_the_register_gets_not_found(
        self, make_agent: Callable[..., Any]
    ) -> None:
        specimen = SpecimenFactory()

        with pytest.raises(NotFound):
            services.specimen_withdraw(
                actor=make_agent("payment_agent", level="A2"),
                specimen_id=specimen.uuid,
                expected_version=1,
                reason="A",
            )

        assert Specimen.objects.get().version == 1

    def test_a_viewer_below_level_c_is_refused(
        self, make_agent: Callable[..., Any]
    ) -> None:
        specimen = SpecimenFactory()

        with pytest.raises(Forbidden):
            services.specimen_withdraw(
                actor=make_agent("front_office", level="D"),
                specimen_id=specimen.uuid,
                expected_version=1,
                reason="A",
            )

        assert not Specimen.objects.get().is_withdrawn

    def test_a_specimen_is_never_deleted_through_its_comparisons(
        self, front_office: Any
    ) -> None:
        specimen = SpecimenFactory(valid_from=dt.date(2020, 1, 1), valid_until=None)
        document = DocumentFactory(issued_on=dt.date(2021, 5, 2))
        services.specimen_comparison_record(
            actor=front_office,
            document_id=document.uuid,
            specimen_id=specimen.uuid,
            outcome="matches",
        )

        with pytest.raises(Exception, match="protected"):
            specimen.delete()


class TestValidOn:
    @pytest.mark.parametrize(
        ("_case", "day", "state"),
        [
            (
                "the day before it starts",
                dt.date(2023, 12, 31),
                SpecimenState.NOT_YET_VALID,
            ),
            ("its first day", dt.date(2024, 1, 1), SpecimenState.VALID),
            ("its last day", dt.date(2026, 12, 31), SpecimenState.VALID),
            ("the day after its end", dt.date(2027, 1, 1), SpecimenState.EXPIRED),
        ],
    )
    def test_validity_includes_both_ends(
        self, front_office: Any, _case: str, day: dt.date, state: SpecimenState
    ) -> None:
        specimen = SpecimenFactory(
            valid_from=dt.date(2024, 1, 1), valid_until=dt.date(2026, 12, 31)
        )

        found = selectors.specimens_valid_on(agent=front_office, on=day)

        assert list(found) == ([specimen] if state == SpecimenState.VALID else [])
        assert selectors.specimen_state(specimen, day) == state
        assert specimen.is_valid_on(day) == (state == SpecimenState.VALID)

    def test_a_withdrawn_specimen_is_never_valid(self, front_office: Any) -> None:
        specimen = SpecimenFactory(valid_until=None)
        services.specimen_withdraw(
            actor=front_office,
            specimen_id=specimen.uuid,
            expected_version=1,
            reason="A",
        )

        assert (
            list(
                selectors.specimens_valid_on(agent=front_office, on=dt.date(2025, 1, 1))
            )
            == []
        )
        page = selectors.specimen_search(
            agent=front_office, include_withdrawn=True, on=dt.date(2025, 1, 1)
        )
        assert [row.state for row in page.rows] == [SpecimenState.WITHDRAWN]
        assert selectors.specimen_search(agent=front_office).rows == []

    def test_filters_by_authority_and_official(self, front_office: Any) -> None:
        kept = SpecimenFactory()
        SpecimenFactory()  # another official, of another authority

        by_authority = selectors.specimens_valid_on(
            agent=front_office,
            on=dt.date(2025, 1, 1),
            authority_id=kept.official.authority.uuid,
        )
        by_official = selectors.specimens_valid_on(
            agent=front_office, on=dt.date(2025, 1, 1), official_id=kept.official.uuid
        )
        malformed = selectors.specimens_valid_on(
            agent=front_office, on=dt.date(2025, 1, 1), official_id="nope"
        )

        assert (list(by_authority), list(by_official), list(malformed)) == (
            [kept],
            [kept],
            [],
        )

    def test_a_role_without_the_register_sees_nothing(
        self, make_agent: Callable[..., Any]
    ) -> None:
        SpecimenFactory()
        handler = make_agent("dossier_handler", level="A2")

        assert (
            list(selectors.specimens_valid_on(agent=handler, on=dt.date(2025, 1, 1)))
            == []
        )
        assert selectors.specimen_search(agent=handler).rows == []
        with pytest.raises(NotFound):
            selectors.specimen_get_for_agent(
                agent=handler, specimen_id=SpecimenFactory().uuid
            )


class TestSearch:
    def test_finds_by_official_or_authority_words_and_country(
        self, front_office: Any, today: dt.date
    ) -> None:
        court = OrganisationFactory(name="Tribunal de Kinshasa")
        mukendi = SpecimenFactory(
            official=SigningOfficialFactory(authority=court, name="Jean Mukendi")
        )
        expired = SpecimenFactory(
            official=SigningOfficialFactory(
                name="Amina Diallo",
                country="SN",
                authority=OrganisationFactory(name="Ministère"),
            ),
            valid_until=dt.date(2025, 12, 31),
        )

        assert [
            row.specimen
            for row in selectors.specimen_search(
                agent=front_office, query="mukendi"
            ).rows
        ] == [mukendi]
        assert [
            row.specimen
            for row in selectors.specimen_search(agent=front_office, query="kinsh").rows
        ] == [mukendi]
        by_country = selectors.specimen_search(agent=front_office, country="sn").rows
        assert [(row.specimen, row.state) for row in by_country] == [
            (expired, SpecimenState.EXPIRED)
        ]
        valid_today = selectors.specimen_search(agent=front_office, valid_on=today).rows
        assert [row.specimen for row in valid_today] == [mukendi]

    def test_pages(self, front_office: Any) -> None:
        official = SigningOfficialFactory()
        for year in range(2000, 2005):
            SpecimenFactory(
                official=official, valid_from=dt.date(year, 1, 1), valid_until=None
            )

        first = selectors.specimen_search(agent=front_office, page_size=3)
        second = selectors.specimen_search(agent=front_office, page=2, page_size=3)

        assert (len(first.rows), first.has_next) == (3, True)
        assert (len(second.rows), second.has_next) == (2, False)
        assert [row.specimen.valid_from.year for row in first.rows + second.rows] == [
            2004,
            2003,
            2002,
            2001,
            2000,
        ]


class TestComparison:
    def test_records_which_specimen_and_the_outcome(self, front_office: Any) -> None:
        specimen = SpecimenFactory()
        document = DocumentFactory(issued_on=dt.date(2025, 3, 1))

        comparison = services.specimen_comparison_record(
            actor=front_office,
            document_id=document.uuid,
            specimen_id=specimen.uuid,
            outcome="does_not_match",
            note="  The paraph differs. ",
        )

        assert (comparison.document, comparison.specimen) == (document, specimen)
        assert (comparison.outcome, comparison.note) == (
            "does_not_match",
            "The paraph differs.",
        )
        assert comparison.reference_date == dt.date(2025, 3, 1)
        event = AuditEvent.objects.get(action="specimen.compare")
        assert event.summary["specimen"] == str(specimen.uuid)
        assert event.summary["outcome"] == "does_not_match"
        with pytest.raises(AppendOnlyError):
            comparison.save()
        assert [
            c.uuid
            for c in selectors.document_comparisons_for_agent(
                agent=front_office, document_id=document.uuid
            ).comparisons
        ] == [comparison.uuid]

    @pytest.mark.parametrize(
        ("_case", "issued_on", "code"),
        [
            (
                "issued before the specimen",
                dt.date(2023, 12, 31),
                "specimen_not_valid_on",
            ),
            ("issued after its end", dt.date(2027, 1, 1), "specimen_not_valid_on"),
        ],
    )
    def test_refuses_a_specimen_not_in_force_when_the_document_was_issued(
        self, front_office: Any, _case: str, issued_on: dt.date, code: str
    ) -> None:
        specimen = SpecimenFactory()
        document = DocumentFactory(issued_on=issued_on, expires_on=None)

        with pytest.raises(ValidationFailed) as refused:
            services.specimen_comparison_record(
                actor=front_office,
                document_id=document.uuid,
                specimen_id=specimen.uuid,
                outcome="matches",
            )

        assert _codes(refused.value) == {"specimen_id": code}
        assert not SpecimenComparison.objects.exists()

    def test_without_an_issue_date_today_counts(
        self, front_office: Any, today: dt.date
    ) -> None:
        document = DocumentFactory(issued_on=None, expires_on=None)
        expired = SpecimenFactory(valid_until=dt.date(2026, 6, 14))
        current = SpecimenFactory(valid_until=dt.date(2026, 6, 15))

        with pytest.raises(ValidationFailed):
            services.specimen_comparison_record(
                actor=front_office,
                document_id=document.uuid,
                specimen_id=expired.uuid,
                outcome="matches",
            )
        comparison = services.specimen_comparison_record(
            actor=front_office,
            document_id=document.uuid,
            specimen_id=current.uuid,
            outcome="matches",
        )

        assert comparison.reference_date == today

    def test_refuses_a_withdrawn_specimen_and_an_unknown_outcome(
        self, front_office: Any
    ) -> None:
        specimen = SpecimenFactory()
        services.specimen_withdraw(
            actor=front_office,
            specimen_id=specimen.uuid,
            expected_version=1,
            reason="Revoked",
        )
        document = DocumentFactory(issued_on=dt.date(2025, 3, 1))

        with pytest.raises(ValidationFailed) as refused:
            services.specimen_comparison_record(
                actor=front_office,
                document_id=document.uuid,
                specimen_id=specimen.uuid,
                outcome="perhaps",
            )

        assert _codes(refused.value) == {
            "outcome": "invalid_choice",
            "specimen_id": "specimen_withdrawn",
        }
        assert not SpecimenComparison.objects.exists()

    def test_a_document_of_a_confidential_person_is_not_found(
        self, front_office: Any
    ) -> None:
        secret = PersonFactory(confidential_team=TeamFactory(code="elsewhere"))
        document = DocumentFactory(person=secret, issued_on=dt.date(2025, 3, 1))

        with pytest.raises(NotFound):
            services.specimen_comparison_record(
                actor=front_office,
                document_id=document.uuid,
                specimen_id=SpecimenFactory().uuid,
                outcome="matches",
            )

        assert not SpecimenComparison.objects.exists()

    @pytest.mark.parametrize("role", ["support_agent", "dossier_handler", "first_line"])
    def test_a_role_without_the_register_gets_not_found(
        self, make_agent: Callable[..., Any], role: str
    ) -> None:
        agent = make_agent(role, level="A2")
        document = DocumentFactory(issued_on=dt.date(2025, 3, 1))

        with pytest.raises(NotFound):
            services.specimen_comparison_record(
                actor=agent,
                document_id=document.uuid,
                specimen_id=SpecimenFactory().uuid,
                outcome="matches",
            )
        with pytest.raises(NotFound):
            selectors.document_comparisons_for_agent(
                agent=agent, document_id=document.uuid
            )

        assert not SpecimenComparison.objects.exists()
        assert not AuditEvent.objects.filter(action="specimen.compare").exists()


class TestValidityRuleAgrees:
    """The register's filter (SQL) and the model's predicate say the same thing:
    a specimen offered for a day is exactly one valid that day."""

    @pytest.mark.django_db
    def test_the_query_and_the_predicate_agree(self, front_office: Any) -> None:
        from django.db import transaction

        from hypothesis import given, settings
        from hypothesis import strategies as st

        days = st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2030, 12, 31))

        @settings(max_examples=60, deadline=None)
        @given(
            start=days,
            length=st.one_of(st.none(), st.integers(min_value=1, max_value=2000)),
            withdrawn=st.booleans(),
            # The day asked: around either end of the period (the edges), or any.
            edge=st.sampled_from(["start", "end", "any"]),
            shift=st.integers(min_value=-1, max_value=1),
            other=days,
        )
        def check(
            start: dt.date,
            length: int | None,
            withdrawn: bool,
            edge: str,
            shift: int,
            other: dt.date,
        ) -> None:
            until = None if length is None else start + dt.timedelta(days=length)
            base = {"start": start, "end": until or other, "any": other}[edge]
            on = base + dt.timedelta(days=shift)
            with transaction.atomic():
                specimen = SpecimenFactory(valid_from=start, valid_until=until)
                if withdrawn:
                    services.specimen_withdraw(
                        actor=front_office,
                        specimen_id=specimen.uuid,
                        expected_version=1,
                        reason="Revoked.",
                    )
                    specimen.refresh_from_db()
                offered = list(selectors.specimens_valid_on(agent=front_office, on=on))
                valid = specimen.is_valid_on(on)
                assert offered == ([specimen] if valid else [])
                assert (
                    selectors.specimen_state(specimen, on) == SpecimenState.VALID
                ) == valid
                transaction.set_rollback(True)

        check()
