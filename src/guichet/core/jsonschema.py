"""JSON Schemas shipped with an app, read and compiled once per process.

The case types' schema (`casetypes/data/casetype.schema.json`) and the export
manifest's (`dossiers/data/export-manifest.schema.json`) are draft 2020-12,
validated with jsonschema-rs.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import jsonschema_rs


@functools.cache
def schema_at(path: Path) -> dict[str, Any]:
    """The schema in `path` (read once per process)."""
    loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


@functools.cache
def validator_at(path: Path) -> Any:
    """The compiled validator of the schema in `path` (once per process)."""
    return jsonschema_rs.validator_for(schema_at(path))
