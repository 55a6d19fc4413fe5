"""The demo's counter of the consular post and its day of payments."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from guichet.cashbook import services
from guichet.cashbook.models import CashDay, Counter, Payment, Refund
from guichet.checks.ogm import check_ogm

pytestmark = pytest.mark.django_db


def test_the_demo_counter_has_a_day_of_payments(demo: Any, cli: Any) -> None:
    counter = Counter.objects.get(code="consular-1")
    day = CashDay.objects.get(counter=counter)

    assert counter.team.code == "legalisations"
    assert sorted(Payment.objects.filter(day=day).values_list("means", flat=True)) == [
        "card",
        "cash",
        "transfer",
    ]
    assert sorted(Payment.objects.filter(day=day).values_list("number", flat=True)) == [
        1,
        2,
        3,
    ]
    assert check_ogm(Payment.objects.get(means="transfer").ogm).valid
    assert Refund.objects.get().number == 4
    assert services.day_figures(day).expected == {
        "card": Decimal("0.00"),
        "cash": Decimal("20.00"),
        "transfer": Decimal("20.00"),
    }

    assert cli("demo", "--i-know-this-is-not-production")[0] == 0
    assert Payment.objects.count() == 3
