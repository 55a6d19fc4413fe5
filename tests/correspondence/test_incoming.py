"""The incoming mail register: numbered, scanned, dispatched, and what still waits."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.utils import translation

import pytest

from guichet.audit.models import AuditEvent
from guichet.core import clock
from guichet.core.errors import NotFound, StaleVersion, ValidationFailed
from guichet.correspondence import archive, selectors, services
from guichet.correspondence.errors import WrongState
from guichet.correspondence.models import IncomingMail
from tests.factories import TeamFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
TIFF = b"II*\x00" + b"\x00" * 32


@pytest.fixture
def clerk(writer: Callable[..., Any]) -> Any:
    return writer("D", role="support_agent")


def _register(clerk: Any, **fields: Any) -> IncomingMail:
    values = {
        "received_on": clock.today(),
        "subject": "Demande de légalisation",
        "sender_name": "Jan Peeters",
        "scan": PDF,
        "scan_name": "scan.pdf",
    }
    values.update(fields)
    return services.incoming_mail_register(actor=clerk, **values)


@pytest.mark.parametrize(
    ("_case", "scan", "content_type"),
    [
        ("pdf", PDF, "application/pdf"),
        ("jpeg", JPEG, "image/jpeg"),
        ("png", PNG, "image/png"),
        ("tiff", TIFF, "image/tiff"),
    ],
)
def test_registers_mail_with_its_number_and_a_scan_whose_type_is_sniffed(
    clerk: Any, _case: str, scan: bytes, content_type: str
) -> None:
    # The file's name says PDF; its first bytes decide.
    mail = _register(clerk, scan=scan, scan_name="courrier.pdf")
    today = clock.today()
    assert mail.number == f"LEG/IN/{today.year}/000001"
    assert (mail.sequence, mail.year, mail.status) == (1, today.year, "registered")
    assert (mail.sender_name, mail.subject) == (
        "Jan Peeters",
        "Demande de légalisation",
    )
    assert (mail.scan_content_type, mail.scan_size) == (content_type, len(scan))
    _mail, stored = selectors.incoming_mail_scan(agent=clerk, mail_id=mail.uuid)
    assert stored == scan
    event = AuditEvent.objects.get(action="mail.register")
    assert event.summary["number"] == mail.number
    assert event.summary["scan_sha256"] == archive.digest(scan)


def test_numbers_follow_each_other_per_service_and_series(
    clerk: Any, writer: Callable[..., Any], person: Any, templates: int
) -> None:
    first = _register(clerk)
    # An outgoing letter in between does not take a number of the incoming series.
    agent = writer("C")
    draft = services.letter_draft_create(
        actor=agent, person_id=person.uuid, letter_type="acknowledgement"
    )
    services.letter_submit(actor=agent, letter_id=draft.uuid, expected_version=1)
    second = _register(clerk, scan=PNG)
    assert (first.sequence, second.sequence) == (1, 2)


@pytest.mark.parametrize(
    ("_case", "fields", "errors"),
    [
        (
            "not a scan",
            {"scan": b"MZ\x90\x00 an executable"},
            [("scan", "invalid_file")],
        ),
        ("no scan", {"scan": b""}, [("scan", "required")]),
        (
            "future",
            {"received_on": clock.today() + dt.timedelta(days=1)},
            [("received_on", "date_in_future")],
        ),
        (
            "too old",
            {"received_on": clock.today() - dt.timedelta(days=400)},
            [("received_on", "invalid_choice")],
        ),
        (
            "no sender, no subject",
            {"sender_name": "  ", "subject": ""},
            [("sender_name", "required"), ("subject", "required")],
        ),
        (
            "unknown person",
            {"sender_person_id": "00000000-0000-0000-0000-000000000000"},
            [("sender_person_id", "invalid_reference")],
        ),
    ],
)
def test_bad_input_names_the_field_and_registers_nothing(
    clerk: Any, _case: str, fields: dict[str, Any], errors: list[tuple[str, str]]
) -> None:
    before = AuditEvent.objects.count()
    with translation.override("de"), pytest.raises(ValidationFailed) as caught:
        _register(clerk, **fields)
    assert [(item.field, item.code) for item in caught.value.errors] == errors
    assert IncomingMail.objects.count() == 0
    assert AuditEvent.objects.count() == before
    # The refused attempt gave no number away.
    assert _register(clerk).sequence == 1


def test_the_sender_can_be_a_known_person(clerk: Any, person: Any) -> None:
    mail = _register(clerk, sender_name="", sender_person_id=person.uuid)
    assert (mail.sender_name, mail.sender_person_id) == (
        "Hélène Lefèvre",
        person.pk,
    )


def test_dispatching_hands_the_mail_to_another_service_and_empties_the_list(
    clerk: Any, make_agent: Callable[..., Any]
) -> None:
    TeamFactory(code="visas")
    visas_agent = make_agent("front_office", level="C", teams=("visas",))
    first = _register(clerk, subject="Visa")
    second = _register(clerk, subject="Autre", received_on=clock.today())
    assert [
        m.uuid for m in selectors.incoming_mail_list(agent=clerk, undispatched=True)
    ] == [
        first.uuid,
        second.uuid,
    ]
    with pytest.raises(NotFound):
        selectors.incoming_mail_get_for_agent(agent=visas_agent, mail_id=first.uuid)

    mail = services.incoming_mail_dispatch(
        actor=clerk, mail_id=first.uuid, expected_version=1, team="visas"
    )

    assert (mail.status, mail.dispatched_team.code, mail.version) == (
        "dispatched",
        "visas",
        2,
    )
    assert mail.dispatched_by == clerk
    assert [
        m.uuid for m in selectors.incoming_mail_list(agent=clerk, undispatched=True)
    ] == [second.uuid]
    assert [m.uuid for m in selectors.incoming_mail_list(agent=visas_agent)] == [
        first.uuid
    ]
    event = AuditEvent.objects.get(action="mail.dispatch")
    assert (event.summary["from"], event.summary["to"]) == (None, "visas")


def test_a_stale_or_repeated_dispatch_is_refused(clerk: Any) -> None:
    TeamFactory(code="visas")
    mail = _register(clerk)
    services.incoming_mail_dispatch(
        actor=clerk, mail_id=mail.uuid, expected_version=1, team="visas"
    )
    with pytest.raises(StaleVersion):
        services.incoming_mail_dispatch(
            actor=clerk, mail_id=mail.uuid, expected_version=1, team="legalisations"
        )
    with pytest.raises(WrongState):
        services.incoming_mail_dispatch(
            actor=clerk, mail_id=mail.uuid, expected_version=2, team="visas"
        )
    with pytest.raises(ValidationFailed) as caught:
        services.incoming_mail_dispatch(
            actor=clerk, mail_id=mail.uuid, expected_version=2, team="nowhere"
        )
    assert [(e.field, e.code) for e in caught.value.errors] == [
        ("team", "invalid_choice")
    ]
    mail.refresh_from_db()
    assert (mail.version, mail.dispatched_team.code) == (2, "visas")


def test_mail_dispatched_to_a_dossier_is_in_that_dossier_s_timeline(
    clerk: Any,
) -> None:
    TeamFactory(code="visas")
    first = _register(clerk, subject="Pièces pour le dossier")
    other = _register(clerk, subject="Autre courrier")
    services.incoming_mail_dispatch(
        actor=clerk,
        mail_id=other.uuid,
        expected_version=1,
        team="legalisations",
        dossier="D-2026-9",
    )

    mail = services.incoming_mail_dispatch(
        actor=clerk,
        mail_id=first.uuid,
        expected_version=1,
        team="legalisations",
        dossier=" D-2026-17 ",
    )

    assert (mail.status, mail.dispatched_dossier) == ("dispatched", "D-2026-17")
    assert [
        m.uuid
        for m in selectors.incoming_mail_for_dossier(agent=clerk, dossier="D-2026-17")
    ] == [first.uuid]
    event = AuditEvent.objects.filter(action="mail.dispatch").last()
    assert event is not None
    assert (event.summary["to"], event.summary["to_dossier"]) == (
        "legalisations",
        "D-2026-17",
    )
    read = AuditEvent.objects.filter(chain="access", action="mail.list").last()
    assert read is not None
    assert read.summary["dossier"] == "D-2026-17"
    # Moving it to another dossier of the same service is a new dispatch.
    moved = services.incoming_mail_dispatch(
        actor=clerk,
        mail_id=first.uuid,
        expected_version=2,
        team="legalisations",
        dossier="D-2026-18",
    )
    assert (moved.version, moved.dispatched_dossier) == (3, "D-2026-18")
    assert selectors.incoming_mail_for_dossier(agent=clerk, dossier="D-2026-17") == []
    with pytest.raises(ValidationFailed) as caught:
        services.incoming_mail_dispatch(
            actor=clerk,
            mail_id=first.uuid,
            expected_version=3,
            team="legalisations",
            dossier="D" * 65,
        )
    assert [(e.field, e.code) for e in caught.value.errors] == [("dossier", "too_long")]


def test_dispatching_to_a_dossier_of_the_service_links_its_key(
    clerk: Any, make_agent: Callable[..., Any]
) -> None:
    from guichet.casetypes.services import SHIPPED, casetype_import
    from guichet.dossiers.services import dossier_open
    from tests.factories import PersonFactory

    casetype_import(
        agent=None,
        source=(SHIPPED / "consular-legalisation.yaml").read_text(),
        filename="consular-legalisation.yaml",
    )
    handler = make_agent("dossier_handler", teams=("legalisations",))
    dossier = dossier_open(
        actor=handler, case_type="consular-legalisation", applicant=PersonFactory()
    )
    first, second = _register(clerk), _register(clerk)
    linked = services.incoming_mail_dispatch(
        actor=clerk,
        mail_id=first.uuid,
        expected_version=1,
        team="legalisations",
        dossier=dossier.reference.lower(),
    )
    make_agent("support_agent", teams=("visas",))  # the team exists
    elsewhere = services.incoming_mail_dispatch(
        actor=clerk,
        mail_id=second.uuid,
        expected_version=1,
        team="visas",
        dossier=dossier.reference,
    )
    # Both are accepted alike (nothing tells the mail room the dossier exists);
    # only the mail sent to the dossier's own service is linked to it.
    assert (linked.dossier, elsewhere.dossier) == (dossier, None)
    assert elsewhere.dispatched_dossier == dossier.reference
    assert [
        m.uuid
        for m in selectors.incoming_mail_for_dossier(agent=clerk, dossier=dossier)
    ] == [first.uuid]
