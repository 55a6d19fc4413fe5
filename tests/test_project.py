"""Project-wide checks: generated docs are current, catalogues are complete."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

from django.core.management import call_command

import pytest

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


WRITES = {
    "save",
    "create",
    "update",
    "delete",
    "bulk_create",
    "bulk_update",
    "get_or_create",
    "update_or_create",
    "select_for_update",
}


def _selector_modules() -> list[Path]:
    return sorted((ROOT / "src" / "guichet").glob("*/selectors.py"))


def test_selectors_never_write() -> None:
    """Selectors read (and log the read with `access_record`); every write is a
    service's. A selector that imports services or calls a writing method fails."""
    import ast

    offences = []
    for path in _selector_modules():
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            module = getattr(node, "module", None) or ""
            if "services" in module and module != "guichet.audit.services":
                offences.append(f"{path.parent.name}/selectors.py imports {module}")
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in WRITES
            ):
                offences.append(f"{path.parent.name}/selectors.py:{node.lineno}")
    assert _selector_modules()
    assert offences == []


@pytest.mark.django_db
def test_the_migrations_describe_the_models() -> None:
    """A model changed without its migration fails here, not in production:
    `guichet makemigrations --check --dry-run` finds nothing to write."""
    out = io.StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out)
    except SystemExit as exit_:
        pytest.fail(
            f"models and migrations differ (code {exit_.code}):\n{out.getvalue()}"
        )
    assert "No changes detected" in out.getvalue()
