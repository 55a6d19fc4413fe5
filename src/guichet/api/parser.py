"""The API's parser: ninja's, refusing text that is not valid Unicode in a JSON
body, a query string or a form.

JSON may spell a lone UTF-16 surrogate (`"\\ud800"`); Python decodes it into a string
that no database, file or page can encode, so it failed far from the input (a 500).
It is refused here, for every operation at once, as a field error naming where it
was found. So is NUL (`"\\u0000"`), which PostgreSQL stores in no text column.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from django.http import HttpRequest
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext_lazy as _

from ninja.parser import Parser
from ninja.types import DictStrAny

from guichet.core.errors import FieldError, ValidationFailed

# A lone surrogate, or NUL, which PostgreSQL refuses in any text column.
_SURROGATE = re.compile("[\x00\ud800-\udfff]")


def _bad_texts(value: Any, path: str) -> Iterator[str]:
    """The path of every text in `value` (keys included) holding a surrogate."""
    if isinstance(value, str):
        if _SURROGATE.search(value):
            yield path or "body"
    elif isinstance(value, dict):
        for key, item in value.items():
            name = f"{path}.{key}" if path else str(key)
            if isinstance(key, str) and _SURROGATE.search(key):
                yield path or "body"
            else:
                yield from _bad_texts(item, name)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _bad_texts(item, f"{path}[{index}]")


def _refuse_bad_texts(data: Any) -> None:
    bad = list(dict.fromkeys(_bad_texts(data, "")))
    if bad:
        raise ValidationFailed(
            _("Some fields are not valid; nothing was saved."),
            errors=[
                FieldError(
                    field,
                    "invalid_text",
                    _("This text holds a character that is not valid Unicode."),
                )
                for field in bad
            ],
        )


class JsonParser(Parser):
    def parse_body(self, request: HttpRequest) -> DictStrAny:
        data = super().parse_body(request)
        _refuse_bad_texts(data)
        return data

    def parse_querydict(
        self,
        data: MultiValueDict[str, Any],
        list_fields: list[str],
        request: HttpRequest,
    ) -> DictStrAny:
        """A query string or a form: `?team=%00` reached PostgreSQL, which refuses
        NUL in a text column (a 500 on `/topics`, found by schemathesis)."""
        parsed = super().parse_querydict(data, list_fields, request)
        _refuse_bad_texts(parsed)
        return parsed
