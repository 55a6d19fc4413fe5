"""`guichet garnishment`: the published examples to the cent, exit codes, JSON errors."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from guichet.audit.models import AuditEvent
from guichet.debts.garnishment import IncomeKind
from guichet.debts.models import BracketTable
from tests.debts.factories import shipped
from tests.debts.test_garnishment import EDGES

pytestmark = pytest.mark.usefixtures("tables")


def _json(cli: Any, *args: str) -> tuple[int, dict[str, Any]]:
    code, out, _ = cli("garnishment", *args, "--json", "--language", "en")
    return code, json.loads(out)


def _human(cli: Any, *args: str) -> tuple[int, list[str]]:
    """The plain output's lines, in English."""
    code, out, _ = cli("garnishment", *args, "--language", "en")
    return code, out.splitlines()


@pytest.mark.parametrize(
    ("_case", "args", "seizable", "kept"),
    [
        (
            "securex 2024",
            ["--earned", "2000", "--on", "2024-06-30"],
            "386.10",
            "1613.90",
        ),
        (
            "securex 2024, 3 children",
            ["--earned", "2000", "--children", "3", "--on", "2024-01-01"],
            "137.10",
            "1862.90",
        ),
        (
            "cgslb 2024",
            ["--replacement", "1800", "--on", "2024-12-31"],
            "201.00",
            "1599.00",
        ),
        (
            "droitsquotidiens 2024, 1 child",
            ["--replacement", "1800", "--children", "1", "--on", "2024-03-15"],
            "118.00",
            "1682.00",
        ),
        (
            "syndicatsmagazine 2025",
            ["--earned", "2000", "--on", "2025-02-01"],
            "328.60",
            "1671.40",
        ),
        (
            "2024, 1 500 earned, 1 child",
            ["--earned", "1500", "--children", "1", "--on", "2024-05-01"],
            "0.00",
            "1500.00",
        ),
    ],
)
def test_compute_reproduces_every_published_example(
    cli: Any, _case: str, args: list[str], seizable: str, kept: str
) -> None:
    code, out = _json(cli, "compute", *args)
    assert code == 0
    assert (out["seizable"], out["kept"]) == (seizable, kept)


@pytest.mark.parametrize("code", sorted(EDGES))
def test_compute_at_every_threshold_of_every_shipped_table(cli: Any, code: str) -> None:
    # The same hand-written figures as the pure tests, through the database's rows,
    # the choice of the table in force and the JSON output.
    table = shipped(code)
    on = table.valid_from.isoformat()
    at_t1, at_t2, at_t3, repl_t2, repl_t3 = EDGES[code]
    t0, t1, t2, t3 = (f"{value:.2f}" for value in table.thresholds)
    over_t3 = f"{table.thresholds[3] + 1:.2f}"
    expected: list[tuple[str, str, str | None]] = []
    if IncomeKind.EARNED in table.income_kinds:
        expected += [
            ("earned", t0, "0.00"),
            ("earned", t1, at_t1),
            ("earned", t2, at_t2),
            ("earned", t3, at_t3),
            ("earned", over_t3, f"{Decimal(at_t3) + 1:.2f}"),
        ]
    if IncomeKind.REPLACEMENT in table.income_kinds:
        expected += [
            ("replacement", t0, "0.00"),
            ("replacement", t1, at_t1),
            ("replacement", t2, repl_t2),
            ("replacement", t3, repl_t3),
            ("replacement", over_t3, f"{Decimal(str(repl_t3)) + 1:.2f}"),
        ]
    for kind, income, seizable in expected:
        code_, out = _json(cli, "compute", f"--{kind}", income, "--on", on)
        assert (code_, out["table"]["id"], kind, income, out["seizable"]) == (
            0,
            code,
            kind,
            income,
            seizable,
        )


