"""Name search that forgives accents, case, word order and a typo.

PostgreSQL: first the names holding every typed word, as typed or one edit away
(a GIN index of name words, and a table of name words by their one-letter
deletions: migration 0003); the last word may also be a word's start. Only when no
name matches that way does pg_trgm's word similarity (`query <% search_name`) on a
GIN trigram index (migration 0002) run: on a million names it reads thousands of
candidates (bench/RESULTS.md). Either way the matches are ranked by word
similarity to the whole query.

SQLite: an FTS5 trigram index (migration 0002) yields candidates sharing trigrams
with the query, ranked by bm25, then re-ranked here with the same trigram measure.

Both filter by the access
policy inside the query, so what an agent may not see never leaves the database.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.contrib.postgres.search import TrigramSimilarity, TrigramWordSimilarity
from django.db import connection
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from guichet.core.text import fold

from .models import Person
from .similarity import coverage, deletions, trigrams, within_one_edit

# pg_trgm word similarity a name must reach to be a match. 0.6 is pg_trgm's
# default; one typo in a 6-letter name scores about 0.57, hence lower.
WORD_SIMILARITY_THRESHOLD = 0.45
# The index of name words, matched against a tsquery (migration 0003).
WORDS_MATCH = (
    "to_tsvector('simple'::regconfig, parties_person.search_name) "
    "@@ to_tsquery('simple'::regconfig, %s)"
)
# A last word this short is a word still being typed ("yilmaz no"): names with a
# word starting with it come first, since trigram similarity gives it little weight.
TYPING_MAX_LENGTH = 3
# On SQLite, how many FTS candidates are re-ranked in Python.
SQLITE_CANDIDATES = 300


T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    items: Sequence[T]
    page: int
    page_size: int
    has_next: bool


def name_search(
    visible: QuerySet[Person], query: str, *, page: int, page_size: int
) -> Page[Person]:
    folded = fold(query)
    if not folded:
        return Page(items=[], page=page, page_size=page_size, has_next=False)
    if connection.vendor == "postgresql":
        return _postgres(visible, folded, page=page, page_size=page_size)
    return _sqlite(visible, folded, page=page, page_size=page_size)


def _postgres(
    visible: QuerySet[Person], folded: str, *, page: int, page_size: int
) -> Page[Person]:
    by_words = visible.extra(  # noqa: S610  # the tsquery is a parameter
        where=[WORDS_MATCH], params=[_tsquery(folded.split())]
    )
    result = _ranked_page(by_words, folded, page=page, page_size=page_size)
    if result.items or (page > 1 and by_words.exists()):
        return result
    # No name holds every typed word, even one edit away: two typos in a word,
    # words run together ("vandenberg" for "van den berg"). Trigrams find them,
    # at the cost of reading every name that shares enough trigrams.
    with connection.cursor() as cursor:
        # SET LOCAL would end with the transaction; the plain SET stays on this
        # connection, which only ever uses this one threshold.
        cursor.execute(
            "SET pg_trgm.word_similarity_threshold = %s", [WORD_SIMILARITY_THRESHOLD]
        )
    return _ranked_page(
        visible.filter(search_name__trigram_word_similar=folded),
        folded,
        page=page,
        page_size=page_size,
    )


def _ranked_page(
    matches: QuerySet[Person], folded: str, *, page: int, page_size: int
) -> Page[Person]:
    """Best matches first: pg_trgm's word similarity to the whole query, then, among
    equals, plain similarity, which prefers the names without words the agent did not
    type ("jean martin" before "deckers jean martin" for "jean martn")."""
    offset = (page - 1) * page_size
    last = folded.split()[-1]
    typing = (
        Case(
            When(search_name__regex=rf"(^| ){re.escape(last)}", then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
        if len(folded.split()) > 1 and len(last) <= TYPING_MAX_LENGTH
        else Value(0, output_field=IntegerField())
    )
    rows = list(
        matches.annotate(
            rank=TrigramWordSimilarity(folded, "search_name"),
            closeness=TrigramSimilarity("search_name", folded),
            typing=typing,
        ).order_by("-typing", "-rank", "-closeness", "search_name", "id")[
            offset : offset + page_size + 1
        ]
    )
    return Page(
        items=rows[:page_size],
        page=page,
        page_size=page_size,
        has_next=len(rows) > page_size,
    )


def _tsquery(words: list[str]) -> str:
    """Every typed word, as typed or as a name word one edit away; the last one may
    also be the start of a word still being typed.

    `fold` leaves only [a-z0-9] in a word, so quoting it is enough.
    """
    spellings = {spelling for word in words for spelling in deletions(word) if spelling}
    neighbours: dict[str, set[str]] = {word: {word} for word in words}
    if spellings:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT DISTINCT word FROM parties_name_variant WHERE spelling = ANY(%s)",
                [sorted(spellings)],
            )
            known = [row[0] for row in cursor.fetchall()]
        for word, near in neighbours.items():
            near.update(name for name in known if within_one_edit(word, name))
    clauses = []
    for index, word in enumerate(words):
        terms = [f"'{name}'" for name in sorted(neighbours[word])]
        if index == len(words) - 1:
            terms.append(f"'{word}':*")
        clauses.append("(" + " | ".join(terms) + ")")
    return " & ".join(clauses)


def _fts_query(folded: str) -> str:
    grams = sorted(
        gram for gram in trigrams(folded) if gram.strip() and len(gram.strip()) == 3
    )
    return " OR ".join(f'"{gram}"' for gram in grams)


def _sqlite(
    visible: QuerySet[Person], folded: str, *, page: int, page_size: int
) -> Page[Person]:
    match = _fts_query(folded)
    if match:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT rowid FROM parties_person_fts WHERE parties_person_fts MATCH %s "
                "ORDER BY rank LIMIT %s",
                [match, SQLITE_CANDIDATES],
            )
            candidate_ids = [row[0] for row in cursor.fetchall()]
        condition = Q(id__in=candidate_ids)
    else:
        # Only one- or two-letter words: match them as a prefix of the name.
        condition = Q(search_name__startswith=folded)
    candidates = list(visible.filter(condition)[:SQLITE_CANDIDATES])
    scored = [(coverage(folded, person.search_name), person) for person in candidates]
    threshold = WORD_SIMILARITY_THRESHOLD if match else 0.0
    ranked = sorted(
        ((score, person) for score, person in scored if score >= threshold),
        key=lambda pair: (-pair[0], pair[1].search_name, pair[1].id),
    )
    offset = (page - 1) * page_size
    window = [person for _, person in ranked[offset : offset + page_size + 1]]
    return Page(
        items=window[:page_size],
        page=page,
        page_size=page_size,
        has_next=len(window) > page_size,
    )
