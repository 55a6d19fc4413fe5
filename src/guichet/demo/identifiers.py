"""Synthetic identifiers that pass the official checks (for demo and benchmark data)."""

from __future__ import annotations

import datetime as dt


def national_number(birth_date: dt.date, counter: int, *, bis: bool = False) -> str:
    """An NN (or BIS, month + 40) for a birth date; odd counters are men, even women.

    Check digits: 97 - (first nine digits mod 97), with "2" prefixed from 2000
    (docs/sources.md §2.1).
    """
    if not 1 <= counter <= 998:
        raise ValueError("the day counter runs from 001 to 998")
    month = birth_date.month + (40 if bis else 0)
    base = f"{birth_date:%y}{month:02d}{birth_date:%d}{counter:03d}"
    numeric = int(("2" if birth_date.year >= 2000 else "") + base)
    return f"{base}{97 - numeric % 97:02d}"


def enterprise_number(serial: int) -> str:
    """A BCE/KBO number 0xxxxxxxCC with CC = 97 - (first eight mod 97)
    (docs/sources.md §2.4)."""
    if not 0 < serial < 8_000_000:
        raise ValueError("serial out of range")
    first8 = f"0{2_000_000 + serial:07d}"
    return f"{first8}{97 - int(first8) % 97:02d}"