def test_compute_shows_the_table_and_each_band(cli: Any) -> None:
    code, out = _json(cli, "compute", "--replacement", "1800", "--on", "2024-06-01")
    assert code == 0
    assert out["table"]["id"] == "2024"
    assert out["table"]["from"] == "2024-01-01"
    assert "12 Dec 2023" in out["table"]["source"]
    assert [
        (b["from"], b["to"], b["rate"], b["amount"], b["reason"]) for b in out["bands"]
    ] == [
        ("0.00", "1341.00", "0.00", "0.00", "protected"),
        ("1341.00", "1440.00", "0.20", "19.80", "partly_seizable"),
        ("1440.00", "1738.00", "0.40", "119.20", "partly_seizable"),
        ("1738.00", None, "1.00", "62.00", "fully_seizable"),
    ]
    assert out["bands"][2]["explanation"] == (
        "On the part of your income between 1,440.00 EUR and 1,738.00 EUR "
        "(298.00 EUR), 40% can be seized: 119.20 EUR."
    )


def test_compute_covid_period_uses_the_earned_table_for_cumulation(cli: Any) -> None:
    on = ["--on", "2021-05-03"]
    earned = _json(cli, "compute", "--earned", "1800", *on)[1]
    replacement = _json(cli, "compute", "--replacement", "1800", *on)[1]
    both = _json(cli, "compute", "--earned", "300", "--replacement", "1500", *on)[1]
    assert (earned["table"]["id"], earned["seizable"]) == (
        "2020-covid-earned",
        "156.20",
    )
    assert (replacement["table"]["id"], replacement["seizable"]) == (
        "2021-replacement",
        "429.20",
    )
    assert (both["table"]["id"], both["scale"], both["seizable"]) == (
        "2020-covid-earned",
        "earned",
        "156.20",
    )


def test_compute_with_maintenance_makes_everything_seizable_and_says_why(
    cli: Any,
) -> None:
    code, out = _json(
        cli,
        "compute",
        "--replacement",
        "1800",
        "--children",
        "1",
        "--maintenance",
        "--on",
        "2024-06-01",
    )
    assert code == 0
    assert (out["seizable"], out["kept"], out["ordinary_seizable"]) == (
        "1800.00",
        "0.00",
        "118.00",
    )
    assert [band["reason"] for band in out["bands"]] == ["maintenance_whole_income"]
    assert "art. 1412" in out["bands"][0]["explanation"]
    assert len(out["ordinary_bands"]) == 4


@pytest.mark.parametrize(
    ("_case", "kind", "rates", "amounts", "seizable"),
    [
        (
            "earned",
            "earned",
            ["0.00", "0.20", "0.30", "0.40", "1.00"],
            ["0.00", "21.00", "47.40", "62.80", "161.00"],
            "292.20",
        ),
        (
            "replacement",
            "replacement",
            ["0.00", "0.20", "0.40", "1.00"],
            ["0.00", "21.00", "126.00", "161.00"],
            "308.00",
        ),
    ],
)
def test_2026_reaches_the_published_band_maxima(
    cli: Any,
    _case: str,
    kind: str,
    rates: list[str],
    amounts: list[str],
    seizable: str,
) -> None:
    # docs/sources.md §1.2: 21.00 / 47.40 / 62.80 (earned), 21.00 / 126.00
    # (replacement) for full bands; 2 000 EUR passes the top threshold of 1 839.
    code, out = _json(cli, "compute", f"--{kind}", "2000", "--on", "2026-06-15")
    assert code == 0
    assert out["table"]["id"] == "2026"
    assert out["table"]["thresholds"] == ["1419.00", "1524.00", "1682.00", "1839.00"]
    assert out["table"]["child_reduction"] == "88.00"
    assert [band["rate"] for band in out["bands"]] == rates
    assert [band["amount"] for band in out["bands"]] == amounts
    assert out["seizable"] == seizable


def test_2026_is_in_force_to_its_last_day_and_2027_is_refused(cli: Any) -> None:
    first = _json(cli, "compute", "--replacement", "1500", "--on", "2026-01-01")
    last = _json(
        cli, "compute", "--replacement", "1500", "--children", "1", "--on", "2026-12-31"
    )
    after = _json(cli, "compute", "--replacement", "1500", "--on", "2027-01-01")
    # 20 % of (1 500 - 1 419) = 16.20; with one child 16.20 - 88, floored at 0.
    assert (first[0], first[1]["table"]["id"], first[1]["seizable"]) == (
        0,
        "2026",
        "16.20",
    )
    assert (last[0], last[1]["table"]["id"], last[1]["seizable"]) == (0, "2026", "0.00")
    assert (after[0], after[1]["error"]["code"]) == (1, "no_table_in_force")


