import pytest
from hypothesis import given
from hypothesis import strategies as st

from guichet.checks.bce import check_bce


@pytest.mark.parametrize(
    "value",
    ["0403170701", "BE0403170701", "BE 403.170.701", "(0)403170701", "403170701"],
)
def test_accepts_the_usual_forms(value: str) -> None:
    result = check_bce(value)
    assert result.valid
    assert result.normalized == "0403170701"
    assert result.fields["formatted"] == "0403.170.701"


@pytest.mark.parametrize(
    ("_case", "value", "code"),
    [
        ("check digits", "0403170702", "checksum"),
        ("length", "04031707", "length"),
        ("first digit", "2403170701", "first_digit"),
        ("letters", "04031707AB", "format"),
    ],
)
def test_refuses_with_a_coded_error(_case: str, value: str, code: str) -> None:
    result = check_bce(value)
    assert not result.valid
    assert result.errors[0].code == code


@given(
    body=st.from_regex(r"\A[01][0-9]{7}\Z"),
    position=st.integers(min_value=0, max_value=9),
    delta=st.integers(min_value=1, max_value=9),
)
def test_any_one_digit_changed_is_refused(body: str, position: int, delta: int) -> None:
    number = f"{body}{97 - int(body) % 97:02d}"
    assert check_bce(number).valid
    changed = (
        number[:position]
        + str((int(number[position]) + delta) % 10)
        + number[position + 1 :]
    )
    result = check_bce(changed)
    assert not result.valid
    assert result.errors[0].code in {"checksum", "first_digit"}
