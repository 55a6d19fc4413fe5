"""Reading case-type files: each kind of problem, at its line; nothing else."""

from __future__ import annotations

import itertools

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from guichet.casetypes import loader
from guichet.casetypes.definition import definition_from_json, definition_to_json
from guichet.casetypes.errors import CaseTypeInvalid

from .conftest import MINIMAL, line_of


def _problems(text: str | bytes) -> list[tuple[str, int]]:
    parsed = loader.parse(text, filename="sample.yaml")
    assert parsed.definition is None
    return [(problem.code, problem.line) for problem in parsed.problems]


def test_reads_the_minimal_case_type() -> None:
    definition = loader.load(MINIMAL, filename="sample.yaml")

    assert definition.code == "sample"
    assert [status.code for status in definition.statuses] == [
        "received",
        "checking",
        "closed",
    ]
    assert definition.initial_status.code == "received"
    assert definition.transition("close").sources == ("checking",)
    assert definition.transition("start").letters == ("acknowledgement",)


@pytest.mark.parametrize(
    ("_case", "old", "new", "code", "needle"),
    [
        (
            "yaml syntax",
            "team: legalisations",
            "team: [legalisations",
            "yaml_syntax",
            "valid_from",
        ),
        (
            "a key twice",
            "team: legalisations",
            "team: legalisations\nteam: visas",
            "duplicate_key",
            "team: visas",
        ),
        ("a required field", "team: legalisations\n", "", "required", "code: sample"),
        (
            "an unknown field",
            "team: legalisations",
            "team: legalisations\ncolour: blue",
            "unexpected",
            "colour",
        ),
        (
            "a wrong type",
            "  requires_text: true",
            "  requires_text: maybe",
            "wrong_type",
            "requires_text",
        ),
        (
            "a language missing",
            "names: {fr: Exemple, nl: Voorbeeld, de: Beispiel, en: Sample}",
            "names: {fr: Exemple, nl: Voorbeeld, de: Beispiel}",
            "required",
            "names: {fr: Exemple",
        ),
        (
            "a bad code",
            "code: sample",
            "code: Sample Code",
            "invalid_value",
            "code: Sample Code",
        ),
        (
            "an impossible date",
            "valid_from: 2026-01-01",
            "valid_from: 2026-02-30",
            "invalid_date",
            "valid_from",
        ),
        (
            "an unknown status",
            "  to: closed",
            "  to: finished",
            "unknown_status",
            "to: finished",
        ),
        (
            "an unknown source status",
            "  from: [checking]",
            "  from: [checking, limbo]",
            "unknown_status",
            "from: [checking, limbo]",
        ),
        (
            "an unknown guard",
            "  guards: [documents_complete]",
            "  guards: [stars_aligned]",
            "unknown_guard",
            "stars_aligned",
        ),
        (
            "an unknown effect",
            "  effects: [start_deadline]",
            "  effects: [fire_everyone]",
            "unknown_effect",
            "fire_everyone",
        ),
        (
            "an unknown letter",
            "  letters: [acknowledgement]",
            "  letters: [love_letter]",
            "unknown_letter",
            "love_letter",
        ),
        (
            "an unknown role",
            "  roles: [front_office]",
            "  roles: [janitor]",
            "unknown_role",
            "janitor",
        ),
        (
            "an unknown level",
            "  min_level: C",
            "  min_level: Z",
            "unknown_level",
            "min_level: Z",
        ),
        (
            "a duplicate status",
            "- code: checking",
            "- code: received",
            "duplicate_code",
            "- code: received\n  names: {fr: Contrôle",
        ),
        (
            "no final status",
            "  final: true",
            "  final: false",
            "no_final_status",
            "statuses:",
        ),
        (
            "no initial status",
            "  initial: true",
            "  initial: false",
            "no_initial_status",
            "statuses:",
        ),
    ],
)
def test_refuses_with_the_code_and_line(
    _case: str, old: str, new: str, code: str, needle: str
) -> None:
    assert old in MINIMAL
    text = MINIMAL.replace(old, new, 1)
    first = needle.split("\n")[0]
    expected_line = line_of(text, first)
    if code == "duplicate_code":
        expected_line = text.splitlines().index("- code: received", 6) + 1

    assert (code, expected_line) in _problems(text)


def test_refuses_an_unreachable_status_at_its_line() -> None:
    text = MINIMAL.replace("  to: checking", "  to: closed")
    assert _problems(text) == [
        ("unreachable_status", line_of(text, "- code: checking"))
    ]