def test_the_2026_table_carries_its_one_source_and_medium_confidence(
    cli: Any,
) -> None:
    code, out = _json(cli, "compute", "--earned", "2000", "--on", "2026-12-04")
    assert code == 0
    assert out["table"]["source"].startswith(
        'securex.be Lex4You, "Les seuils pour la saisie sur salaire à partir du 1er '
        'janvier 2026"'
    )
    assert out["table"]["confidence"] == "medium"


MEDIUM_EN = (
    "Source of medium confidence: check these amounts against the royal decree "
    "published in the Moniteur belge."
)


def test_human_output_shows_the_source_and_flags_a_medium_confidence(
    cli: Any,
) -> None:
    code, lines = _human(cli, "compute", "--earned", "2000", "--on", "2026-06-15")
    assert code == 0
    assert lines[0] == "Table 2026 (2026-01-01 - 2026-12-31), earned income scale."
    assert lines[1].startswith(
        "Source (as recorded, not translated): securex.be Lex4You, "
        '"Les seuils pour la saisie sur salaire à partir du 1er janvier 2026"'
    )
    assert lines[2:4] == ["Confidence: medium", f"! {MEDIUM_EN}"]
    assert "Seizable: 292.20  Kept: 1707.80" in lines


def test_json_flags_the_confidence_in_the_language_asked(cli: Any) -> None:
    medium = _json(cli, "compute", "--earned", "2000", "--on", "2026-06-15")[1]
    assert medium["table"]["warning"] == {
        "code": "confidence_medium",
        "text": MEDIUM_EN,
    }
    high = _json(cli, "compute", "--earned", "2000", "--on", "2024-06-15")[1]
    assert (high["table"]["confidence"], high["table"]["warning"]) == ("high", None)
    code, out, _ = cli(
        "garnishment",
        "compute",
        "--replacement",
        "1500",
        "--on",
        "2026-06-15",
        "--json",
        "--language",
        "de",
    )
    assert code == 0
    assert json.loads(out)["table"]["warning"]["text"] == (
        "Quelle mittlerer Verlässlichkeit: Prüfen Sie diese Beträge anhand des im "
        "Belgischen Staatsblatt veröffentlichten Königlichen Erlasses."
    )


@pytest.mark.parametrize("on", ["2027-01-01", "2027-11-23", "2019-12-31"])
def test_a_date_without_a_table_exits_1_and_never_uses_another_year(
    cli: Any, on: str
) -> None:
    code, out = _json(cli, "compute", "--earned", "2000", "--on", on)
    assert code == 1
    assert out["error"]["code"] == "no_table_in_force"
    assert out["error"]["field"] == "on"
    assert on in out["error"]["message"]
    assert "seizable" not in out


@pytest.mark.parametrize(
    ("_case", "args", "field", "error"),
    [
        ("negative", ["--earned", "-5"], "earned", "negative_amount"),
        ("not a number", ["--earned", "abc"], "earned", "not_an_amount"),
        (
            "three decimals",
            ["--replacement", "1800.005"],
            "replacement",
            "too_many_decimals",
        ),
        ("exponent", ["--earned", "1e3"], "earned", "not_an_amount"),
        ("no income at all", [], "earned", "no_income"),
        (
            "children not a number",
            ["--earned", "1", "--children", "two"],
            "children",
            "not_a_count",
        ),
        (
            "negative children",
            ["--earned", "1", "--children", "-1"],
            "children",
            "not_a_count",
        ),
    ],
)
def test_compute_refuses_bad_input_with_exit_2_naming_the_field(
    cli: Any, _case: str, args: list[str], field: str, error: str
) -> None:
    code, out = _json(cli, "compute", *args, "--on", "2024-01-01")
    assert code == 2
    assert (out["error"]["field"], out["error"]["code"]) == (field, error)
    assert out["error"]["message"].startswith(f"{field}: ")


def test_compute_refuses_a_bad_date_with_exit_2(cli: Any) -> None:
    code, out = _json(cli, "compute", "--earned", "1", "--on", "2024-02-30")
    assert (code, out["error"]["field"], out["error"]["code"]) == (
        2,
        "on",
        "not_a_date",
    )


