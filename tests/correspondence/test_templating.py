"""The restricted placeholder syntax: what it accepts, what it refuses, and that a
filled-in letter never keeps a hole."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from guichet.correspondence import templating


def test_parses_placeholders_with_their_line_and_filter() -> None:
    parsed = templating.parse(
        "Dear {{ person.surname|upper }},\n\nSee {{letter.number}}."
    )
    assert parsed.problems == ()
    assert [(p.name, p.filter, p.line) for p in parsed.placeholders] == [
        ("person.surname", "upper", 1),
        ("letter.number", None, 3),
    ]
    assert parsed.names == ["person.surname", "letter.number"]


@pytest.mark.parametrize(
    ("_case", "text", "code", "line"),
    [
        ("template tag", "Hello\n{% if x %}", "bad_markup", 2),
        ("comment", "{# note #}", "bad_markup", 1),
        ("attribute walk", "{{ person.__class__ }}", "bad_markup", 1),
        ("lone braces", "a {{ b", "bad_markup", 1),
        ("call", "{{ person.delete() }}", "bad_markup", 1),
        ("unknown filter", "{{ person.surname|safe }}", "unknown_filter", 1),
        ("no dot", "{{ surname }}", "bad_markup", 1),
        ("field in a letter", "\n\n[[ surname ]]", "field_outside_form", 3),
    ],
)
def test_refuses_anything_but_dotted_names(
    _case: str, text: str, code: str, line: int
) -> None:
    parsed = templating.parse(text)
    assert (parsed.problems[0].code, parsed.problems[0].line) == (code, line)


def test_render_fills_in_and_applies_filters() -> None:
    parsed = templating.parse("{{ a.b|upper }} / {{ a.c|capfirst }} / {{ a.b }}")
    assert (
        templating.render(parsed, {"a.b": "Lefèvre", "a.c": "été"})
        == "LEFÈVRE / Été / Lefèvre"
    )


def test_render_refuses_with_every_missing_name_in_order() -> None:
    parsed = templating.parse("{{ a.x }} {{ a.y }} {{ a.z }} {{ a.x }}")
    with pytest.raises(templating.MissingValues) as caught:
        templating.render(parsed, {"a.y": "ok", "a.z": "   "})
    assert caught.value.names == ["a.x", "a.z"]


def test_values_are_text_never_parsed_again() -> None:
    parsed = templating.parse("Hello {{ a.b }}")
    assert templating.render(parsed, {"a.b": "{{ a.c }}"}) == "Hello {{ a.c }}"


def test_paragraphs_split_on_blank_lines_and_keep_line_breaks() -> None:
    text = "Madame,\r\n\r\nLine one\nline two  \n \n\n\nEnd"
    assert templating.paragraphs(text) == ["Madame,", "Line one\nline two", "End"]
    assert templating.normalised("a  b\n\n\nc") == templating.normalised("a b\n\nc ")
    assert templating.normalised("a b") != templating.normalised("a\n\nb")


def test_form_segments_prefill_known_fields_and_leave_others_blank() -> None:
    parsed = templating.parse(
        "Name: [[ person.surname ]]\nUrgent: [[ urgent:check ]]\n\n[[ remarks:area ]]",
        allow_fields=True,
    )
    paragraphs = templating.form_segments(parsed, {"person.surname": "Peeters"})
    first, second = paragraphs
    assert [(s.text, s.field, s.value) for s in first[0]] == [
        ("Name: ", "", ""),
        ("", "person.surname", "Peeters"),
    ]
    assert first[1][1].kind == "check"
    assert first[1][1].value == ""
    assert second[0][0].kind == "area"


NAMES = st.from_regex(r"[a-z]{1,6}\.[a-z]{1,6}", fullmatch=True)
TEXT = st.text(alphabet=st.characters(blacklist_characters="{}[]%#"), max_size=20)


@given(
    pieces=st.lists(st.tuples(TEXT, NAMES), max_size=6),
    values=st.dictionaries(NAMES, st.one_of(st.none(), TEXT), max_size=6),
)
def test_rendering_either_fills_every_placeholder_or_names_the_holes(
    pieces: list[tuple[str, str]], values: dict[str, str | None]
) -> None:
    text = "".join(f"{chunk}{{{{ {name} }}}}" for chunk, name in pieces)
    parsed = templating.parse(text)
    assert parsed.problems == ()
    expected_missing = [
        name
        for name in dict.fromkeys(name for _chunk, name in pieces)
        if not (values.get(name) or "").strip()
    ]
    if expected_missing:
        with pytest.raises(templating.MissingValues) as caught:
            templating.render(parsed, values)
        assert caught.value.names == expected_missing
    else:
        rendered = templating.render(parsed, values)
        assert rendered == "".join(f"{chunk}{values[name]}" for chunk, name in pieces)
