"""Minutes and action items move from correspondence to the agenda, rows kept."""

from __future__ import annotations

import datetime as dt
import uuid

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType

import pytest

from guichet.agenda.minutes import selectors
from guichet.agenda.models import ActionItem, Minutes
from tests.factories import AgentFactory, TeamFactory
from tests.migrations import migrate_to, migrate_to_latest

BEFORE_MOVE = ("correspondence", "0009_dispatch_message_id")


@pytest.mark.django_db(transaction=True)
def test_minutes_and_their_actions_are_found_in_the_agenda_after_the_move() -> None:
    # given minutes with an action, written while correspondence kept them, and a
    # permission on their content type
    team = TeamFactory(code="legalisations")
    owner = AgentFactory(roles=["front_office"], teams=[team], username="owner")
    apps = migrate_to(BEFORE_MOVE)
    try:
        minutes_uuid, item_uuid = uuid.uuid4(), uuid.uuid4()
        minutes = apps.get_model("correspondence", "Minutes").objects.create(
            uuid=minutes_uuid,
            team_id=team.pk,
            title="Overleg",
            meeting_date=dt.date(2026, 11, 2),
            language="nl",
            attendees=["Owner"],
            agenda=["Rooster"],
            author_id=owner.pk,
            content={"title": "Overleg"},
            pdf_sha256="a" * 64,
        )
        apps.get_model("correspondence", "ActionItem").objects.create(
            uuid=item_uuid,
            minutes=minutes,
            description="Rooster aanpassen",
            owner_id=owner.pk,
            due_date=dt.date(2026, 11, 9),
        )
        ContentType.objects.clear_cache()
        content_type, _created = ContentType.objects.get_or_create(
            app_label="correspondence", model="minutes"
        )
        Permission.objects.get_or_create(
            content_type=content_type,
            codename="view_minutes",
            defaults={"name": "Can view minutes"},
        )
    finally:
        # when
        migrate_to_latest()
        ContentType.objects.clear_cache()

    # then the same rows are the agenda's, their owner finds the action, and the
    # content type (with its permission) carries the agenda's label
    moved = Minutes.objects.get()
    assert (moved.uuid, moved.title, moved.pdf_sha256) == (
        minutes_uuid,
        "Overleg",
        "a" * 64,
    )
    item = ActionItem.objects.get()
    assert (item.uuid, item.minutes_id, item.status) == (item_uuid, moved.pk, "open")
    assert [found.uuid for found in selectors.action_items_for_agent(agent=owner)] == [
        item_uuid
    ]
    assert Minutes._meta.db_table == "agenda_minutes"
    assert not ContentType.objects.filter(
        app_label="correspondence", model__in=["minutes", "actionitem"]
    ).exists()
    assert Permission.objects.get(codename="view_minutes").content_type == (
        ContentType.objects.get_for_model(Minutes)
    )
