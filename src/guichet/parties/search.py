"""Name search that forgives accents, case, word order and a typo.

PostgreSQL: pg_trgm's word similarity (`query <% search_name`) on a GIN trigram
index (migration 0002), ranked by similarity. SQLite: an FTS5 trigram index
(migration 0002) yields candidates sharing trigrams with the query, ranked by
bm25, then re-ranked here with the same trigram measure. Both filter by the access
policy inside the query, so what an agent may not see never leaves the database.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.contrib.postgres.search import TrigramWordSimilarity
from django.db import connection
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from guichet.core.text import fold

from .models import Person
from .similarity import coverage, trigrams

# pg_trgm word similarity a name must reach to be a match. 0.6 is pg_trgm's
# default; one typo in a 6-letter name scores about 0.57, hence lower.
WORD_SIMILARITY_THRESHOLD = 0.45
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
    with connection.cursor() as cursor:
        # SET LOCAL would end with the transaction; the plain SET stays on this
        # connection, which only ever uses this one threshold.
        cursor.execute(
            "SET pg_trgm.word_similarity_threshold = %s", [WORD_SIMILARITY_THRESHOLD]
        )
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
        visible.filter(search_name__trigram_word_similar=folded)
        .annotate(rank=TrigramWordSimilarity(folded, "search_name"), typing=typing)
        .order_by("-typing", "-rank", "search_name", "id")[
            offset : offset + page_size + 1
        ]
    )
    return Page(
        items=rows[:page_size],
        page=page,
        page_size=page_size,
        has_next=len(rows) > page_size,
    )


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