def test_argparse_errors_exit_2(cli: Any) -> None:
    assert cli("garnishment", "compute", "--earned", "1")[0] == 2  # --on is required
    assert cli("garnishment", "fly")[0] == 2
    assert cli("garnishment", "compute", "--on", "2024-01-01", "--bogus")[0] == 2


def test_bad_input_without_json_is_a_readable_usage_error(cli: Any) -> None:
    code, out, err = cli(
        "garnishment", "compute", "--earned", "x", "--on", "2024-01-01"
    )
    assert code == 2
    assert out == ""
    assert "earned:" in err


def test_compute_speaks_the_citizens_language(cli: Any) -> None:
    code, out, _ = cli(
        "garnishment",
        "compute",
        "--earned",
        "2000",
        "--on",
        "2024-06-01",
        "--json",
        "--language",
        "nl",
    )
    assert code == 0
    assert json.loads(out)["bands"][0]["explanation"] == (
        "De eerste € 1.341,00 van uw maandelijks inkomen zijn beschermd: daarop kan "
        "niets in beslag worden genomen."
    )


def test_human_output_lists_the_bands_and_the_tables_source(cli: Any) -> None:
    code, lines = _human(cli, "compute", "--earned", "2000", "--on", "2024-06-01")
    assert code == 0
    assert "Seizable: 386.10  Kept: 1613.90" in lines
    # A table of high confidence: its source and confidence, no warning.
    assert lines[1:3] == [
        "Source (as recorded, not translated): Royal decree of 12 Dec 2023; amounts "
        "per attentia.be, groups.be, cgslb.be, aclvb.be, gerechtsdeurwaarders.be, "
        "securex.be.",
        "Confidence: high",
    ]
    assert not any(line.startswith("!") for line in lines)


# allocate


def _case_file(tmp_path: Path, case: Any) -> str:
    path = tmp_path / "case.json"
    path.write_text(json.dumps(case) if not isinstance(case, str) else case)
    return str(path)


CASE = {
    "on": "2025-03-10",
    "replacement": "1900.00",
    "children": 1,
    "claims": [
        {
            "id": "alim",
            "kind": "maintenance",
            "notified_on": "2024-01-10",
            "balance": "150",
        },
        {"id": 1, "kind": "seizure", "notified_on": "2024-05-01", "balance": 2000},
        {"id": "s2", "kind": "seizure", "notified_on": "2024-06-01", "balance": 1000.5},
        {
            "id": "a1",
            "kind": "assignment",
            "notified_on": "2024-02-01",
            "balance": "20",
        },
        {
            "id": "cpas",
            "kind": "subrogation",
            "notified_on": "2025-02-01",
            "balance": "300",
        },
        {
            "id": "rec",
            "kind": "recovery",
            "notified_on": "2024-09-01",
            "balance": "5000",
            "fraud": False,
        },
    ],
}


def test_allocate_prints_each_claims_amount_rank_and_reason(
    cli: Any, tmp_path: Path
) -> None:
    code, out = _json(cli, "allocate", "--file", _case_file(tmp_path, CASE))
    assert code == 0
    assert [(c["id"], c["amount"], c["rank"]) for c in out["claims"]] == [
        ("alim", "150.00", 1),
        (1, "0.00", 3),
        ("s2", "0.00", 3),
        ("a1", "8.00", 2),
        ("cpas", "300.00", 4),
        ("rec", "190.00", 5),
    ]
    assert out["to_beneficiary"] == "1252.00"
    assert out["seizable"] == "158.00"
    assert out["table"]["id"] == "2025"
    assert out["claims"][0]["reason"] == "maintenance_first"
    assert "art. 1412" in out["claims"][0]["explanation"]


def test_allocate_shows_the_tables_source_and_confidence(
    cli: Any, tmp_path: Path
) -> None:
    path = _case_file(tmp_path, {**CASE, "on": "2026-03-10"})
    code, lines = _human(cli, "allocate", "--file", path)
    assert code == 0
    first, source, confidence, warning = lines[:4]
    assert (first, confidence, warning) == (
        "Table 2026.",
        "Confidence: medium",
        f"! {MEDIUM_EN}",
    )
    assert source.startswith("Source (as recorded, not translated): securex.be")
    code, shown = _json(cli, "allocate", "--file", path)
    assert (code, shown["table"]["warning"]["code"]) == (0, "confidence_medium")


