import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from guichet.core.text import digits, fold


@pytest.mark.parametrize(
    ("_case", "raw", "folded"),
    [
        ("accents", "Hélène Lefèvre", "helene lefevre"),
        ("cedilla and diaeresis", "François Noël", "francois noel"),
        ("apostrophe and dash", "D'Hondt-Van Damme", "d hondt van damme"),
        ("german sharp s", "Schröder Straße", "schroder strasse"),
        ("turkish dotless i", "Yılmaz", "yilmaz"),  # noqa: RUF001
        ("spaces squeezed", "  Jean   Dupont ", "jean dupont"),
    ],
)
def test_fold_removes_case_accents_and_punctuation(
    _case: str, raw: str, folded: str
) -> None:
    assert fold(raw) == folded


@pytest.mark.parametrize(
    ("_case", "raw", "folded"),
    [
        ("ukrainian", "Олена Шевченко", "olena shevchenko"),
        ("russian", "Щукин Юрий", "shchukin iurii"),
        ("greek", "Γιώργος Παπαδόπουλος", "giorgos papadopoulos"),
        ("arabic", "محمد علي", "mhmd ly"),
        ("mixed scripts", "Olena Шевченко-Łukasz", "olena shevchenko lukasz"),
    ],
)
def test_fold_transliterates_other_scripts(_case: str, raw: str, folded: str) -> None:
    """A name written only in Cyrillic, Greek or Arabic (registered at a consular
    post) keeps a search key, and a search typed in either script finds it."""
    assert fold(raw) == folded


def test_fold_of_a_cyrillic_name_matches_its_latin_spelling() -> None:
    assert fold("Шевченко") == fold("SHEVCHENKO")


@given(st.text())
def test_fold_keeps_only_latin_letters_digits_and_single_spaces(raw: str) -> None:
    folded = fold(raw)
    assert re.fullmatch(r"(?:[a-z0-9]+(?: [a-z0-9]+)*)?", folded)
    assert fold(folded) == folded


def test_digits_keeps_only_digits() -> None:
    assert digits("85.07.30-033.28") == "85073003328"
