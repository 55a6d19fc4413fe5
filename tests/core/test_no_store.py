"""Request-wide middleware: responses with personal data are never stored by caches."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.test import Client

import pytest

from guichet.documents import services
from tests.documents.factories import upload
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(make_agent: Callable[..., Any]) -> Any:
    return make_agent("front_office", level="C", teams=("consular",), username="desk")


def _client(agent: Any) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(agent)
    return client


def test_the_person_360_view_is_not_stored(desk: Any) -> None:
    person = PersonFactory()
    response = _client(desk).get(f"/persons/{person.uuid}/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_a_document_download_is_not_stored(
    desk: Any, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    person = PersonFactory()
    document = services.document_upload(
        actor=desk,
        person_id=person.uuid,
        file=upload(),
        details=services.DocumentDetails(document_type="passport"),
    )
    response = _client(desk).get(f"/documents/{document.uuid}/download/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_a_person_read_through_the_api_is_not_stored(
    desk: Any, api_for: Callable[..., Any]
) -> None:
    person = PersonFactory()
    response = api_for(desk).get(f"/persons/{person.uuid}")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_every_page_of_the_workspace_is_not_stored(desk: Any) -> None:
    response = _client(desk).get("/home/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
