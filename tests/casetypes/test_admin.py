"""Case types in Django's admin: read-only lists, and the import form."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

import pytest

from guichet.casetypes.models import CaseTypeVersion

from .conftest import MINIMAL, line_of

pytestmark = pytest.mark.django_db

IMPORT = "/admin/casetypes/casetype/import/"


def _client(agent: Any) -> Client:
    client = Client()
    client.force_login(agent)
    return client


def _upload(text: str, name: str = "sample.yaml") -> dict[str, Any]:
    return {"file": SimpleUploadedFile(name, text.encode("utf-8"), "application/yaml")}


def test_imports_an_uploaded_file(administrator: Any, teams: Any) -> None:
    client = _client(administrator)

    response = client.post(IMPORT, _upload(MINIMAL), follow=True)

    assert response.status_code == 200
    version = CaseTypeVersion.objects.get()
    assert (version.number, version.source_filename, version.imported_by) == (
        1,
        "sample.yaml",
        administrator,
    )
    assert "sample version 1 imported." in response.content.decode().lower()
    listing = client.get("/admin/casetypes/casetype/")
    assert "Import a YAML file" in listing.content.decode()


def test_shows_each_problem_with_its_line_and_imports_nothing(
    administrator: Any, teams: Any
) -> None:
    text = MINIMAL.replace("  roles: [front_office]", "  roles: [janitor]").replace(
        "  to: closed", "  to: nowhere"
    )

    response = _client(administrator).post(IMPORT, _upload(text))

    page = response.content.decode()
    assert response.status_code == 200
    assert (
        f"<code>sample.yaml:{line_of(text, 'janitor')}</code> There is no role janitor."
        in page
    )
    assert f"<code>sample.yaml:{line_of(text, 'nowhere')}</code>" in page
    assert not CaseTypeVersion.objects.exists()


@pytest.mark.parametrize(
    ("_case", "roles", "expected"),
    [("supervisor", ("supervisor",), 302), ("first line", ("first_line",), 302)],
)
def test_only_administrators_import(
    make_agent: Any, teams: Any, _case: str, roles: tuple[str, ...], expected: int
) -> None:
    agent = make_agent(*roles, level="A2")

    response = _client(agent).post(IMPORT, _upload(MINIMAL))

    assert response.status_code == expected
    assert not CaseTypeVersion.objects.exists()


def test_nothing_is_edited_in_the_admin(administrator: Any, teams: Any) -> None:
    client = _client(administrator)
    client.post(IMPORT, _upload(MINIMAL))
    version = CaseTypeVersion.objects.get()

    assert client.get("/admin/casetypes/casetype/add/").status_code == 403
    page = client.get(f"/admin/casetypes/casetypeversion/{version.pk}/change/")
    assert page.status_code == 200
    assert 'name="valid_from"' not in page.content.decode()
    delete = client.post(
        f"/admin/casetypes/casetypeversion/{version.pk}/delete/", {"post": "yes"}
    )
    assert delete.status_code == 403
    assert CaseTypeVersion.objects.count() == 1


def test_reimport_says_unchanged_and_refuses_a_large_file(
    administrator: Any, teams: Any
) -> None:
    client = _client(administrator)
    client.post(IMPORT, _upload(MINIMAL))

    again = client.post(IMPORT, _upload(MINIMAL), follow=True)
    large = client.post(IMPORT, _upload("# " + "x" * 1_000_001))

    assert "sample unchanged (version 1)." in again.content.decode().lower()
    assert "The file is larger than 1 MB." in large.content.decode()
    assert CaseTypeVersion.objects.count() == 1


def test_a_case_type_shows_its_versions_read_only(
    administrator: Any, teams: Any
) -> None:
    client = _client(administrator)
    client.post(IMPORT, _upload(MINIMAL))
    case_type = CaseTypeVersion.objects.get().case_type

    page = client.get(f"/admin/casetypes/casetype/{case_type.pk}/change/")

    assert page.status_code == 200
    body = page.content.decode()
    assert "sample.yaml" in body
    assert 'name="versions-MAX_NUM_FORMS" value="0"' in body  # none can be added
    assert 'name="versions-0-valid_from"' not in body  # nor changed
