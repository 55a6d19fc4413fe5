"""The correspondence API's router and shared shapes."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpResponse

from ninja import Router, Schema

router = Router(tags=["correspondence"])


LanguageCode = Literal["fr", "nl", "de", "en"]


def _file(
    data: bytes, content_type: str, filename: str, *, inline: bool = True
) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
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
