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


def deletions(word: str) -> frozenset[str]:
    """The word and every spelling with one of its letters deleted.

    Two words one edit apart (a letter substituted, inserted, deleted, or two
    neighbours swapped) always share one of these spellings: the index of name
    words (migration 0003) is looked up with them.
    """
    return frozenset({word} | {word[:i] + word[i + 1 :] for i in range(len(word))})


def within_one_edit(left: str, right: str) -> bool:
    """True when the words are equal or one edit apart (the optimal string alignment
    distance is at most 1: one substitution, insertion, deletion or swap of two
    neighbouring letters)."""
    if left == right:
        return True
    if abs(len(left) - len(right)) > 1:
        return False
    if len(left) > len(right):
        left, right = right, left
    start = 0
    while start < len(left) and left[start] == right[start]:
        start += 1
    if len(left) < len(right):
        # One letter inserted at `start`.
        return left[start:] == right[start + 1 :]
    if left[start + 1 :] == right[start + 1 :]:
        return True  # substituted
    return (
        start + 1 < len(left)
        and left[start] == right[start + 1]
        and left[start + 1] == right[start]
        and left[start + 2 :] == right[start + 2 :]
    )
