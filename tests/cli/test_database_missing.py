"""Commands that need the database, run before `guichet migrate`: one clear line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


def _guichet(
    tmp_path: Path, database_url: str, *args: str
) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "GUICHET_VAR_DIR": str(tmp_path / "var"),
        "GUICHET_LANGUAGE": "en",
        "DJANGO_SETTINGS_MODULE": "guichet.settings",
    }
    return subprocess.run(  # noqa: S603 - our own command line, with fixed arguments
        [sys.executable, "-m", "guichet", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    ("_case", "database", "command"),
    [
        (
            "folder_missing",
            "no-such-folder/guichet.sqlite3",
            ("garnishment", "compute", "--earned", "2000", "--on", "2024-06-01"),
        ),
        ("empty_file", "empty.sqlite3", ("token", "list", "someone")),
        ("empty_file_audit", "empty.sqlite3", ("audit", "verify")),
        ("empty_file_casetypes", "empty.sqlite3", ("casetypes", "list")),
    ],
)
def test_says_to_migrate_first(
    tmp_path: Path, _case: str, database: str, command: tuple[str, ...]
) -> None:
    url = f"sqlite:///{tmp_path / database}"
    result = _guichet(tmp_path, url, *command)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert "guichet migrate" in result.stderr
    assert result.stdout == ""
