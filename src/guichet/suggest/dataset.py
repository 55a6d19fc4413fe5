"""Classified messages read from a file, to train or evaluate a model.

Two formats, told apart by the file's first character that is not a space:

- JSON Lines (`{` first): one object a line with a string `text`, a `label`
  (a string or a whole number) and optionally `lang`; blank lines are skipped.
- CSV (anything else): a header naming a `text` column and a `label` or
  `category` column (Banking77's), and optionally `lang`; UTF-8, a byte-order mark
  allowed.

An empty file, a file without one example, a line that is not JSON, a missing
column or field, an empty text or label: `SuggestInputInvalid`, naming the file
and the line. Nothing is guessed.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.translation import gettext_lazy as _

from .errors import Code, SuggestInputInvalid

LABEL_COLUMNS = ("label", "category")


@dataclass(frozen=True)
class Example:
    text: str
    label: str
    lang: str = ""


def examples_read(path: str | Path) -> list[Example]:
    """Every example of the file, in order (see the module docstring)."""
    name = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as error:
        raise SuggestInputInvalid(
            Code.UNREADABLE,
            _("The file cannot be read: %(reason)s."),
            file=name,
            params={"reason": error.strerror or str(error)},
        ) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise SuggestInputInvalid(
            Code.NOT_UTF8,
            _("The file is not UTF-8 text (byte %(position)s)."),
            file=name,
            params={"position": error.start},
        ) from None
    stripped = text.lstrip()
    if not stripped:
        raise _empty(name)
    examples = (
        examples_from_json_lines(text, name)
        if stripped.startswith("{")
        else examples_from_csv(text, name)
    )
    if not examples:
        raise _empty(name)
    return examples


def examples_from_json_lines(text: str, name: str = "") -> list[Example]:
    examples = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except ValueError:
            raise SuggestInputInvalid(
                Code.BAD_JSON,
                _("This line is not valid JSON."),
                file=name,
                line=number,
            ) from None
        if not isinstance(item, dict):
            raise SuggestInputInvalid(
                Code.NOT_AN_OBJECT,
                _("Each line must be a JSON object with text and label."),
                file=name,
                line=number,
            )
        examples.append(_example(item, name, number))
    return examples


def examples_from_csv(text: str, name: str = "") -> list[Example]:
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [column.strip() for column in reader.fieldnames or []]
    except csv.Error:
        raise _bad_csv(name, 1) from None
    reader.fieldnames = header
    label_column = next((c for c in LABEL_COLUMNS if c in header), None)
    if "text" not in header or label_column is None:
        raise SuggestInputInvalid(
            Code.MISSING_COLUMN,
            _(
                "The CSV header must name a text column and a label or category "
                "column; it has: %(columns)s."
            ),
            file=name,
            line=1,
            params={"columns": ", ".join(header) or "-"},
        )
    examples = []
    try:
        for row in reader:
            if None in row:  # more cells than the header has columns
                raise _bad_csv(name, reader.line_num)
            if not any((value or "").strip() for value in row.values()):
                continue
            item = {
                "text": row["text"],
                "label": row[label_column],
                "lang": row.get("lang") or "",
            }
            examples.append(_example(item, name, reader.line_num))
    except csv.Error:
        raise _bad_csv(name, reader.line_num) from None
    return examples


def _example(item: dict[str, Any], name: str, number: int) -> Example:
    for key in ("text", "label"):
        if key not in item or item[key] is None:
            raise SuggestInputInvalid(
                Code.MISSING_FIELD,
                _("This example has no %(field)s."),
                file=name,
                line=number,
                params={"field": key},
            )
    text, label, lang = item["text"], item["label"], item.get("lang") or ""
    if isinstance(label, int) and not isinstance(label, bool):
        label = str(label)
    if (
        not isinstance(text, str)
        or not isinstance(label, str)
        or not isinstance(lang, str)
    ):
        raise SuggestInputInvalid(
            Code.WRONG_TYPE,
            _("The text, label and lang of an example must be strings."),
            file=name,
            line=number,
        )
    if not text.strip() or not label.strip():
        raise SuggestInputInvalid(
            Code.MISSING_FIELD,
            _("This example has an empty text or label."),
            file=name,
            line=number,
        )
    return Example(text=text, label=label.strip(), lang=lang.strip().lower())


def _empty(name: str) -> SuggestInputInvalid:
    return SuggestInputInvalid(Code.EMPTY, _("The file holds no example."), file=name)


def _bad_csv(name: str, line: int) -> SuggestInputInvalid:
    return SuggestInputInvalid(
        Code.BAD_CSV,
        _("This CSV line cannot be read (quotes or columns do not match the header)."),
        file=name,
        line=line,
    )
