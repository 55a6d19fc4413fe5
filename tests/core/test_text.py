import pytest

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


def test_digits_keeps_only_digits() -> None:
    assert digits("85.07.30-033.28") == "85073003328"
