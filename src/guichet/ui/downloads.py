"""A stored file sent to the agent's browser as a download, never displayed.

Files that citizens send (web form, e-mail) are only as safe as their bytes: the
type read from the content names the file, the browser is told not to guess
another one, and a sandbox applies should it open the file anyway.
"""

from __future__ import annotations

from typing import IO

from django.http import HttpResponse

from guichet.documents.sniffing import EXTENSIONS


def download(handle: IO[bytes], *, content_type: str, name: str) -> HttpResponse:
    """The bytes of `handle` as `name.<extension of content_type>`."""
    with handle:
        response = HttpResponse(handle.read(), content_type=content_type)
    extension = EXTENSIONS.get(content_type, "bin")
    response["Content-Disposition"] = f'attachment; filename="{name}.{extension}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
