"""The "Data quality" screens through HTTP: counts, findings, exports."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

import openpyxl
import pytest

from guichet.audit.models import AuditEvent
from guichet.demo.identifiers import national_number
from guichet.parties.models import PostalAddress
from guichet.reports import quality
from tests.factories import PersonFactory, TeamFactory

pytestmark = pytest.mark.django_db

SUMMARY = "/quality/"


def _text(response: Any) -> str:
    html = re.sub(r"<[^>]+>", " ", response.content.decode()).replace("\xa0", " ")
    return " ".join(html.split())


def _wrong_address(surname: str, **fields: Any) -> PostalAddress:
    person = PersonFactory(surname=surname, **fields)
    address: PostalAddress = PostalAddress.objects.create(
        person=person, country="BE", postal_code="5000", municipality="Liège"
    )
    return address


@pytest.fixture
def keeper(make_agent: Callable[..., Any]) -> Any:
    return make_agent("front_office", teams=("cc-fr",), username="keeper")


@pytest.mark.parametrize(
    ("_case", "roles", "status"),
    [
        ("front office", ("front_office",), 200),
        ("supervisor", ("supervisor",), 200),
        ("first line: no grant", ("first_line",), 403),
        ("administrator: no citizen data", ("admin",), 403),
    ],
)
def test_who_opens_the_section(
    client_for: Callable[[Any], Client],
    make_agent: Callable[..., Any],
    _case: str,
    roles: tuple[str, ...],
    status: int,
) -> None:
    client = client_for(make_agent(*roles))

    assert client.get(SUMMARY).status_code == status
    assert client.get(f"/quality/checks/{quality.POSTAL_CODE}/").status_code == status


def test_the_summary_counts_each_check_and_links_to_its_findings(
    client_for: Callable[[Any], Client], keeper: Any
) -> None:
    _wrong_address("Dubois")
    _wrong_address("Secretperson", confidential_team=TeamFactory(code="protected"))
    PersonFactory(
        birth_date=dt.date(1985, 7, 31),
        national_number=national_number(dt.date(1985, 7, 30), 33),
    )

    response = client_for(keeper).get(SUMMARY)

    text = _text(response)
    assert "Postal code not of its municipality: 1 finding" in text
    assert "Birth date contradicts the national number: 1 finding" in text
    assert "Expired identity document on an open dossier: 0 findings" in text
    assert f'href="/quality/checks/{quality.POSTAL_CODE}/"' in response.content.decode()
    assert not AuditEvent.objects.filter(action__startswith="report.quality").exists()


def test_the_findings_link_to_the_person_and_to_the_correction(
    client_for: Callable[[Any], Client], keeper: Any
) -> None:
    address = _wrong_address("Dubois")
    _wrong_address("Secretperson", confidential_team=TeamFactory(code="protected"))

    response = client_for(keeper).get(f"/quality/checks/{quality.POSTAL_CODE}/")

    html = response.content.decode()
    person = address.person
    assert response.status_code == 200
    assert "1 finding" in _text(response)
    assert f'href="/persons/{person.uuid}/"' in html
    assert f'href="/persons/{person.uuid}/addresses/{address.uuid}/edit/"' in html
    assert "SECRETPERSON" not in html.upper()
    logged = AuditEvent.objects.get(action="report.quality_postal_code")
    assert logged.summary["results"] == [str(person.uuid)]


def test_the_findings_come_a_page_at_a_time(
    client_for: Callable[[Any], Client], keeper: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(quality, "PAGE_SIZE", 2)
    for surname in ("Aa", "Bb", "Cc"):
        _wrong_address(surname)
    client = client_for(keeper)

    first = client.get(f"/quality/checks/{quality.POSTAL_CODE}/")
    second = client.get(f"/quality/checks/{quality.POSTAL_CODE}/?page=2")

    assert [row.finding.person.surname for row in first.context["rows"]] == ["Aa", "Bb"]
    assert [row.finding.person.surname for row in second.context["rows"]] == ["Cc"]
    assert 'rel="next"' in first.content.decode()
    assert "3 findings" in _text(second)


def test_an_unknown_check_is_not_found(
    client_for: Callable[[Any], Client], keeper: Any
) -> None:
    assert client_for(keeper).get("/quality/checks/nonsense/").status_code == 404


def test_the_exports_hold_the_filters_and_the_rows_in_the_agents_language(
    client_for: Callable[[Any], Client], make_agent: Callable[..., Any]
) -> None:
    agent = make_agent("front_office", teams=("cc-fr",), language="nl")
    _wrong_address("Dubois")
    _wrong_address("Secretperson", confidential_team=TeamFactory(code="protected"))
    client = Client(HTTP_ACCEPT_LANGUAGE="nl")
    client.force_login(agent)
    url = f"/quality/checks/{quality.POSTAL_CODE}/"

    as_csv = client.get(url + "?format=csv")
    as_xlsx = client.get(url + "?format=xlsx")

    assert as_csv["Content-Type"].startswith("text/csv")
    rows = list(
        csv.reader(io.StringIO(as_csv.content.decode("utf-8-sig")), delimiter=";")
    )
    assert rows[0] == ["Lijst", "Postcode van een andere gemeente"]
    assert [row[0] for row in rows[4:]] == ["Dubois"]
    sheet = openpyxl.load_workbook(io.BytesIO(as_xlsx.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[-1][0] == "Dubois"
    assert len(values) == 6  # title, two filters, blank, header, one row


@pytest.mark.parametrize("check", [quality.POSTAL_CODE, quality.BIRTH_DATE])
def test_a_page_reads_as_many_rows_in_as_many_queries(
    client_for: Callable[[Any], Client], keeper: Any, check: str
) -> None:
    client = client_for(keeper)
    url = f"/quality/checks/{check}/"

    made = iter(range(100))

    def queries_for(count: int) -> int:
        for index in (next(made) for _row in range(count)):
            _wrong_address(f"Row{index}")
            born = dt.date(1980, 1, 1) + dt.timedelta(days=index * 40)
            PersonFactory(
                birth_date=born + dt.timedelta(days=1),
                national_number=national_number(born, 101 + index * 2),
            )
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    assert queries_for(1) == queries_for(3)
