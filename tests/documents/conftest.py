"""Fixtures of the documents tests: agents who handle documents, files, storage."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    """Each test stores its documents in a folder of its own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT  # type: ignore[no-any-return]


@pytest.fixture
def front_office(make_agent: Callable[..., Any]) -> Any:
    return make_agent("front_office", level="C", teams=("consular",), username="desk")


@pytest.fixture
def contact_center(make_agent: Callable[..., Any]) -> Any:
    return make_agent("first_line", level="C", teams=("cc-fr",), username="phone")
