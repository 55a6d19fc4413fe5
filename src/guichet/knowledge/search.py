"""Full-text search over the articles' current texts, ranked, with a snippet.

PostgreSQL: `search_vector` (migration 0002: the language's configuration,
`unaccent` then the language's Snowball stemmer) matched against
`websearch_to_tsquery` in the same configuration as the row, ranked by
`ts_rank_cd` (title weighted above the text), the snippet by `ts_headline`.
SQLite: the FTS5 table of migration 0002 (Porter over `unicode61
remove_diacritics 2`), the query folded (`core.text.fold`: no accents, no
punctuation, so nothing in it is FTS5 syntax) and every word required, ranked by
bm25 (title weighted ten times the text), the snippet by FTS5's `snippet()`.

The caller passes the texts the agent may see (`selectors.articles_search`
builds them through the policy); the filter is part of the one query.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from guichet.core.text import fold

from .models import ArticleText

# Snippet highlight markers: private-use characters no article contains.
START = "\ue000"
STOP = "\ue001"
# Texts considered before ranking per article.
CANDIDATES = 200

POSTGRES_CONFIG = (
    "CASE knowledge_articletext.language "
    "WHEN 'fr' THEN 'knowledge_fr'::regconfig "
    "WHEN 'nl' THEN 'knowledge_nl'::regconfig "
    "WHEN 'de' THEN 'knowledge_de'::regconfig "
    "WHEN 'en' THEN 'knowledge_en'::regconfig "
    "ELSE 'simple'::regconfig END"
)
POSTGRES_QUERY = f"websearch_to_tsquery({POSTGRES_CONFIG}, %s)"
SQLITE_SEARCH = (
    "SELECT rowid, bm25(knowledge_articletext_fts, 10.0, 1.0), "
    "snippet(knowledge_articletext_fts, 1, %s, %s, ' … ', 24) "
    "FROM knowledge_articletext_fts WHERE knowledge_articletext_fts MATCH %s "
    "AND rowid IN ({visible}) ORDER BY 2, rowid LIMIT %s"
)
HEADLINE_OPTIONS = (
    f"StartSel={START}, StopSel={STOP}, MaxWords=30, MinWords=12, "
    'MaxFragments=2, FragmentDelimiter=" … "'
)


@dataclass(frozen=True)
class SnippetPart:
    text: str
    hit: bool


@dataclass(frozen=True)
class Match:
    text: ArticleText
    rank: float
    snippet: tuple[SnippetPart, ...]


def snippet_parts(raw: str) -> tuple[SnippetPart, ...]:
    """Split a snippet marked with START/STOP into plain and highlighted parts."""
    parts: list[SnippetPart] = []
    rest = raw
    while rest:
        before, found, after = rest.partition(START)
        if before:
            parts.append(SnippetPart(before, hit=False))
        if not found:
            break
        hit, _stop, rest = after.partition(STOP)
        if hit:
            parts.append(SnippetPart(hit, hit=True))
    return tuple(parts)


def search_texts(texts: QuerySet[ArticleText], query: str) -> list[Match]:
    """The texts among `texts` matching `query`, best first."""
    if connection.vendor == "postgresql":
        return _postgres(texts, query)
    return _sqlite(texts, query)


def _postgres(texts: QuerySet[ArticleText], query: str) -> list[Match]:
    if not query.strip():
        return []
    rows = (
        texts.extra(  # noqa: S610 - constant SQL, the query is a parameter
            where=[f"knowledge_articletext.search_vector @@ {POSTGRES_QUERY}"],
            params=[query],
        )
        .annotate(
            rank=RawSQL(  # noqa: S611 - constant SQL, the query is a parameter
                f"ts_rank_cd(knowledge_articletext.search_vector, {POSTGRES_QUERY})",
                [query],
            ),
            headline=RawSQL(  # noqa: S611 - constant SQL, the query is a parameter
                f"ts_headline({POSTGRES_CONFIG}, knowledge_articletext.body, "
                f"{POSTGRES_QUERY}, %s)",
                [query, HEADLINE_OPTIONS],
            ),
        )
        .select_related("article", "article__topic")
        .order_by("-rank", "id")[:CANDIDATES]
    )
    return [
        Match(text=row, rank=float(row.rank), snippet=snippet_parts(row.headline))
        for row in rows
    ]


def _sqlite(texts: QuerySet[ArticleText], query: str) -> list[Match]:
    words = fold(query).split()
    if not words:
        return []
    match = " ".join(f'"{word}"' for word in words)
    try:
        visible_sql, visible_params = texts.values("id").query.sql_with_params()
    except EmptyResultSet:  # the agent sees no text at all
        return []
    with connection.cursor() as cursor:
        # The visible texts come in as the ORM's own SQL and parameters.
        sql = SQLITE_SEARCH.format(visible=visible_sql)
        cursor.execute(
            sql,
            [START, STOP, match, *visible_params, CANDIDATES],
        )
        found = cursor.fetchall()
    by_id = ArticleText.objects.select_related("article", "article__topic").in_bulk(
        [row[0] for row in found]
    )
    # bm25 is lower for better matches: the rank is its negation.
    return [
        Match(text=by_id[row_id], rank=-float(score), snippet=snippet_parts(raw))
        for row_id, score, raw in found
        if row_id in by_id
    ]
