"""`guichet check KIND VALUE... [--on] [--language] --json`: output and exit codes."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.checks.test_mrz import SPECIMENS, TD1, TD2, TD3, altered

pytestmark = pytest.mark.django_db

KEYS = {"kind", "valid", "normalized", "errors", "warnings", "fields"}


@pytest.mark.parametrize("layout", ["TD1", "TD2", "TD3"])
def test_answers_valid_for_every_specimen(cli: Any, layout: str) -> None:
    code, out, _err = cli(
        "check", "mrz", *SPECIMENS[layout], "--on", "2026-01-01", "--json"
    )
    assert code == 0
    body = json.loads(out)
    assert set(body) == KEYS
    assert (body["kind"], body["valid"], body["errors"]) == ("mrz", True, [])
    assert body["fields"]["surname"] == "ERIKSSON"
    assert body["fields"]["given_names"] == "ANNA MARIA"
    assert body["fields"]["birth_date"] == "1974-08-12"
    assert body["fields"]["expiry_date"] == "2012-04-15"
    assert body["fields"]["expired"] is True


@pytest.mark.parametrize(
    ("_case", "lines", "code", "field"),
    [
        (
            "td3 birth date",
            altered(TD3, 2, 17, "9"),
            "birth_date_check_digit",
            "birth_date",
        ),
        (
            "td3 document number",
            altered(TD3, 2, 2, "0"),
            "document_number_check_digit",
            "document_number",
        ),
        (
            "td2 expiry date",
            altered(TD2, 2, 27, "6"),
            "expiry_date_check_digit",
            "expiry_date",
        ),
        (
            "td1 composite",
            altered(TD1, 2, 30, "7"),
            "composite_check_digit",
            "composite",
        ),
        (
            "td3 personal number",
            altered(TD3, 2, 33, "5"),
            "optional_data_check_digit",
            "optional_data",
        ),
    ],
)
def test_answers_invalid_for_an_altered_copy(
    cli: Any, _case: str, lines: list[str], code: str, field: str
) -> None:
    exit_code, out, _err = cli("check", "mrz", *lines, "--json")
    assert exit_code == 1
    body = json.loads(out)
    assert set(body) == KEYS
    assert body["valid"] is False
    assert body["errors"][0]["code"] == code
    assert body["errors"][0]["field"] == field
    assert set(body["errors"][0]) == {"code", "field", "message"}


def test_expired_follows_the_on_date(cli: Any) -> None:
    _code, before, _err = cli("check", "mrz", *TD3, "--on", "2012-04-15", "--json")
    _code, after, _err = cli("check", "mrz", *TD3, "--on", "2012-04-16", "--json")
    assert json.loads(before)["fields"]["expired"] is False
    assert json.loads(after)["fields"]["expired"] is True


def test_an_iban_typed_in_groups_and_its_warning(cli: Any) -> None:
    code, out, _err = cli("check", "iban", "BE68", "5390", "0754", "7034", "--json")
    assert code == 0
    body = json.loads(out)
    assert body["normalized"] == "BE68539007547034"
    assert [warning["code"] for warning in body["warnings"]] == ["unknown_bank"]


@pytest.mark.parametrize(
    ("kind", "value", "exit_code"),
    [
        ("niss", "85.07.30-033.28", 0),
        ("niss", "85.07.30-033.29", 1),
        ("bce", "0403.170.701", 0),
        ("bic", "GEBABEBB", 0),
        ("ogm", "+++010/8068/17183+++", 0),
        ("ogm", "+++010/8068/17180+++", 1),
    ],
)
def test_every_kind_answers_with_its_exit_code(
    cli: Any, kind: str, value: str, exit_code: int
) -> None:
    code, out, _err = cli("check", kind, value, "--json")
    assert code == exit_code
    assert json.loads(out)["kind"] == kind


def test_messages_follow_the_language_option(cli: Any) -> None:
    _code, out, _err = cli(
        "check", "mrz", *altered(TD3, 2, 20, "3"), "--language", "nl", "--json"
    )
    assert json.loads(out)["errors"][0]["message"].startswith("Geboortedatum")


def test_prints_a_readable_answer_without_json(cli: Any) -> None:
    code, out, err = cli("check", "ogm", "+++010/8068/17180+++")
    assert code == 1
    assert "ogm: NOT valid" in out
    assert "error [checksum]" in out
    assert "checksum" in err
    code, out, _err = cli("check", "iban", "BE68 5390 0754 7034")
    assert code == 0
    assert "warning [unknown_bank]" in out
    assert "formatted: BE68 5390 0754 7034" in out


@pytest.mark.parametrize(
    ("_case", "args"),
    [
        ("no value", ["check", "mrz"]),
        ("unknown kind", ["check", "passport", "X"]),
        ("bad date", ["check", "mrz", *TD3, "--on", "2026-13-01"]),
        ("unknown language", ["check", "niss", "1", "--language", "es"]),
        ("options without kind", ["check", "--on", "2026-01-01"]),
    ],
)
def test_usage_errors_exit_2(cli: Any, _case: str, args: list[str]) -> None:
    code, out, _err = cli(*args)
    assert code == 2
    assert out == ""


def test_without_a_kind_it_is_still_djangos_system_check(cli: Any) -> None:
    code, out, _err = cli("check")
    assert code == 0
    assert "System check identified no issues" in out
    assert cli("check", "parties", "checks")[0] == 0
