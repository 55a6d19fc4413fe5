"""Minutes and action items move from correspondence to the agenda, rows kept."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from tests.migrations import migrate_to

BEFORE_MOVE = ("correspondence", "0009_dispatch_message_id")
MOVED = ("agenda", "0001_minutes")
PERMISSIONS = ("auth", "0012_alter_user_first_name_max_length")


@pytest.mark.usefixtures("scratch_database")
def test_minutes_and_their_actions_are_the_agendas_after_the_move() -> None:
    # given minutes with an action, written while correspondence kept them, and a
    # permission on their content type
    apps = migrate_to(BEFORE_MOVE, PERMISSIONS)
    team = apps.get_model("agents", "Team").objects.create(
        uuid=uuid.uuid4(), code="legalisations", name="Legalisations"
    )
    owner = apps.get_model("agents", "Agent").objects.create(
        uuid=uuid.uuid4(), username="owner", password="!"
    )
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
    content_types = apps.get_model("contenttypes", "ContentType").objects
    content_type, _created = content_types.get_or_create(
        app_label="correspondence", model="minutes"
    )
    apps.get_model("auth", "Permission").objects.get_or_create(
        content_type=content_type,
        codename="view_minutes",
        defaults={"name": "Can view minutes"},
    )

    # when the move runs
    apps = migrate_to(MOVED, PERMISSIONS)

    # then the same rows are the agenda's, in its tables, with their action, and
    # the content type (with its permission) carries the agenda's label
    moved_model = apps.get_model("agenda", "Minutes")
    assert moved_model._meta.db_table == "agenda_minutes"
    moved = moved_model.objects.get()
    assert (moved.uuid, moved.title, moved.pdf_sha256) == (
        minutes_uuid,
        "Overleg",
        "a" * 64,
    )
    item = apps.get_model("agenda", "ActionItem").objects.get()
    assert (item.uuid, item.minutes_id, item.owner_id) == (
        item_uuid,
        moved.pk,
        owner.pk,
    )
    content_types = apps.get_model("contenttypes", "ContentType").objects
    assert not content_types.filter(
        app_label="correspondence", model__in=["minutes", "actionitem"]
    ).exists()
    permission = apps.get_model("auth", "Permission").objects.get(
        codename="view_minutes"
    )
    assert (permission.content_type.app_label, permission.content_type.model) == (
        "agenda",
        "minutes",
    )
