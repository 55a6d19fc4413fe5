"""Project-wide checks: generated docs are current, catalogues are complete."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from guichet import env

ROOT = Path(__file__).resolve().parent.parent


def test_docs_env_md_is_generated_from_the_settings() -> None:
    import guichet.settings  # noqa: F401 - declares every variable

    assert (ROOT / "docs" / "env.md").read_text() == env.markdown(), (
        "run: guichet envdoc > docs/env.md"
    )


def test_french_dutch_and_german_catalogues_are_complete() -> None:
    result = subprocess.run(
        [sys.executable, "scripts/i18n", "check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout
