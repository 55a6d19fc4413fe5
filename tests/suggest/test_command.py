"""`guichet suggest train|eval`: the interface quality is measured with."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from .conftest import TEST, TRAIN


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample model, trained through the command line in a fresh process
    whose database does not exist: training needs no database."""
    folder = tmp_path_factory.mktemp("suggest")
    path = folder / "model.npz"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{folder / 'missing' / 'db.sqlite3'}",
        "GUICHET_VAR_DIR": str(folder / "var"),
        "GUICHET_LANGUAGE": "en",
        "DJANGO_SETTINGS_MODULE": "guichet.settings",
    }
    result = subprocess.run(  # noqa: S603 - our own command line, fixed arguments
        [
            sys.executable,
            "-m",
            "guichet",
            "suggest",
            "train",
            *("--data", str(TRAIN), "--model", str(path), "--json"),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert (result.returncode, result.stderr) == (0, ""), result.stderr
    assert json.loads(result.stdout)["n"] == 72
    return path


def _write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_eval_on_the_multilingual_sample_is_sensible(cli: Any, trained: Path) -> None:
    code, out, err = cli(
        "suggest", "eval", "--model", str(trained), "--data", str(TEST), "--json"
    )

    assert (code, err) == (0, "")
    result = json.loads(out)
    assert result["n"] == 48
    assert result["unknown_labels"] == 0
    assert result["top1"] >= 0.75
    assert result["top3"] >= result["top1"]
    assert set(result["top1_by_lang"]) == {"fr", "nl", "de", "en"}
    assert min(result["top1_by_lang"].values()) >= 0.5
    assert 0 < result["p50_ms"] <= result["p95_ms"] <= result["max_ms"]


def test_eval_reads_csv_and_counts_unknown_labels_as_misses(
    cli: Any, trained: Path, tmp_path: Path
) -> None:
    data = _write(
        tmp_path,
        "test.csv",
        "category,text\n"
        "travel-documents,Mijn paspoort is gestolen\n"
        "travel-documents,My passport was stolen in Rome\n"
        "lost-cat,Mon passeport a été volé\n"
        "lost-cat,My passport was stolen\n",
    )

    code, out, _ = cli(
        "suggest", "eval", "--model", str(trained), "--data", data, "--json"
    )

    assert code == 0
    result = json.loads(out)
    assert (result["n"], result["unknown_labels"]) == (4, 2)
    assert result["top1"] == 0.5
    assert result["top3"] == 0.5


def test_eval_without_json_prints_a_summary(cli: Any, trained: Path) -> None:
    code, out, _ = cli("suggest", "eval", "--model", str(trained), "--data", str(TEST))

    assert code == 0
    assert out.startswith("48 messages: top 1 ")
    assert "Top 1 in nl:" in out


@pytest.mark.parametrize(
    ("content", "code_name"),
    [("", "empty"), ("text,label\n", "empty"), ('{"text": "a"}\n', "missing_field")],
)
@pytest.mark.parametrize("action", ["train", "eval"])
def test_an_empty_or_malformed_file_exits_2_with_a_clear_message(
    cli: Any, trained: Path, tmp_path: Path, content: str, code_name: str, action: str
) -> None:
    data = _write(tmp_path, "data.jsonl", content)
    model = str(trained) if action == "eval" else str(tmp_path / "new.npz")

    code, out, err = cli("suggest", action, "--data", data, "--model", model)

    assert code == 2
    assert out == ""
    assert err.startswith(f"{data}")
    assert f"[{code_name}]" in err
    assert "Traceback" not in err
    assert not (tmp_path / "new.npz").exists()

    code, out, err = cli("suggest", action, "--data", data, "--model", model, "--json")

    assert (code, err) == (2, "")
    assert json.loads(out)["error"]["code"] == code_name


def test_a_file_that_is_not_a_model_exits_2(cli: Any, tmp_path: Path) -> None:
    model = _write(tmp_path, "model.npz", "hello")

    code, _, err = cli("suggest", "eval", "--model", model, "--data", str(TEST))

    assert code == 2
    assert "This file is not a suggestion model. [model_invalid]" in err


def test_both_options_are_required(cli: Any) -> None:
    code, _, err = cli("suggest", "train", "--data", str(TRAIN))

    assert code == 2
    assert "--model" in err
