"""Trigram similarity of names, as PostgreSQL's pg_trgm computes it (pure Python).

Used to rank search candidates on SQLite and to spot likely duplicates on both
databases, so both give the same answer for the same names.
"""

from __future__ import annotations

from guichet.core.text import fold


def trigrams(text: str) -> frozenset[str]:
    """pg_trgm's trigrams: each word padded with two spaces before and one after."""
    grams: set[str] = set()
    for word in fold(text).split():
        padded = f"  {word} "
        grams.update(padded[index : index + 3] for index in range(len(padded) - 2))
    return frozenset(grams)


def similarity(left: str, right: str) -> float:
    """Shared trigrams over all trigrams (pg_trgm `similarity`), from 0 to 1."""
    a, b = trigrams(left), trigrams(right)
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def coverage(query: str, name: str) -> float:
    """Share of the query's trigrams found in the name (close to `word_similarity`).

    A query of one surname scores 1.0 against "surname given names", where plain
    similarity would punish the name for its extra words.
    """
    wanted = trigrams(query)
    if not wanted:
        return 0.0
    return len(wanted & trigrams(name)) / len(wanted)
