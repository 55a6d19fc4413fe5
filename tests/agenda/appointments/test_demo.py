"""The demo's appointments: the passport team's offers, and its passport
applicants booked for their biometrics."""

from __future__ import annotations

from typing import Any

import pytest

from guichet.agenda.models import Appointment, Offer

pytestmark = pytest.mark.django_db


def test_the_demo_books_passport_biometrics(demo: Any) -> None:
    offers = Offer.objects.filter(team__code="travel-documents").order_by("code")
    assert [(o.code, o.purpose, o.places) for o in offers] == [
        ("biometrics", "biometrics", 2),
        ("handover", "handover", 1),
    ]
    booked = Appointment.objects.filter(offer__code="biometrics")
    assert booked.exists()
    assert all(a.dossier is not None for a in booked)
    assert all(a.dossier.person_id == a.person_id for a in booked)
