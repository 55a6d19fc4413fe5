"""BICs: form, length and country code."""

from __future__ import annotations

import pytest

from guichet.checks.bic import check_bic


def test_reads_a_head_office_bic() -> None:
    result = check_bic("GEBA BE BB")
    assert result.valid
    assert result.normalized == "GEBABEBB"
    assert result.fields == {
        "institution": "GEBA",
        "country": "BE",
        "location": "BB",
        "branch": None,
        "head_office": True,
    }


@pytest.mark.parametrize(
    ("value", "branch", "head_office"),
    [
        ("BBRUBEBB010", "010", False),
        ("gkccbebbxxx", "XXX", True),
        ("DEUT-DE-FF-500", "500", False),
    ],
)
def test_reads_branches(value: str, branch: str, head_office: bool) -> None:
    result = check_bic(value)
    assert result.valid
    assert (result.fields["branch"], result.fields["head_office"]) == (
        branch,
        head_office,
    )


@pytest.mark.parametrize(
    ("_case", "value", "code"),
    [
        ("too short", "GEBABEB", "length"),
        ("nine characters", "GEBABEBB0", "length"),
        ("digit in the bank code", "GEB1BEBB", "format"),
        ("digit in the country", "GEBAB1BB", "format"),
        ("unknown country", "GEBAXXBB", "country"),
        ("punctuation", "GEBA.BEBB", "format"),
        ("empty", " ", "format"),
    ],
)
def test_refuses_with_a_coded_error(_case: str, value: str, code: str) -> None:
    result = check_bic(value)
    assert not result.valid
    assert [error.code for error in result.errors] == [code]
    assert result.errors[0].text
