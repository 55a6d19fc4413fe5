from __future__ import annotations

import importlib
from decimal import Decimal
from typing import Any

from django.apps import apps as django_apps

import pytest

from guichet.contacts.models import Topic
from guichet.servicerequests.models import RoutingRule, ServiceLevelRule
from tests.factories import TeamFactory


def shipped_reference_data() -> None:
    """Put back the topics and the default calendar the migrations ship, which a
    transactional test run before (the worker's, say) flushed; the migrations' own
    functions skip what is present."""
    importlib.import_module("guichet.contacts.migrations.0002_shipped_topics").forwards(
        django_apps, None
    )
    importlib.import_module(
        "guichet.calendars.migrations.0002_default_calendar"
    ).ship_default(django_apps, None)


@pytest.fixture
def topic(db: Any) -> Topic:
    shipped_reference_data()
    return Topic.objects.get(team__isnull=True, code="legalisation")


@pytest.fixture
def routing(db: Any) -> dict[str, Any]:
    """cc-fr answers French, cc-nl Dutch; consular matters go to legalisations."""
    shipped_reference_data()
    teams = {
        code: TeamFactory(code=code) for code in ("cc-fr", "cc-nl", "legalisations")
    }
    RoutingRule.objects.create(team=teams["cc-fr"], language="fr", order=10)
    RoutingRule.objects.create(team=teams["cc-nl"], language="nl", order=10)
    RoutingRule.objects.create(
        team=teams["legalisations"], topic=Topic.objects.get(code="consular"), order=20
    )
    ServiceLevelRule.objects.create(
        kind="question", first_answer_hours=Decimal(8), resolution_hours=Decimal(24)
    )
    ServiceLevelRule.objects.create(
        kind="complaint", first_answer_hours=Decimal(16), resolution_hours=Decimal(120)
    )
    return teams
