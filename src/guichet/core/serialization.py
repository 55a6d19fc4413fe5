"""Plain-JSON conversion shared by the audit chain, the API and the command line."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any
from uuid import UUID


def jsonable(value: Any) -> Any:
    """Turn a value into plain JSON types, the same way every time it is hashed."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        # Floats do not round-trip through every database's JSON type identically.
        return repr(value)
    if isinstance(value, Decimal | UUID):
        return str(value)
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(key): jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [jsonable(item) for item in value]
        return sorted(items, key=repr) if isinstance(value, set | frozenset) else items
    return str(value)


class JsonTooDeep(ValueError):
    """A JSON document nested deeper than Python's parser can follow."""


def json_loads(text: str, **options: Any) -> Any:
    """`json.loads`, with a document nested too deeply refused as malformed (a
    `ValueError`, like any other bad JSON) instead of a `RecursionError`."""
    try:
        return json.loads(text, **options)
    except RecursionError:
        raise JsonTooDeep("nested too deeply") from None