def test_refuses_a_dead_end_that_is_not_final() -> None:
    # received -> checking and received -> closed: nothing leaves checking.
    text = MINIMAL.replace("  from: [checking]", "  from: [received]")
    assert _problems(text) == [("dead_end", line_of(text, "- code: checking"))]


def test_refuses_a_recursive_alias() -> None:
    text = MINIMAL + "fees: &loop [*loop]\n"
    assert ("yaml_syntax", line_of(text, "fees:")) in _problems(text)


def test_refuses_a_tagged_mapping() -> None:
    text = MINIMAL.replace(
        "names: {fr: Exemple", "names: !!python/object:os.system {fr: Exemple"
    )
    assert _problems(text) == [("yaml_syntax", 2)]


def test_refuses_a_transition_out_of_a_final_status() -> None:
    text = MINIMAL.replace("  from: [checking]", "  from: [checking, closed]")
    assert ("final_has_exit", line_of(text, "from: [checking, closed]")) in _problems(
        text
    )


def test_refuses_business_time_in_months() -> None:
    text = MINIMAL + (
        "deadlines:\n  processing: {amount: 2, unit: months, counting: business}\n"
    )
    assert _problems(text) == [("units_not_countable", line_of(text, "processing:"))]


def test_refuses_an_unknown_check_kind() -> None:
    text = MINIMAL + (
        "documents:\n"
        "- code: passport\n"
        "  document_type: passport\n"
        "  names: {fr: Passeport, nl: Paspoort, de: Reisepass, en: Passport}\n"
        "  checks: [mrz, horoscope]\n"
    )
    assert _problems(text) == [("unknown_check", line_of(text, "horoscope"))]


def test_refuses_a_float_amount() -> None:
    # Money is written as text ("20.00"): YAML would read 20.10 as a float.
    text = MINIMAL + (
        "fees:\n"
        "- code: fee\n"
        "  names: {fr: Droit, nl: Recht, de: Gebühr, en: Fee}\n"
        "  amount: 20.10\n"
    )
    assert _problems(text) == [("invalid_value", line_of(text, "amount:"))]


def test_refuses_text_that_is_not_utf8() -> None:
    assert _problems("code: é".encode("latin-1")) == [("not_text", 1)]


def test_refuses_an_empty_file() -> None:
    assert ("wrong_type", 1) in _problems("")


def test_reports_every_problem_of_a_file_sorted_by_line() -> None:
    text = MINIMAL.replace("  roles: [front_office]", "  roles: [janitor]").replace(
        "  guards: [documents_complete]", "  guards: [stars_aligned]"
    )
    problems = _problems(text)

    assert problems == [
        ("unknown_role", line_of(text, "janitor")),
        ("unknown_guard", line_of(text, "stars_aligned")),
    ]


def test_messages_are_translated_and_name_the_file() -> None:
    from django.utils import translation

    text = MINIMAL.replace("  to: closed", "  to: finished")
    with pytest.raises(CaseTypeInvalid) as refused:
        loader.load(text, filename="sample.yaml")
    unknown = next(p for p in refused.value.problems if p.code == "unknown_status")
    with translation.override("fr"):
        message = unknown.text
        whole = refused.value.text

    assert "finished" in message
    assert message != "There is no status finished in this case type."
    assert whole.startswith("sample.yaml, ")
    assert refused.value.problems[0].as_dict()["file"] == "sample.yaml"


def test_tags_that_build_python_objects_are_refused() -> None:
    text = MINIMAL.replace("team: legalisations", "team: !!python/object:os.system ls")
    assert _problems(text)[0][0] == "yaml_syntax"


# ------------------------------------------------------------------ round trip

CODES = st.from_regex(r"[a-z][a-z0-9_]{0,10}", fullmatch=True)
WORDS = st.text(
    alphabet=st.characters(codec="utf-8", categories=("L", "N", "Zs")),
    min_size=1,
    max_size=20,
).filter(lambda text: text.strip() == text and text != "")


