"""Belgian postal codes and the municipalities under them (pure; no database).

Reads the list shipped in `data/be-postal-codes.csv` (its header names the sources
and the licence: Statbel's postal code to municipality table and the BeST postal
names, both CC BY 4.0), once per process. A Belgian address's municipality is of
its postal code when its name, folded (`core.text.fold`: case, accents,
punctuation and spaces do not matter), is one of the names listed under that code:
the municipality's name in Dutch, French or German, or one of its localities
(sub-municipalities, deelgemeenten) that the code serves.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from guichet.core.text import fold

DATA = Path(__file__).resolve().parent / "data" / "be-postal-codes.csv"


@dataclass(frozen=True)
class Area:
    """One municipality under one postal code (a code may serve several)."""

    postal_code: str
    nis: str  # the municipality's REFNIS code
    municipality: tuple[str, ...]  # its names, Dutch, French, German
    localities: tuple[str, ...]  # the other places the code serves there

    @property
    def label(self) -> str:
        """The municipality as people write it: "Brussel / Bruxelles"."""
        return " / ".join(self.municipality)


def key(name: str) -> str:
    """A name as compared: folded, without spaces ("Kessel Lo" is "Kessel-Lo")."""
    return fold(name).replace(" ", "")


def _rows(path: Path) -> Iterator[Area]:
    with path.open(encoding="utf-8", newline="") as handle:
        lines = (line for line in handle if not line.startswith("#"))
        for row in csv.DictReader(lines, delimiter=";"):
            yield Area(
                postal_code=row["postal_code"],
                nis=row["municipality_nis"],
                municipality=tuple(filter(None, row["municipality"].split("|"))),
                localities=tuple(filter(None, row["localities"].split("|"))),
            )


@dataclass(frozen=True)
class PostalCodes:
    by_code: dict[str, tuple[Area, ...]]
    names_by_code: dict[str, frozenset[str]]
    codes_by_name: dict[str, frozenset[str]]

    def is_known(self, postal_code: str) -> bool:
        return postal_code in self.by_code

    def matches(self, postal_code: str, municipality: str) -> bool:
        """True when `municipality` names a place `postal_code` serves."""
        return key(municipality) in self.names_by_code.get(postal_code, frozenset())

    def areas(self, postal_code: str) -> tuple[Area, ...]:
        return self.by_code.get(postal_code, ())

    def codes_for(self, municipality: str) -> list[str]:
        """The postal codes serving a place of that name, in order."""
        return sorted(self.codes_by_name.get(key(municipality), frozenset()))


def load(path: Path = DATA) -> PostalCodes:
    by_code: dict[str, list[Area]] = {}
    names: dict[str, set[str]] = {}
    codes: dict[str, set[str]] = {}
    for area in _rows(path):
        by_code.setdefault(area.postal_code, []).append(area)
        for name in (*area.municipality, *area.localities):
            names.setdefault(area.postal_code, set()).add(key(name))
            codes.setdefault(key(name), set()).add(area.postal_code)
    return PostalCodes(
        by_code={code: tuple(areas) for code, areas in by_code.items()},
        names_by_code={code: frozenset(found) for code, found in names.items()},
        codes_by_name={name: frozenset(found) for name, found in codes.items()},
    )


@cache
def postal_codes() -> PostalCodes:
    """The shipped list, read once per process."""
    return load()
