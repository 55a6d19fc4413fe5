"""Synthetic Belgian persons and the queries an agent types to find them (pure code).

Deterministic for a seed, so two runs of `generate.py --size N --seed S` load the
same persons and a result can be reproduced. Identifiers pass the official checks
(national numbers from `guichet.demo.identifiers`); names come from `names.py`.
"""

from __future__ import annotations

import datetime as dt
import random
import string
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import accumulate

import names

from guichet.core.text import fold
from guichet.demo.identifiers import national_number

# Share of persons with 1, 2 or 3 given names (the national register keeps them all).
GIVEN_NAME_COUNTS = ((1, 0.35), (2, 0.45), (3, 0.20))
# Share of double-barrelled surnames ("Dupont-Lambert", "García López").
DOUBLE_SURNAME = 0.12
# Share of persons with a BIS number instead of a national register number.
BIS = 0.03
# Share of persons with an e-mail address on file.
EMAIL = 0.6
# One person in this many is confidential to the visas team.
CONFIDENTIAL_EVERY = 500
# Zipf-like weights: weight of rank r is 1 / (r + OFFSET) ** EXPONENT. Tuned so
# the commonest surname holds about 0.5% of all persons (Peeters: about 0.3% of
# Belgium) while 80% of full names are unique and at 1,000,000 persons fewer than
# 1 in 10,000 persons shares their full name with more than 20 others.
OFFSET = 10
EXPONENT = 0.5
FIRST_BIRTH = dt.date(1930, 1, 1)
LAST_BIRTH = dt.date(2025, 12, 31)


@dataclass(frozen=True)
class SyntheticPerson:
    given_names: str
    surname: str
    sex: str
    birth_date: dt.date
    national_number: str
    national_number_type: str
    language: str
    phone_e164: str
    email: str
    confidential: bool

    @property
    def search_name(self) -> str:
        """As `parties.services` computes it: folded "surname given names"."""
        return fold(f"{self.surname} {self.given_names}")


class _Weighted:
    """Draw from a list with Zipf-like weights, fast (bisect over cumulative weights)."""

    def __init__(self, items: Sequence[str]) -> None:
        self.items = list(items)
        weights = [1 / (rank + OFFSET) ** EXPONENT for rank in range(len(items))]
        self.cumulative = list(accumulate(weights))

    def draw(self, rng: random.Random) -> str:
        return rng.choices(self.items, cum_weights=self.cumulative)[0]


class Population:
    """An endless, reproducible stream of distinct synthetic persons."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.communities = list(names.COMMUNITIES)
        self.community_weights = list(names.COMMUNITIES.values())
        self.surnames = {
            key: _Weighted(items) for key, items in names.SURNAME_LISTS.items()
        }
        self.given = {
            key: _Weighted(items) for key, items in names.GIVEN_NAME_LISTS.items()
        }
        self.numbers: set[str] = set()
        self.phones: set[str] = set()
        self.birth_days = (LAST_BIRTH - FIRST_BIRTH).days

    def _surname(self, community: str) -> str:
        rng = self.rng
        first = self.surnames[community].draw(rng)
        if rng.random() >= DOUBLE_SURNAME:
            return first
        other = self.surnames[
            rng.choices(self.communities, self.community_weights)[0]
        ].draw(rng)
        if other == first:
            return first
        separator = " " if community == "int" and rng.random() < 0.5 else "-"
        return f"{first}{separator}{other}"

    def _given_names(self, community: str, sex: str) -> str:
        rng = self.rng
        count = rng.choices(
            [count for count, _ in GIVEN_NAME_COUNTS],
            [share for _, share in GIVEN_NAME_COUNTS],
        )[0]
        chosen: list[str] = []
        while len(chosen) < count:
            name = self.given[(community, sex)].draw(rng)
            if name not in chosen:
                chosen.append(name)
        return " ".join(chosen)

    def _number(self, birth_date: dt.date, sex: str) -> tuple[str, str]:
        rng = self.rng
        bis = rng.random() < BIS
        while True:
            # Odd day counters are men, even ones women (belgium.md §2.1).
            counter = rng.randrange(1, 499) * 2 - (1 if sex == "M" else 0)
            number = national_number(birth_date, counter, bis=bis)
            if number not in self.numbers:
                self.numbers.add(number)
                return number, "bis" if bis else "nn"

    def _phone(self) -> str:
        rng = self.rng
        while True:
            # Belgian mobiles: 047x, 048x, 049x.
            phone = f"+324{rng.randrange(7, 10)}{rng.randrange(10**7):07d}"
            if phone not in self.phones:
                self.phones.add(phone)
                return phone

    def person(self, index: int) -> SyntheticPerson:
        rng = self.rng
        community = rng.choices(self.communities, self.community_weights)[0]
        sex = rng.choice("MF")
        given_names = self._given_names(community, sex)
        surname = self._surname(community)
        birth_date = FIRST_BIRTH + dt.timedelta(days=rng.randrange(self.birth_days))
        number, number_type = self._number(birth_date, sex)
        language = (
            community if community != "int" else rng.choice(["fr", "fr", "nl", "en"])
        )
        email = ""
        if rng.random() < EMAIL:
            local = fold(f"{given_names.split()[0]} {surname}").replace(" ", ".")
            email = f"{local}.{index}@example.be"
        return SyntheticPerson(
            given_names=given_names,
            surname=surname,
            sex=sex,
            birth_date=birth_date,
            national_number=number,
            national_number_type=number_type,
            language=language,
            phone_e164=self._phone(),
            email=email,
            confidential=index % CONFIDENTIAL_EVERY == CONFIDENTIAL_EVERY - 1,
        )

    def stream(self, count: int) -> Iterator[SyntheticPerson]:
        for index in range(count):
            yield self.person(index)


def with_one_typo(text: str, rng: random.Random) -> str:
    """`text` with one letter substituted, deleted or inserted, anywhere but a space.

    The position is uniform over the letters, so the first letter is hit only as
    often as any other (a typo there is the hardest case for trigrams).
    """
    positions = [index for index, char in enumerate(text) if char != " "]
    position = rng.choice(positions)
    operation = rng.choice(["substitute", "delete", "insert"])
    if operation == "delete" and len(positions) > 1:
        return text[:position] + text[position + 1 :]
    letters = string.ascii_lowercase
    if operation == "insert":
        return text[:position] + rng.choice(letters) + text[position:]
    replacement = rng.choice([letter for letter in letters if letter != text[position]])
    return text[:position] + replacement + text[position + 1 :]


def typed_name(given_names: str, surname: str, rng: random.Random) -> str:
    """What an agent types: "given names surname", lower case, no accents, one typo."""
    return with_one_typo(fold(f"{given_names} {surname}"), rng)


def national_format(e164: str) -> str:
    """A Belgian mobile as said on the phone: +32470123456 -> "0470 12 34 56"."""
    national = "0" + e164.removeprefix("+32")
    return f"{national[:4]} {national[4:6]} {national[6:8]} {national[8:]}"
