"""Data quality: Belgian postal codes that are not of their municipality."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from guichet.parties.models import PostalAddress
from guichet.reports import quality
from guichet.reports.postcodes import postal_codes
from tests.factories import PersonFactory, TeamFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent(make_agent: Callable[..., Any]) -> Any:
    return make_agent("support_agent", teams=("cc-fr",))


def _address(postal_code: str, municipality: str, **fields: Any) -> PostalAddress:
    person = PersonFactory(**fields.pop("person", {}))
    address: PostalAddress = PostalAddress.objects.create(
        person=person,
        country=fields.pop("country", "BE"),
        street="Rue Haute",
        house_number="12",
        postal_code=postal_code,
        municipality=municipality,
        **fields,
    )
    return address


@pytest.mark.parametrize(
    ("_case", "postal_code", "municipality"),
    [
        ("the municipality in French", "1000", "Bruxelles"),
        ("the municipality in Dutch", "1000", "Brussel"),
        ("the municipality in German", "4000", "Lüttich"),
        ("without accents, in capitals", "4000", "LIEGE"),
        ("a sub-municipality", "1020", "Laeken"),
        ("a sub-municipality of Liège", "4020", "Jupille-sur-Meuse"),
        ("a code shared by two municipalities (1)", "1040", "Etterbeek"),
        ("a code shared by two municipalities (2)", "1040", "Bruxelles"),
        ("a space for a dash", "3010", "Kessel Lo"),
        ("a German-speaking locality", "4701", "Kettenis"),
        ("a municipality merged in 2025, by its old name", "2150", "Borsbeek"),
    ],
)
def test_a_postal_code_of_its_municipality_is_not_listed(
    agent: Any, _case: str, postal_code: str, municipality: str
) -> None:
    _address(postal_code, municipality)

    assert quality.findings(agent=agent, check=quality.POSTAL_CODE) == []


@pytest.mark.parametrize(
    ("_case", "postal_code", "municipality", "words"),
    [
        ("a code of another municipality", "5000", "Liège", "serves Namen / Namur"),
        (
            "a sub-municipality under another code",
            "1000",
            "Laeken",
            "has the postal codes 1020",
        ),
        ("a name on no list", "1000", "Atlantis", "not a municipality or locality"),
        ("a code that does not exist", "1999", "Bruxelles", "does not exist"),
    ],
)
def test_a_postal_code_not_of_its_municipality_is_listed(
    agent: Any, _case: str, postal_code: str, municipality: str, words: str
) -> None:
    address = _address(postal_code, municipality)

    found = quality.findings(agent=agent, check=quality.POSTAL_CODE)

    assert [finding.address for finding in found] == [address]
    assert found[0].target == ("person", str(address.person.uuid))
    assert words in found[0].problem
    assert found[0].recorded == f"{postal_code} {municipality}"


def test_foreign_addresses_are_not_checked(agent: Any) -> None:
    _address("75001", "Bruxelles", country="FR")

    assert quality.findings(agent=agent, check=quality.POSTAL_CODE) == []


def test_every_address_with_a_wrong_pair_is_listed_and_counted(agent: Any) -> None:
    wrong = [
        _address("5000", "Liège"),
        _address("5000", "Liège"),
        _address("9000", "Brugge"),
    ]
    _address("9000", "Gent")

    found = quality.findings(agent=agent, check=quality.POSTAL_CODE)
    counts = {row.check: row.count for row in quality.summary(agent=agent)}

    assert sorted(finding.address.pk for finding in found if finding.address) == sorted(
        address.pk for address in wrong
    )
    assert counts[quality.POSTAL_CODE] == len(found) == 3


def test_a_confidential_persons_address_is_neither_listed_nor_counted(
    agent: Any,
) -> None:
    _address(
        "5000", "Liège", person={"confidential_team": TeamFactory(code="protected")}
    )

    assert quality.findings(agent=agent, check=quality.POSTAL_CODE) == []
    counts = {row.check: row.count for row in quality.summary(agent=agent)}
    assert counts[quality.POSTAL_CODE] == 0


def test_the_list_names_every_municipality_in_dutch_or_french() -> None:
    codes = postal_codes()

    assert len(codes.by_code) > 1100
    assert all(area.municipality for areas in codes.by_code.values() for area in areas)
    assert codes.codes_for("Namur")[:2] == ["5000", "5001"]


_AREAS = [
    (area.postal_code, name)
    for areas in postal_codes().by_code.values()
    for area in areas
    for name in (*area.municipality, *area.localities)
]


@given(
    place=st.sampled_from(_AREAS),
    spelling=st.sampled_from(["as listed", "capitals", "no dashes", "no accents"]),
)
def test_any_listed_place_matches_its_code_however_it_is_written(
    place: tuple[str, str], spelling: str
) -> None:
    postal_code, name = place
    written = {
        "as listed": name,
        "capitals": name.upper(),
        "no dashes": name.replace("-", " "),
        "no accents": unicodedata.normalize("NFKD", name)
        .encode("ascii", "ignore")
        .decode(),
    }[spelling]

    assert postal_codes().matches(postal_code, written)
    assert postal_code in postal_codes().codes_for(written)