def test_allocate_shares_competing_seizures_pro_rata(cli: Any, tmp_path: Path) -> None:
    case = {
        "on": "2024-06-01",
        "replacement": "1800",
        "children": 0,
        "claims": [
            {
                "id": "a",
                "kind": "seizure",
                "notified_on": "2024-01-01",
                "balance": "1000",
            },
            {
                "id": "b",
                "kind": "seizure",
                "notified_on": "2024-02-01",
                "balance": "500",
            },
        ],
    }
    code, out = _json(cli, "allocate", "--file", _case_file(tmp_path, case))
    assert code == 0
    assert [c["amount"] for c in out["claims"]] == ["134.00", "67.00"]
    assert out["to_beneficiary"] == "1599.00"


def test_allocate_on_a_date_without_a_table_exits_1(cli: Any, tmp_path: Path) -> None:
    code, out = _json(
        cli, "allocate", "--file", _case_file(tmp_path, {**CASE, "on": "2027-02-01"})
    )
    assert code == 1
    assert out["error"]["code"] == "no_table_in_force"


@pytest.mark.parametrize(
    ("_case", "change", "field", "error"),
    [
        ("unknown kind", {"kind": "loan"}, "claims[0].kind", "invalid_choice"),
        ("no notice date", {"notified_on": None}, "claims[0].notified_on", "required"),
        (
            "notice after the payment",
            {"notified_on": "2025-04-01"},
            "claims[0].notified_on",
            "notified_after_payment",
        ),
        ("negative balance", {"balance": "-3"}, "claims[0].balance", "negative_amount"),
        (
            "three decimals",
            {"balance": 1.005},
            "claims[0].balance",
            "too_many_decimals",
        ),
        ("text balance", {"balance": "lots"}, "claims[0].balance", "not_an_amount"),
        (
            "fraud on a seizure",
            {"kind": "seizure", "fraud": True},
            "claims[0].fraud",
            "fraud_only_for_recovery",
        ),
        (
            "fraud not a boolean",
            {"kind": "recovery", "fraud": "yes"},
            "claims[0].fraud",
            "not_a_boolean",
        ),
        ("no id", {"id": None}, "claims[0].id", "required"),
        ("unknown field", {"frauds": True}, "claims[0].frauds", "unknown_field"),
    ],
)
def test_allocate_refuses_a_bad_claim_with_exit_2(
    cli: Any, tmp_path: Path, _case: str, change: dict[str, Any], field: str, error: str
) -> None:
    claim = {**CASE["claims"][0], **change}  # type: ignore[dict-item]
    case = {**CASE, "claims": [claim]}
    code, out = _json(cli, "allocate", "--file", _case_file(tmp_path, case))
    assert code == 2
    assert (out["error"]["field"], out["error"]["code"]) == (field, error)


@pytest.mark.parametrize(
    ("_case", "case", "field", "error"),
    [
        (
            "missing children",
            {k: v for k, v in CASE.items() if k != "children"},
            "children",
            "required",
        ),
        (
            "missing claims",
            {k: v for k, v in CASE.items() if k != "claims"},
            "claims",
            "required",
        ),
        (
            "no income",
            {k: v for k, v in CASE.items() if k != "replacement"},
            "earned",
            "no_income",
        ),
        ("negative income", {**CASE, "earned": "-1"}, "earned", "negative_amount"),
        (
            "duplicate ids",
            {**CASE, "claims": [CASE["claims"][0], CASE["claims"][0]]},
            "claims[1].id",
            "duplicate_id",
        ),  # type: ignore[index]
        ("not an object", [1, 2], "body", "not_an_object"),
        (
            "unknown field",
            {**CASE, "maintenance": True},
            "maintenance",
            "unknown_field",
        ),
    ],
)
def test_allocate_refuses_a_bad_case_with_exit_2(
    cli: Any, tmp_path: Path, _case: str, case: Any, field: str, error: str
) -> None:
    code, out = _json(cli, "allocate", "--file", _case_file(tmp_path, case))
    assert code == 2
    assert (out["error"]["field"], out["error"]["code"]) == (field, error)


