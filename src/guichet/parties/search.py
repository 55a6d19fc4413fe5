"""Name search that forgives accents, case, word order and a typo.

PostgreSQL: first the names holding every typed word, as typed or one edit away
(a GIN index of name words, and a table of name words by their one-letter
deletions: migration 0003); the last word may also be a word's start. Only when no
name matches that way does pg_trgm's word similarity (`query <% search_name`) on a
GIN trigram index (migration 0002) run: on a million names it reads thousands of
candidates (bench/RESULTS.md). Either way the matches are ranked by word
similarity to the whole query.

SQLite: the same words and neighbours, matched in an FTS5 table of name words
(migration 0003); when none match, an FTS5 trigram table (migration 0002) yields
candidates sharing trigrams with the query. Either way the best candidates by
bm25 are re-ranked here with the same trigram measures as PostgreSQL's.

Both filter by the access
policy inside the query, so what an agent may not see never leaves the database.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.contrib.postgres.search import TrigramSimilarity, TrigramWordSimilarity
from django.db import connection
from django.db.models import Case, IntegerField, QuerySet, Value, When

from guichet.core.text import fold

from .models import Person
from .similarity import coverage, deletions, similarity, trigrams, within_one_edit

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
# On SQLite, how many FTS candidates (the best by bm25) are re-ranked in Python.
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
        where=[WORDS_MATCH], params=[_words_query(folded.split(), POSTGRES_TSQUERY)]
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


def _neighbours(words: Sequence[str]) -> list[list[str]]:
    """For each typed word, the name words it may stand for: itself and the known
    words one edit away (found through their shared one-letter deletions)."""
    spellings = sorted(
        {spelling for word in words for spelling in deletions(word) if spelling}
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT DISTINCT word FROM parties_name_variant WHERE spelling = ANY(%s)",
                [spellings],
            )
        else:
            cursor.execute(
                "SELECT DISTINCT word FROM parties_name_variant "
                "WHERE spelling IN (SELECT value FROM json_each(%s))",
                [json.dumps(spellings)],
            )
        known = [row[0] for row in cursor.fetchall()]
    return [
        sorted({word} | {name for name in known if within_one_edit(word, name)})
        for word in words
    ]


@dataclass(frozen=True)
class _Syntax:
    """How a full-text engine writes a term, a prefix, OR and AND."""

    quote: str
    prefix: str
    any_of: str
    all_of: str


POSTGRES_TSQUERY = _Syntax(quote="'", prefix=":*", any_of=" | ", all_of=" & ")
SQLITE_FTS5 = _Syntax(quote='"', prefix="*", any_of=" OR ", all_of=" AND ")


def _words_query(words: Sequence[str], syntax: _Syntax) -> str:
    """Every typed word, as typed or as a name word one edit away; the last one may
    also be the start of a word still being typed.

    `fold` leaves only [a-z0-9] in a word, so quoting it is enough.
    """
    q = syntax.quote
    clauses = []
    for index, (word, near) in enumerate(zip(words, _neighbours(words), strict=True)):
        terms = [f"{q}{name}{q}" for name in near]
        if index == len(words) - 1:
            terms.append(f"{q}{word}{q}{syntax.prefix}")
        clauses.append("(" + syntax.any_of.join(terms) + ")")
    return syntax.all_of.join(clauses)


def _fts_query(folded: str) -> str:
    grams = sorted(
        gram for gram in trigrams(folded) if gram.strip() and len(gram.strip()) == 3
    )
    return " OR ".join(f'"{gram}"' for gram in grams)


def _sqlite(
    visible: QuerySet[Person], folded: str, *, page: int, page_size: int
) -> Page[Person]:
    candidates = _fts_candidates(
        visible, "parties_person_words", _words_query(folded.split(), SQLITE_FTS5)
    )
    threshold = 0.0  # every candidate holds every typed word, or one edit from it
    if not candidates:
        # As on PostgreSQL, trigrams for the names the words miss.
        match = _fts_query(folded)
        if match:
            candidates = _fts_candidates(visible, "parties_person_fts", match)
            threshold = WORD_SIMILARITY_THRESHOLD
        else:
            # Only one- or two-letter words: match them as a prefix of the name.
            candidates = list(
                visible.filter(search_name__startswith=folded)[:SQLITE_CANDIDATES]
            )
    scored = [
        (
            coverage(folded, person.search_name),
            similarity(folded, person.search_name),
            person,
        )
        for person in candidates
    ]
    ranked = sorted(
        (entry for entry in scored if entry[0] >= threshold),
        key=lambda entry: (-entry[0], -entry[1], entry[2].search_name, entry[2].id),
    )
    offset = (page - 1) * page_size
    window = [person for _, _, person in ranked[offset : offset + page_size + 1]]
    return Page(
        items=window[:page_size],
        page=page,
        page_size=page_size,
        has_next=len(window) > page_size,
    )


def _fts_candidates(visible: QuerySet[Person], table: str, match: str) -> list[Person]:
    """The best `SQLITE_CANDIDATES` matches of an FTS5 table by bm25, that the agent
    may see."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT rowid FROM {table} WHERE {table} MATCH %s "  # noqa: S608  # our own table names
            "ORDER BY rank LIMIT %s",
            [match, SQLITE_CANDIDATES],
        )
        candidate_ids = [row[0] for row in cursor.fetchall()]
    return list(visible.filter(id__in=candidate_ids)) if candidate_ids else []
