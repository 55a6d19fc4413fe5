from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

import pytest

from guichet.contacts.models import Topic
from guichet.core import clock
from guichet.webforms import antispam

# The real SMTP server on loopback (aiosmtpd) of the correspondence tests.
from tests.correspondence.test_dispatch import Inbox, smtp  # noqa: F401

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def shared_topic(demo: Any) -> Topic:
    return Topic.objects.get(team__isnull=True, code="legalisation")


@pytest.fixture
def pdf() -> Callable[..., SimpleUploadedFile]:
    def make(name: str = "letter.pdf", content: bytes = PDF) -> SimpleUploadedFile:
        return SimpleUploadedFile(name, content, content_type="application/pdf")

    return make


@pytest.fixture
def at(monkeypatch: pytest.MonkeyPatch) -> Callable[[dt.datetime], None]:
    """Pin the clock at an instant (it stays there until pinned again)."""

    def pin(moment: dt.datetime) -> None:
        monkeypatch.setattr(clock, "now", lambda: moment)

    return pin


def stamp_seconds_ago(seconds: float) -> str:
    return antispam.stamp_make(clock.now() - dt.timedelta(seconds=seconds))
