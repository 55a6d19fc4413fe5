from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from guichet.contacts.models import Topic
from guichet.servicerequests.models import RoutingRule, ServiceLevelRule
from tests.factories import TeamFactory


@pytest.fixture
def topic() -> Topic:
    return Topic.objects.get(team__isnull=True, code="legalisation")


@pytest.fixture
def routing(db: Any) -> dict[str, Any]:
    """cc-fr answers French, cc-nl Dutch; consular matters go to legalisations."""
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