def test_allocate_refuses_a_file_that_is_not_json_or_missing(
    cli: Any, tmp_path: Path
) -> None:
    code, out = _json(cli, "allocate", "--file", _case_file(tmp_path, "{not json"))
    assert (code, out["error"]["code"], out["error"]["field"]) == (
        2,
        "malformed",
        "file",
    )
    code, out = _json(cli, "allocate", "--file", str(tmp_path / "missing.json"))
    assert (code, out["error"]["code"]) == (2, "unreadable")
    code, out = _json(cli, "allocate", "--file", _case_file(tmp_path, '{"on": NaN}'))
    assert (code, out["error"]["code"]) == (2, "malformed")


def test_allocate_writes_nothing(cli: Any, tmp_path: Path) -> None:
    before = AuditEvent.objects.count()
    assert _json(cli, "allocate", "--file", _case_file(tmp_path, CASE))[0] == 0
    assert AuditEvent.objects.count() == before


# tables


TABLE_2027 = {
    "code": "2027-test",
    "valid_from": "2027-01-01",
    "valid_to": "2027-12-31",
    "income_kinds": ["earned", "replacement"],
    "t0": "1400",
    "t1": "1500",
    "t2": "1650",
    "t3": "1800",
    "child_reduction": "87",
    "source": "Test figures, not the real 2027 decree.",
    "confidence": "low",
}


def test_tables_import_adds_a_year_and_compute_uses_it(
    cli: Any, tmp_path: Path
) -> None:
    path = tmp_path / "2027.json"
    path.write_text(json.dumps([TABLE_2027]))
    code, out = _json(cli, "tables", "import", str(path))
    assert (code, out) == (0, {"created": ["2027-test"], "unchanged": []})
    code, out = _json(cli, "compute", "--earned", "1500", "--on", "2027-03-01")
    assert (code, out["seizable"], out["table"]["id"]) == (0, "20.00", "2027-test")
    again = _json(cli, "tables", "import", str(path))
    assert again == (0, {"created": [], "unchanged": ["2027-test"]})
    assert AuditEvent.objects.filter(action="garnishment.tables_import").count() == 1


def test_tables_import_reads_csv(cli: Any, tmp_path: Path) -> None:
    path = tmp_path / "tables.csv"
    header = ",".join(TABLE_2027)
    row = ",".join(
        f'"{value}"' if not isinstance(value, list) else "earned replacement"
        for value in TABLE_2027.values()
    )
    path.write_text(f"{header},note\n{row},\n")
    code, out = _json(cli, "tables", "import", str(path))
    assert (code, out["created"]) == (0, ["2027-test"])
    table = BracketTable.objects.get(code="2027-test")
    assert (table.for_earned, table.for_replacement, table.t3) == (True, True, 1800)


def test_tables_import_refuses_an_overlap_and_writes_nothing(
    cli: Any, tmp_path: Path
) -> None:
    path = tmp_path / "overlap.json"
    overlapping = {**TABLE_2027, "code": "bad", "valid_from": "2026-12-01"}
    path.write_text(json.dumps([TABLE_2027, overlapping]))
    count = BracketTable.objects.count()
    code, out = _json(cli, "tables", "import", str(path))
    assert code == 2
    assert out["error"]["code"] == "tables_overlap"
    assert out["error"]["field"] == "tables[1].valid_from"
    assert BracketTable.objects.count() == count


def test_tables_list(cli: Any) -> None:
    code, out = _json(cli, "tables", "list")
    assert code == 0
    assert [table["id"] for table in out["tables"]][-2:] == ["2025", "2026"]
    assert [table["confidence"] for table in out["tables"]][-2:] == ["high", "medium"]
    code, text, _ = cli("garnishment", "tables", "list")
    assert text.splitlines()[-1].endswith("child 88.00  medium")


def test_a_deeply_nested_file_is_a_usage_error(cli: Any, tmp_path: Any) -> None:
    case = tmp_path / "deep.json"
    case.write_text("[" * 100_000 + "]" * 100_000)
    code, out, err = cli("garnishment", "allocate", "--file", str(case))
    assert code == 2
    assert out == ""
    assert "nested too deeply" in err
    assert "Traceback" not in err
