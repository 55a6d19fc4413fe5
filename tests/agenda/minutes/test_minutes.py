"""Minutes archived as PDF/A with their actions as tasks (moved from correspondence)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.utils import translation

import pytest

from guichet.agenda.minutes import selectors, services
from guichet.agenda.minutes.services import ActionInput
from guichet.agenda.models import ActionItem, Minutes
from guichet.audit.models import AuditEvent
from guichet.core import clock
from guichet.core.errors import NotFound, StaleVersion, ValidationFailed
from guichet.correspondence import archive, pdfcheck
from guichet.correspondence.errors import WrongState

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(minutes_writer: Callable[..., Any]) -> dict[str, Any]:
    return {
        "chair": minutes_writer("B", first_name="Anne", last_name="Dubois"),
        "colleague": minutes_writer("C", role="support_agent", first_name="Luc"),
    }


def _minutes(chair: Any, colleague: Any, **fields: Any) -> Minutes:
    meeting = clock.today() - dt.timedelta(days=1)
    values: dict[str, Any] = {
        "title": "Réunion d'équipe",
        "meeting_date": meeting,
        "language": "fr",
        "place": "Salle 2",
        "attendees": ["Anne Dubois", "Luc Martin"],
        "absentees": ["Eva Maes"],
        "agenda": ["Files d'attente au guichet", "Nouveaux formulaires"],
        "decisions": ["Un deuxième guichet ouvre le lundi matin."],
        "actions": [
            ActionInput(
                description="Prévoir le planning du lundi",
                owner=colleague.username,
                due_date=meeting + dt.timedelta(days=7),
            ),
            ActionInput(
                description="Mettre le formulaire en ligne",
                owner=chair.username,
                due_date=meeting + dt.timedelta(days=14),
            ),
        ],
    }
    values.update(fields)
    return services.minutes_create(actor=chair, **values)


def test_minutes_are_archived_as_pdfa_and_their_actions_become_tasks(
    team: dict[str, Any],
) -> None:
    chair, colleague = team["chair"], team["colleague"]

    minutes = _minutes(chair, colleague)

    minutes.refresh_from_db()
    data = archive.read(minutes.pdf_sha256, "pdf")
    report = pdfcheck.inspect(data)
    assert report.problems == []
    assert report.language == "fr"
    assert minutes.content["actions"][0]["owner"] == colleague.get_full_name()
    assert minutes.content["labels"]["decisions"] == "Décisions"
    items = list(ActionItem.objects.filter(minutes=minutes).order_by("due_date"))
    assert [
        (item.description, item.owner, item.due_date, item.status) for item in items
    ] == [
        (
            "Prévoir le planning du lundi",
            colleague,
            minutes.meeting_date + dt.timedelta(days=7),
            "open",
        ),
        (
            "Mettre le formulaire en ligne",
            chair,
            minutes.meeting_date + dt.timedelta(days=14),
            "open",
        ),
    ]
    assert [
        item.uuid for item in selectors.action_items_for_agent(agent=colleague)
    ] == [items[0].uuid]
    created = AuditEvent.objects.get(action="minutes.create")
    assert [action["owner"] for action in created.summary["actions"]] == [
        colleague.username,
        chair.username,
    ]
    _same, again = services.minutes_pdf_deliver(actor=chair, minutes_id=minutes.uuid)
    assert again == data


def test_an_owner_completes_an_action_once(team: dict[str, Any]) -> None:
    chair, colleague = team["chair"], team["colleague"]
    _minutes(chair, colleague)
    item = selectors.action_items_for_agent(agent=colleague)[0]

    done = services.action_item_complete(
        actor=colleague, item_id=item.uuid, expected_version=1
    )

    assert (done.status, done.done_by, done.version) == ("done", colleague, 2)
    assert selectors.action_items_for_agent(agent=colleague) == []
    assert [
        i.uuid
        for i in selectors.action_items_for_agent(agent=colleague, open_only=False)
    ] == [item.uuid]
    with pytest.raises(StaleVersion):
        services.action_item_complete(
            actor=colleague, item_id=item.uuid, expected_version=1
        )
    with pytest.raises(WrongState):
        services.action_item_complete(
            actor=colleague, item_id=item.uuid, expected_version=2
        )


def test_bad_minutes_name_each_field_and_create_nothing(
    team: dict[str, Any],
) -> None:
    chair, colleague = team["chair"], team["colleague"]
    meeting = clock.today()
    before = AuditEvent.objects.count()
    with translation.override("nl"), pytest.raises(ValidationFailed) as caught:
        _minutes(
            chair,
            colleague,
            title="",
            attendees=[],
            meeting_date=meeting,
            actions=[
                ActionInput(description="Iets doen", owner="nobody", due_date=meeting),
                ActionInput(
                    description="",
                    owner=colleague.username,
                    due_date=meeting - dt.timedelta(days=1),
                ),
            ],
        )
    assert [(item.field, item.code) for item in caught.value.errors] == [
        ("title", "required"),
        ("attendees", "required"),
        ("actions[0].owner", "invalid_owner"),
        ("actions[1].description", "required"),
        ("actions[1].due_date", "invalid_choice"),
    ]
    assert (Minutes.objects.count(), ActionItem.objects.count()) == (0, 0)
    assert AuditEvent.objects.count() == before


def test_only_agents_of_the_service_or_present_own_an_action(
    team: dict[str, Any], make_agent: Callable[..., Any]
) -> None:
    # given an administrator and a supervisor of another service, a system account
    # that belongs to no team, and a former colleague
    chair, colleague = team["chair"], team["colleague"]
    make_agent("admin", level="A2", teams=("legalisations",), username="boss")
    make_agent("support_agent", level="C", teams=(), username="loader")
    visitor = make_agent(
        "supervisor",
        level="A1",
        teams=("visas",),
        username="visitor",
        first_name="Véronique",
        last_name="Lemaître",
    )
    former = make_agent(
        "front_office", level="C", teams=("legalisations",), username="former"
    )
    former.is_active = False
    former.save(update_fields=["is_active"])
    meeting = clock.today()

    def owning(*owners: str, attendees: tuple[str, ...] = ("Anne Dubois",)) -> Any:
        return _minutes(
            chair,
            colleague,
            meeting_date=meeting,
            attendees=list(attendees),
            actions=[
                ActionInput(description="Faire", owner=owner, due_date=meeting)
                for owner in owners
            ],
        )

    # when they, or a name nobody has, are named owners
    with translation.override("fr"), pytest.raises(ValidationFailed) as caught:
        owning("boss", "loader", "visitor", "former", "nobody")
    # then each is refused with the same words, which name nobody
    errors = caught.value.errors
    assert [(item.field, item.code) for item in errors] == [
        (f"actions[{index}].owner", "invalid_owner") for index in range(5)
    ]
    with translation.override("fr"):
        texts = {item.text for item in errors}
    assert len(texts) == 1
    text = texts.pop()
    for name in ("boss", "loader", "visitor", "Lemaître", "former", "nobody", "Luc"):
        assert name not in text
    assert Minutes.objects.count() == 0
    # and an agent of another service who was present may own one
    minutes = owning("visitor", attendees=("Anne Dubois", "veronique lemaitre"))
    assert [item.owner for item in minutes.actions.all()] == [visitor]


def test_minutes_stay_within_their_service(
    team: dict[str, Any], make_agent: Callable[..., Any]
) -> None:
    minutes = _minutes(team["chair"], team["colleague"])
    outsider = make_agent("front_office", level="B", teams=("visas",))
    with pytest.raises(NotFound):
        selectors.minutes_get_for_agent(agent=outsider, minutes_id=minutes.uuid)
