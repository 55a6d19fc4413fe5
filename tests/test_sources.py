"""Code and docs cite sources a reader of the repository can open.

Comments once cited files kept beside the repository (the domain notes, the stack
notes, the seeds' file names); docs/sources.md now holds what they said. This test
keeps it so: nothing in src/ or docs/ points outside the repository.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

OUTSIDE = re.compile(
    r"\.\./shared|belgium\.md|stack\.md|MISSION\.md|style-anchors\.md"
    r"|\b00[0-4]_[0-9a-f]{16}\b|\b00[0-4]_…"
)
# The index of the seeds names their files on purpose (docs/sources.md §5).
SEED_INDEX = ROOT / "docs" / "sources.md"
# Files that still cite outside sources; this list only shrinks.
NOT_YET: set[str] = set()
SUFFIXES = {".py", ".md", ".html", ".txt", ".css", ".js"}


def _citing_outside() -> set[str]:
    found = set()
    for folder in ("src", "docs"):
        for path in (ROOT / folder).rglob("*"):
            if path.suffix not in SUFFIXES or not path.is_file():
                continue
            text = path.read_text(encoding="utf-8")
            if path == SEED_INDEX:
                text = re.sub(r"`00[0-4]_[0-9a-f]{16}\.txt`", "", text)
            if OUTSIDE.search(text):
                found.add(path.relative_to(ROOT).as_posix())
    return found


def test_nothing_in_src_or_docs_points_outside_the_repository() -> None:
    assert _citing_outside() <= NOT_YET


def test_the_sources_cover_every_seed() -> None:
    text = SEED_INDEX.read_text(encoding="utf-8")
    for seed in ("000", "001", "002", "003", "004"):
        assert f"| {seed} |" in text
