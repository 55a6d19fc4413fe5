"""`guichet casetypes import|list|show`: exact JSON and exit codes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from guichet.casetypes.models import CaseTypeVersion
from guichet.casetypes.services import SHIPPED

from .conftest import MINIMAL, line_of

pytestmark = pytest.mark.django_db

SHIPPED_FILES = sorted(str(path) for path in SHIPPED.glob("*.yaml"))


def _write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_imports_the_shipped_files_then_finds_them_unchanged(
    cli: Any, teams: Any
) -> None:
    code, out, err = cli("casetypes", "import", *SHIPPED_FILES, "--json")

    assert (code, err) == (0, "")
    assert json.loads(out) == {
        "imported": [
            {"file": name, "code": Path(name).stem, "version": 1, "status": "imported"}
            for name in SHIPPED_FILES
        ]
    }
    code, out, _ = cli("casetypes", "import", *SHIPPED_FILES, "--json")
    assert code == 0
    assert {item["status"] for item in json.loads(out)["imported"]} == {"unchanged"}
    assert CaseTypeVersion.objects.count() == 4


def test_an_invalid_file_exits_2_with_its_line_and_imports_nothing(
    cli: Any, teams: Any, tmp_path: Path
) -> None:
    good = _write(tmp_path, "good.yaml", MINIMAL)
    text = MINIMAL.replace("code: sample", "code: bad").replace(
        "  guards: [documents_complete]", "  guards: [stars_aligned]"
    )
    bad = _write(tmp_path, "bad.yaml", text)

    code, out, err = cli("casetypes", "import", good, bad, "--json")

    assert (code, err) == (2, "")
    error = {
        "code": "unknown_guard",
        "message": "No guard named stars_aligned is declared in the registry.",
        "file": bad,
        "line": line_of(text, "stars_aligned"),
    }
    assert json.loads(out) == {"error": error, "errors": [error]}
    assert not CaseTypeVersion.objects.exists()


def test_an_invalid_file_without_json_names_file_and_line(
    cli: Any, teams: Any, tmp_path: Path
) -> None:
    text = MINIMAL.replace("  to: closed", "  to: nowhere")
    bad = _write(tmp_path, "bad.yaml", text)

    code, out, err = cli("casetypes", "import", bad)

    assert code == 2
    assert out == ""
    assert f"{bad}:{line_of(text, 'nowhere')}: There is no status nowhere" in err
    assert "[unknown_status]" in err


def test_a_missing_file_exits_2(cli: Any, db: Any, tmp_path: Path) -> None:
    missing = str(tmp_path / "missing.yaml")

    code, out, _ = cli("casetypes", "import", missing, "--json")

    assert code == 2
    assert json.loads(out)["error"]["code"] == "unreadable"
    assert json.loads(out)["error"]["file"] == missing


def test_lists_and_shows(cli: Any, teams: Any, tmp_path: Path) -> None:
    cli("casetypes", "import", _write(tmp_path, "s.yaml", MINIMAL))

    code, out, _ = cli("casetypes", "list", "--json")
    assert code == 0
    assert json.loads(out) == {
        "case_types": [
            {
                "code": "sample",
                "names": {
                    "fr": "Exemple",
                    "nl": "Voorbeeld",
                    "de": "Beispiel",
                    "en": "Sample",
                },
                "team": "legalisations",
                "versions": 1,
                "current": {"version": 1, "valid_from": "2026-01-01"},
                "latest": {"version": 1, "valid_from": "2026-01-01"},
            }
        ]
    }
    code, out, _ = cli("casetypes", "show", "sample", "--version", "1", "--json")
    shown = json.loads(out)
    assert code == 0
    assert (shown["code"], shown["version"], shown["file"]) == ("sample", 1, "s.yaml")
    assert shown["definition"]["transitions"][1]["from"] == ["checking"]
    code, out, _ = cli("casetypes", "show", "sample")
    assert code == 0
    assert "start: received -> checking [front_office >= C]" in out
    code, out, _ = cli("casetypes", "list")
    assert out.startswith("sample: Sample (legalisations; 1 version(s); version 1")


def test_show_an_unknown_case_type_exits_2(cli: Any, db: Any) -> None:
    code, out, _ = cli("casetypes", "show", "nothing", "--json")

    assert code == 2
    assert json.loads(out) == {
        "error": {
            "code": "unknown_case_type",
            "message": "There is no case type nothing.",
            "file": None,
            "line": None,
        },
        "errors": [
            {
                "code": "unknown_case_type",
                "message": "There is no case type nothing.",
                "file": None,
                "line": None,
            }
        ],
    }


def test_an_empty_list_says_how_to_import(cli: Any, db: Any) -> None:
    code, out, _ = cli("casetypes", "list")
    assert code == 0
    assert "guichet casetypes import FILE" in out


def test_a_case_type_not_yet_in_force(cli: Any, teams: Any, tmp_path: Path) -> None:
    future = MINIMAL.replace("valid_from: 2026-01-01", "valid_from: 2099-01-01")
    name = _write(tmp_path, "future.yaml", future)
    cli("casetypes", "import", name)

    code, out, _ = cli("casetypes", "import", name)
    assert (code, out.strip()) == (0, f"{name}: sample unchanged (version 1).")
    code, out, _ = cli("casetypes", "list", "--json")
    assert json.loads(out)["case_types"][0]["current"] is None
    code, out, _ = cli("casetypes", "list")
    assert "no version in force today" in out
