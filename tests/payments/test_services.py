from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from guichet.core.errors import Forbidden, NotFound, ValidationFailed
from guichet.payments import services
from guichet.payments.models import AccountChange, Beneficiary, Entitlement
from tests.factories import PersonFactory
from tests.payments.factories import pay_beneficiary


def _codes(error: Any) -> list[str]:
    return [item.code for item in error.value.errors]


def test_an_account_change_is_paid_once_a_second_agent_confirms(
    pay_agent: Any, pay_second: Any
) -> None:
    beneficiary = pay_beneficiary(agent=pay_agent, confirmer=pay_second)
    change = services.account_change_request(
        actor=pay_agent,
        beneficiary_id=beneficiary.uuid,
        iban="BE11 0001 2345 6748",
        holder="Marie Test",
        effective_on=dt.date(2026, 2, 1),
    )
    beneficiary.refresh_from_db()
    assert beneficiary.account_iban != "BE11000123456748"

    with pytest.raises(Forbidden):
        services.account_change_confirm(actor=pay_agent, change_id=change.uuid)
    services.account_change_confirm(actor=pay_second, change_id=change.uuid)

    beneficiary.refresh_from_db()
    assert beneficiary.account_iban == "BE11000123456748"
    assert AccountChange.objects.get(pk=change.pk).decided_by == pay_second


def test_a_bad_iban_is_refused_and_nothing_written(
    pay_agent: Any, pay_second: Any
) -> None:
    beneficiary = pay_beneficiary(agent=pay_agent, confirmer=pay_second)

    with pytest.raises(ValidationFailed) as refused:
        services.account_change_request(
            actor=pay_agent,
            beneficiary_id=beneficiary.uuid,
            iban="BE71096123456768",
            holder="Marie Test",
            effective_on=dt.date(2026, 2, 1),
        )

    assert _codes(refused) == ["invalid_iban"]
    assert AccountChange.objects.filter(beneficiary=beneficiary).count() == 1


def test_overlapping_entitlements_and_negative_amounts_are_refused(
    pay_agent: Any, pay_second: Any
) -> None:
    beneficiary = pay_beneficiary(agent=pay_agent, confirmer=pay_second)

    with pytest.raises(ValidationFailed) as overlap:
        services.entitlement_add(
            actor=pay_agent,
            beneficiary_id=beneficiary.uuid,
            category="full_unemployment",
            daily_amount=Decimal("50.00"),
            starts_on=dt.date(2026, 6, 1),
            ends_on=None,
            withholding_rate=Decimal(0),
            decided_on=dt.date(2026, 5, 1),
        )
    with pytest.raises(ValidationFailed) as negative:
        services.entitlement_add(
            actor=pay_agent,
            beneficiary_id=beneficiary.uuid,
            category="insertion",
            daily_amount="-5.00",
            starts_on=dt.date(2026, 6, 1),
            ends_on=None,
            withholding_rate="1.5",
            decided_on=dt.date(2026, 5, 1),
        )

    assert _codes(overlap) == ["entitlement_overlaps"]
    assert _codes(negative) == ["negative_amount", "invalid_rate"]
    assert Entitlement.objects.filter(beneficiary=beneficiary).count() == 1


def test_another_category_may_run_beside(pay_agent: Any, pay_second: Any) -> None:
    beneficiary = pay_beneficiary(agent=pay_agent, confirmer=pay_second)

    services.entitlement_add(
        actor=pay_agent,
        beneficiary_id=beneficiary.uuid,
        category="temporary_unemployment",
        daily_amount="12.50",
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2026, 1, 31),
        withholding_rate="0",
        decided_on=dt.date(2026, 1, 1),
    )

    assert Entitlement.objects.filter(beneficiary=beneficiary).count() == 2


def test_a_person_is_a_beneficiary_once_per_office(pay_agent: Any) -> None:
    person = PersonFactory()
    services.beneficiary_register(actor=pay_agent, person_id=person.uuid)

    with pytest.raises(ValidationFailed) as twice:
        services.beneficiary_register(actor=pay_agent, person_id=person.uuid)

    assert _codes(twice) == ["already_beneficiary"]
    assert Beneficiary.objects.filter(person=person).count() == 1


def test_other_roles_see_no_beneficiary(
    pay_agent: Any, pay_second: Any, make_agent: Any
) -> None:
    beneficiary = pay_beneficiary(agent=pay_agent, confirmer=pay_second)
    handler = make_agent("dossier_handler", teams=("payment-office",))

    with pytest.raises((NotFound, Forbidden)):
        services.beneficiary_stop(
            actor=handler,
            beneficiary_id=beneficiary.uuid,
            expected_version=beneficiary.version,
            reason="test",
        )


def test_a_declaration_beyond_the_month_is_refused(
    pay_agent: Any, pay_second: Any
) -> None:
    beneficiary = pay_beneficiary(agent=pay_agent, confirmer=pay_second, months=())

    with pytest.raises(ValidationFailed) as refused:
        services.declaration_record(
            actor=pay_agent,
            beneficiary_id=beneficiary.uuid,
            month="2026-02",
            days_payable=20,
            days_worked=10,
            days_sick=0,
            days_holiday=0,
            received_on=dt.date(2026, 3, 1),
            signed=True,
            dated_on=dt.date(2026, 2, 28),
        )

    assert _codes(refused) == ["invalid_days"]
