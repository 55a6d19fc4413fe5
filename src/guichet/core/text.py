"""Text normalisation for search: case, accents, punctuation and script do not
matter."""

from __future__ import annotations

import re
import unicodedata

from text_unidecode import unidecode

_NON_ALNUM = re.compile(r"[^0-9a-z]+")
# Letters that do not decompose into a base letter plus an accent.
_SPECIAL = str.maketrans(
    {
        "ß": "ss",
        "æ": "ae",
        "œ": "oe",
        "ø": "o",
        "ł": "l",
        "đ": "d",
        "ð": "d",
        "þ": "th",
        "ı": "i",  # noqa: RUF001 - the dotless i is the point
    }
)


def fold(text: str) -> str:
    """Lower-case, strip accents and punctuation, transliterate other scripts into
    Latin letters, squeeze spaces.

    A consular post registers persons whose name is written only in Cyrillic,
    Greek or Arabic; transliterated (text-unidecode's tables, shipped with the
    package, no network), the name keeps a search key, and a search typed in
    either script finds it. Latin letters keep their own folding (accents
    stripped, `_SPECIAL`); a stored key that changes with transliteration (a rare
    Latin letter such as "Ħ") is folded again by a data migration.

    >>> fold("  Mélanie  D'Hondt-Ōsaka ")
    'melanie d hondt osaka'
    >>> fold("Олена Шевченко")
    'olena shevchenko'
    """
    lowered = text.casefold().translate(_SPECIAL)
    decomposed = unicodedata.normalize("NFKD", lowered)
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    if not stripped.isascii():
        stripped = "".join(map(_latin, stripped)).lower()
    return _NON_ALNUM.sub(" ", stripped).strip()


def _latin(char: str) -> str:
    """A letter or digit of another script in Latin letters; any other character
    (a symbol, an emoji, "€") a space, as punctuation is: it never makes a name
    findable."""
    if char.isascii():
        return char
    if unicodedata.category(char)[0] in "LN":
        latin: str = unidecode(char)
        return latin
    return " "


def digits(text: str) -> str:
    """Keep only the digits of an identifier typed with dots, dashes or spaces."""
    return "".join(char for char in text if char.isdigit())