@st.composite
def chains(draw: st.DrawFn) -> dict[str, object]:
    """A valid case type: a chain of statuses, with random codes and texts."""
    codes = draw(st.lists(CODES, min_size=2, max_size=6, unique=True))
    texts = {language: draw(WORDS) for language in ("fr", "nl", "de", "en")}
    statuses = [
        {
            "code": code,
            "names": texts,
            "citizen_text": texts,
            **({"initial": True} if index == 0 else {}),
            **({"final": True} if index == len(codes) - 1 else {}),
        }
        for index, code in enumerate(codes)
    ]
    transitions = [
        {
            "code": f"t{index}",
            "from": source,
            "to": target,
            "names": texts,
            "roles": draw(
                st.lists(
                    st.sampled_from(["front_office", "dossier_handler", "supervisor"]),
                    min_size=1,
                    max_size=3,
                    unique=True,
                )
            ),
            "min_level": draw(st.sampled_from(["D", "C", "B", "A1", "A2"])),
            "requires_text": draw(st.booleans()),
        }
        for index, (source, target) in enumerate(itertools.pairwise(codes))
    ]
    amount = draw(st.one_of(st.integers(0, 365), st.just("setting")))
    return {
        "code": draw(CODES),
        "names": texts,
        "team": "legalisations",
        "valid_from": "2026-01-01",
        "statuses": statuses,
        "transitions": transitions,
        "deadlines": {"processing": {"amount": amount, "counting": "business"}},
        "fees": [
            {
                "code": "fee",
                "names": texts,
                "amount": draw(st.sampled_from(["20", "20.00", "0.5", "setting"])),
            }
        ],
    }


@given(chains())
def test_a_valid_definition_survives_yaml_and_its_stored_form(
    data: dict[str, object],
) -> None:
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)

    definition = loader.load(text, filename="generated.yaml")

    assert definition == definition_from_json(data)
    assert definition_from_json(definition_to_json(definition)) == definition
    stored = yaml.safe_dump(definition_to_json(definition), allow_unicode=True)
    assert loader.load(stored, filename="stored.yaml") == definition


def test_refuses_a_second_initial_status() -> None:
    text = MINIMAL.replace(
        "  citizen_text: {fr: En cours., nl: Bezig., de: Läuft., en: In progress.}",
        "  citizen_text: {fr: En cours., nl: Bezig., de: Läuft., en: In progress.}\n"
        "  initial: true",
    )
    assert (
        "several_initial_statuses",
        line_of(text, "en: In progress.") + 1,
    ) in _problems(text)


def test_refuses_an_unknown_approval_level_and_a_bad_fee_date() -> None:
    text = MINIMAL + (
        "decisions:\n"
        "- code: grant\n"
        "  names: {fr: Octroi, nl: Toekenning, de: Gewährung, en: Grant}\n"
        "  approval: {min_level: Z}\n"
        "fees:\n"
        "- code: fee\n"
        "  names: {fr: Droit, nl: Recht, de: Gebühr, en: Fee}\n"
        "  amount: '20'\n"
        "  valid_from: '2026-02-30'\n"
    )
    assert _problems(text) == [
        ("unknown_level", line_of(text, "min_level: Z")),
        ("invalid_date", line_of(text, "valid_from: '2026")),
    ]


def test_refuses_a_value_outside_its_list() -> None:
    text = MINIMAL + (
        "results:\n"
        "- code: won\n"
        "  kind: victory\n"
        "  names: {fr: Gagné, nl: Gewonnen, de: Gewonnen, en: Won}\n"
        "  retention: {period: {amount: 1, unit: years}, from: closure, then: destroy}\n"
    )
    parsed = loader.parse(text, filename="sample.yaml")
    [problem] = parsed.problems
    assert (problem.code, problem.line) == (
        "not_allowed",
        line_of(text, "kind: victory"),
    )
    assert "granted, refused, partly_granted, withdrawn, transferred" in problem.text


@given(
    edits=st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=60),
            st.sampled_from(["delete", "duplicate", "replace"]),
            st.sampled_from(
                [
                    "",
                    "- x",
                    "x: [",
                    "code: 1",
                    "  - 2",
                    "from: []",
                    "to: ~",
                    "{}",
                    "&a *a",
                    "'",
                ]
            ),
        ),
        max_size=4,
    )
)
def test_a_damaged_file_is_refused_with_lines_never_a_crash(
    edits: list[tuple[int, str, str]],
) -> None:
    lines = MINIMAL.splitlines()
    for position, edit, text in edits:
        index = position % len(lines)
        if edit == "delete" and len(lines) > 1:
            del lines[index]
        elif edit == "duplicate":
            lines.insert(index, lines[index])
        else:
            lines[index] = text
    damaged = "\n".join(lines) + "\n"

    parsed = loader.parse(damaged, filename="damaged.yaml")

    assert (parsed.definition is None) == bool(parsed.problems)
    for problem in parsed.problems:
        assert 1 <= problem.line <= len(lines) + 1
        assert problem.text
