"""Reading classified messages: JSON Lines and CSV, and every way a file is refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from guichet.suggest.dataset import Example, examples_read
from guichet.suggest.errors import Code, SuggestInputInvalid


def _file(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def _refused(path: Path) -> SuggestInputInvalid:
    with pytest.raises(SuggestInputInvalid) as caught:
        examples_read(path)
    return caught.value


def test_reads_json_lines_with_an_optional_language(tmp_path: Path) -> None:
    path = _file(
        tmp_path,
        "a.jsonl",
        '{"text": "Où est ma carte ?", "label": "card", "lang": "FR"}\n'
        "\n"
        '{"text": "Refund please", "label": 7}\n',
    )

    assert examples_read(path) == [
        Example("Où est ma carte ?", "card", "fr"),
        Example("Refund please", "7", ""),
    ]


@pytest.mark.parametrize("column", ["label", "category"])
def test_reads_csv_with_a_label_or_category_column(tmp_path: Path, column: str) -> None:
    path = _file(
        tmp_path,
        "a.csv",
        f'\ufeff{column},text\ncard,"Where is my card, please?"\nrefund,Money back\n',
    )

    assert examples_read(path) == [
        Example("Where is my card, please?", "card"),
        Example("Money back", "refund"),
    ]


@pytest.mark.parametrize(
    ("content", "code", "line"),
    [
        ("", Code.EMPTY, None),
        ("  \n\n", Code.EMPTY, None),
        ("text,label\n", Code.EMPTY, None),
        ('{"text": "a", "label": "b"}\nnot json\n', Code.BAD_JSON, 2),
        ('{"text": "a", "label": "b"}\n[1, 2]\n', Code.NOT_AN_OBJECT, 2),
        ('{"text": "a"}\n', Code.MISSING_FIELD, 1),
        ('{"text": "a", "label": ""}\n', Code.MISSING_FIELD, 1),
        ('{"text": ["a"], "label": "b"}\n', Code.WRONG_TYPE, 1),
        ('{"text": "a", "label": true}\n', Code.WRONG_TYPE, 1),
        ("message,label\nhello,x\n", Code.MISSING_COLUMN, 1),
        ("text,topic\nhello,x\n", Code.MISSING_COLUMN, 1),
        ("text,label\nhello,x,extra\n", Code.BAD_CSV, 2),
        ("text,label\nhello,x\n,y\n", Code.MISSING_FIELD, 3),
    ],
)
def test_refuses_an_empty_or_malformed_file_naming_the_line(
    tmp_path: Path, content: str, code: Code, line: int | None
) -> None:
    name = "a.jsonl" if content.lstrip().startswith("{") else "a.csv"
    path = _file(tmp_path, name, content)

    error = _refused(path)

    assert (error.code, error.line, error.file) == (code, line, str(path))
    assert error.text


def test_refuses_bytes_that_are_not_utf8(tmp_path: Path) -> None:
    path = _file(tmp_path, "a.csv", "text,label\ncafé,x\n".encode("latin-1"))

    assert _refused(path).code == Code.NOT_UTF8


def test_refuses_a_missing_file(tmp_path: Path) -> None:
    assert _refused(tmp_path / "nowhere.csv").code == Code.UNREADABLE
