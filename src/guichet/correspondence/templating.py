"""The restricted placeholder syntax of letter templates (pure: no ORM, no I/O).

Templates are written by administrators and agents, so they must never run code or
reach arbitrary attributes. The syntax is parsed here, by hand, and has only:

- placeholders `{{ source.name }}`, a dotted lower-case name that a placeholder source
  provides (`person.surname`, `free.deadline`), with at most one filter from
  `FILTERS` (`{{ person.surname|upper }}`);
- form fields `[[ name ]]`, `[[ name:area ]]`, `[[ name:check ]]`, in fillable forms only.

Anything else that looks like markup (`{%`, `{#`, a lone `{{`) is a syntax error with
its line number. Values are plain text; the HTML and DOCX writers escape them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

NAME = r"[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)+"
_PLACEHOLDER = re.compile(
    r"\{\{\s*(?P<name>" + NAME + r")\s*(?:\|\s*(?P<filter>[a-z_]+)\s*)?\}\}"
)
_FIELD = re.compile(
    r"\[\[\s*(?P<name>[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)*)\s*"
    r"(?::\s*(?P<kind>text|area|check|date)\s*)?\]\]"
)
_MARKUP = re.compile(r"\{\{|\}\}|\{%|%\}|\{#|#\}|\[\[|\]\]")

FILTERS: dict[str, Callable[[str], str]] = {
    "upper": str.upper,
    "lower": str.lower,
    "capfirst": lambda text: text[:1].upper() + text[1:],
}

FieldKind = Literal["text", "area", "check", "date"]


@dataclass(frozen=True)
class Placeholder:
    name: str
    filter: str | None
    line: int

    @property
    def prefix(self) -> str:
        return self.name.split(".", 1)[0]


@dataclass(frozen=True)
class FormField:
    name: str
    kind: FieldKind
    line: int


Part = str | Placeholder | FormField


@dataclass(frozen=True)
class SyntaxProblem:
    """One mistake in a template: where, and what (a code and its parameters)."""

    line: int
    code: str
    text: str


@dataclass(frozen=True)
class Parsed:
    parts: tuple[Part, ...]
    problems: tuple[SyntaxProblem, ...]

    @property
    def placeholders(self) -> list[Placeholder]:
        return [part for part in self.parts if isinstance(part, Placeholder)]

    @property
    def fields(self) -> list[FormField]:
        return [part for part in self.parts if isinstance(part, FormField)]

    @property
    def names(self) -> list[str]:
        """Placeholder names in order of first appearance, without repeats."""
        return list(dict.fromkeys(part.name for part in self.placeholders))


def parse(text: str, *, allow_fields: bool = False) -> Parsed:
    """Split a template into text, placeholders and form fields, noting every mistake."""
    parts: list[Part] = []
    problems: list[SyntaxProblem] = []
    position = 0
    tokens = sorted(
        [*_PLACEHOLDER.finditer(text), *_FIELD.finditer(text)],
        key=lambda match: match.start(),
    )
    for match in tokens:
        if match.start() < position:
            continue
        _text(parts, problems, text, position, match.start())
        line = text.count("\n", 0, match.start()) + 1
        if match.re is _PLACEHOLDER:
            filter_name = match.group("filter")
            if filter_name is not None and filter_name not in FILTERS:
                problems.append(SyntaxProblem(line, "unknown_filter", filter_name))
            parts.append(Placeholder(match.group("name"), filter_name, line))
        elif allow_fields:
            kind: FieldKind = match.group("kind") or "text"  # type: ignore[assignment]  # the regex allows only these
            parts.append(FormField(match.group("name"), kind, line))
        else:
            problems.append(SyntaxProblem(line, "field_outside_form", match.group(0)))
        position = match.end()
    _text(parts, problems, text, position, len(text))
    return Parsed(parts=tuple(parts), problems=tuple(problems))


def _text(
    parts: list[Part],
    problems: list[SyntaxProblem],
    text: str,
    start: int,
    end: int,
) -> None:
    chunk = text[start:end]
    if not chunk:
        return
    for stray in _MARKUP.finditer(chunk):
        line = text.count("\n", 0, start + stray.start()) + 1
        problems.append(SyntaxProblem(line, "bad_markup", stray.group(0)))
    parts.append(chunk)


def missing_names(parsed: Parsed, values: Mapping[str, str | None]) -> list[str]:
    """The placeholders that have no value (absent, None or blank), in order."""
    return [name for name in parsed.names if not (values.get(name) or "").strip()]


class MissingValues(Exception):
    """Some placeholders have no value: the letter would have a hole."""

    def __init__(self, names: Iterable[str]) -> None:
        self.names = list(dict.fromkeys(names))
        super().__init__(", ".join(self.names))


def render(parsed: Parsed, values: Mapping[str, str | None]) -> str:
    """Fill in every placeholder; refuse (`MissingValues`) rather than leave a hole.

    Form fields are left out: forms are laid out by `form_segments`.
    """
    missing = missing_names(parsed, values)
    if missing:
        raise MissingValues(missing)
    out: list[str] = []
    for part in parsed.parts:
        if isinstance(part, str):
            out.append(part)
        elif isinstance(part, Placeholder):
            value = str(values[part.name])
            out.append(FILTERS[part.filter](value) if part.filter else value)
    return "".join(out)


def prefill(parsed: Parsed, values: Mapping[str, str | None]) -> str:
    """Fill in the placeholders that have a value and keep the others as they are
    written (`{{ free.deadline }}`), for a text the agent completes before sending.

    Form fields are left out, as in `render`."""
    out: list[str] = []
    for part in parsed.parts:
        if isinstance(part, str):
            out.append(part)
        elif isinstance(part, Placeholder):
            value = values.get(part.name)
            if value is not None and value.strip():
                out.append(FILTERS[part.filter](value) if part.filter else value)
            else:
                written = f"|{part.filter}" if part.filter else ""
                out.append(f"{{{{ {part.name}{written} }}}}")
    return "".join(out)


def paragraphs(text: str) -> list[str]:
    """Paragraphs separated by blank lines; lines inside one keep their breaks."""
    normalised = text.replace("\r\n", "\n").replace("\r", "\n")
    blocks = re.split(r"\n[ \t]*\n", normalised)
    cleaned = [
        "\n".join(line.rstrip() for line in block.strip("\n").split("\n"))
        for block in blocks
    ]
    return [block for block in cleaned if block.strip()]


def normalised(text: str) -> str:
    """Text compared for 'changed or not': the same words in the same paragraphs."""
    return "\n\n".join(" ".join(block.split()) for block in paragraphs(text))


@dataclass(frozen=True)
class Segment:
    """A piece of a form line: text, or a field with its prefilled value."""

    text: str = ""
    field: str = ""
    kind: FieldKind = "text"
    value: str = ""


def form_segments(
    parsed: Parsed, values: Mapping[str, str | None]
) -> list[list[list[Segment]]]:
    """A form as paragraphs of lines of segments; fields named like a placeholder are
    prefilled with its value when there is one, and left empty otherwise."""
    flat: list[Segment] = []
    for part in parsed.parts:
        if isinstance(part, str):
            flat.append(Segment(text=part))
        elif isinstance(part, Placeholder):
            value = values.get(part.name) or ""
            flat.append(
                Segment(text=FILTERS[part.filter](value) if part.filter else value)
            )
        else:
            flat.append(
                Segment(
                    field=part.name, kind=part.kind, value=values.get(part.name) or ""
                )
            )
    result: list[list[list[Segment]]] = [[[]]]
    for segment in flat:
        if segment.field:
            result[-1][-1].append(segment)
            continue
        pieces = re.split(r"(\n[ \t]*\n|\n)", segment.text)
        for piece in pieces:
            if not piece:
                continue
            if piece.strip(" \t") == "\n":
                result[-1].append([])
            elif piece.startswith("\n"):
                result.append([[]])
            else:
                result[-1][-1].append(Segment(text=piece))
    return [
        [line for line in paragraph if any(s.field or s.text.strip() for s in line)]
        for paragraph in result
        if any(s.field or s.text.strip() for line in paragraph for s in line)
    ]
