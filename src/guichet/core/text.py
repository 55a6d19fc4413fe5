"""Text normalisation for search: case, accents and punctuation do not matter."""

from __future__ import annotations

import re
import unicodedata

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
    """Lower-case, strip accents and punctuation, squeeze spaces.

    >>> fold("  Mélanie  D'Hondt-Ōsaka ")
    'melanie d hondt osaka'
    """
    lowered = text.casefold().translate(_SPECIAL)
    decomposed = unicodedata.normalize("NFKD", lowered)
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _NON_ALNUM.sub(" ", stripped).strip()


def digits(text: str) -> str:
    """Keep only the digits of an identifier typed with dots, dashes or spaces."""
    return "".join(char for char in text if char.isdigit())
