"""The correspondence API's router and shared shapes."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpResponse
from django.utils.http import content_disposition_header

from ninja import Router, Schema

router = Router(tags=["correspondence"])


LanguageCode = Literal["fr", "nl", "de", "en"]


def _file(data: bytes, content_type: str, filename: str) -> HttpResponse:
    """A download: always an attachment (an API client saves files, it does not
    display them), its name as RFC 6266 `filename*` when it is not plain ASCII."""
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = (
        content_disposition_header(as_attachment=True, filename=filename)
        or "attachment"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _pdf_name(number: str | None, fallback: str) -> str:
    return f"{(number or fallback).replace('/', '-')}.pdf"


class AgentRef(Schema):
    username: str
    name: str

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return str(obj.get_full_name() or obj.get_username())
