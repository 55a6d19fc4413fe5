"""Name search: the word index with one-edit neighbours, and its trigram fallback."""

from __future__ import annotations

import string
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest
from hypothesis import given
from hypothesis import strategies as st

from guichet.parties import selectors, services
from guichet.parties.similarity import deletions, within_one_edit
from tests.factories import PersonFactory, TeamFactory

words = st.text(alphabet=string.ascii_lowercase, min_size=1, max_size=12)


def _distance(left: str, right: str) -> int:
    """Optimal string alignment distance, by the textbook table (the reference)."""
    rows = [[0] * (len(right) + 1) for _ in range(len(left) + 1)]
    for i in range(len(left) + 1):
        rows[i][0] = i
    for j in range(len(right) + 1):
        rows[0][j] = j
    for i in range(1, len(left) + 1):
        for j in range(1, len(right) + 1):
            cost = 0 if left[i - 1] == right[j - 1] else 1
            rows[i][j] = min(
                rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost
            )
            if (
                i > 1
                and j > 1
                and left[i - 1] == right[j - 2]
                and left[i - 2] == right[j - 1]
            ):
                rows[i][j] = min(rows[i][j], rows[i - 2][j - 2] + 1)
    return rows[len(left)][len(right)]


@st.composite
def edited(draw: st.DrawFn) -> tuple[str, str]:
    """A word and the same word with one typo: substituted, inserted, deleted, swapped."""
    word = draw(words.filter(lambda text: len(text) >= 2))
    position = draw(st.integers(0, len(word) - 1))
    letter = draw(st.sampled_from(string.ascii_lowercase))
    operation = draw(st.sampled_from(["substitute", "insert", "delete", "swap"]))
    if operation == "substitute":
        typo = word[:position] + letter + word[position + 1 :]
    elif operation == "insert":
        typo = word[:position] + letter + word[position:]
    elif operation == "delete":
        typo = word[:position] + word[position + 1 :]
    else:
        position = min(position, len(word) - 2)
        typo = (
            word[:position] + word[position + 1] + word[position] + word[position + 2 :]
        )
    return word, typo


@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        ("claes", "claes", True),
        ("claes", "cloes", True),  # substituted (pg_trgm scores this pair 0.33)
        ("claes", "clas", True),  # deleted
        ("claes", "claess", True),  # inserted at the end
        ("claes", "xclaes", True),  # inserted at the start
        ("claes", "cleas", True),  # neighbours swapped
        ("claes", "cleos", False),  # two substitutions
        ("claes", "caels", False),  # a swap of letters that are not neighbours
        ("claes", "cl", False),
        ("", "a", True),
        ("ab", "ba", True),
    ],
)
def test_one_edit(left: str, right: str, expected: bool) -> None:
    assert within_one_edit(left, right) is expected
    assert within_one_edit(right, left) is expected


@given(left=words, right=words)
def test_one_edit_agrees_with_the_reference_distance(left: str, right: str) -> None:
    assert within_one_edit(left, right) is (_distance(left, right) <= 1)


@given(pair=edited())
def test_a_typo_shares_a_deletion_with_the_word(pair: tuple[str, str]) -> None:
    word, typo = pair
    assert within_one_edit(word, typo)
    assert deletions(word) & deletions(typo)


def _trigram_scans(queries: CaptureQueriesContext) -> int:
    """Queries that read the trigram index (PostgreSQL's `%>`, SQLite's FTS table)."""
    return sum(
        "%>" in query["sql"] or "parties_person_fts " in query["sql"]
        for query in queries.captured_queries
    )


@pytest.fixture
def people(db: Any) -> dict[str, Any]:
    return {
        "claes": PersonFactory(given_names="Anne Sophie", surname="Claes"),
        "claessens": PersonFactory(given_names="Anne", surname="Claessens"),
        "jan": PersonFactory(given_names="Jan", surname="Van den Bossche"),
        "hidden": PersonFactory(
            given_names="Anne",
            surname="Cloes",
            confidential_team=TeamFactory(code="visas"),
        ),
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("anne sophie cloes", "claes"),  # a short word with a typo
        ("sophie anne claes", "claes"),  # word order
        ("anne claessems", "claessens"),
        ("anne sohpie claes", "claes"),  # swapped letters
        ("jan van den bossche", "jan"),
        ("jan van den bos", "jan"),  # the last word still being typed
        ("jan van de bossche", "jan"),  # a particle missing a letter
        ("jna van den bossche", "jan"),
    ],
)
def test_one_typo_per_word_is_found_by_the_word_index(
    first_line: Any, people: dict[str, Any], query: str, expected: str
) -> None:
    with CaptureQueriesContext(connection) as queries:
        page = selectors.person_search(agent=first_line, name=query)
    assert page.items[0] == people[expected]
    assert people["hidden"] not in page.items
    assert _trigram_scans(queries) == 0


@pytest.mark.django_db
def test_two_typos_in_a_word_fall_back_to_trigrams(
    first_line: Any, people: dict[str, Any]
) -> None:
    with CaptureQueriesContext(connection) as queries:
        page = selectors.person_search(agent=first_line, name="anne klaessenz")
    assert page.items[0] == people["claessens"]
    assert _trigram_scans(queries) == 1


@pytest.mark.django_db
def test_a_renamed_person_is_found_under_the_new_name(
    first_line: Any, people: dict[str, Any]
) -> None:
    person = people["jan"]
    services.person_update(
        actor=first_line,
        person_id=person.uuid,
        expected_version=person.version,
        data={"surname": "Wouterszoon"},
    )
    with CaptureQueriesContext(connection) as queries:
        page = selectors.person_search(agent=first_line, name="jan wouterzoon")
    assert page.items == [person]
    assert _trigram_scans(queries) == 0


@pytest.mark.django_db
def test_a_page_past_the_word_matches_stays_empty(
    first_line: Any, people: dict[str, Any]
) -> None:
    with CaptureQueriesContext(connection) as queries:
        page = selectors.person_search(agent=first_line, name="anne", page=5)
    assert page.items == []
    assert _trigram_scans(queries) == 0
