"""The OpenAPI description: served, and every error response declared."""

from __future__ import annotations

from django.test import Client

import pytest


@pytest.mark.django_db
def test_openapi_is_served_and_declares_every_error() -> None:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.1")
    operations = [
        (path, method, operation)
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    ]
    assert len(operations) >= 12
    for path, method, operation in operations:
        declared = set(operation["responses"])
        assert {"400", "401", "422"} <= declared, (path, method)
        if "{" in path:
            assert "404" in declared, (path, method)
        if method == "patch":
            assert {"412", "428"} <= declared, (path, method)
        for status, body in operation["responses"].items():
            if status.startswith(("4", "5")):
                assert body["content"]["application/problem+json"]["schema"][
                    "$ref"
                ].endswith("/Problem"), (path, method, status)


@pytest.mark.django_db
def test_operation_ids_are_unique_and_name_the_domain_module() -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    ids = [
        operation["operationId"]
        for methods in schema["paths"].values()
        for operation in methods.values()
    ]
    assert len(ids) == len(set(ids))
    # A domain split into a package keeps its clients' ids.
    assert "guichet_api_correspondence_letter_create" in ids
    assert "guichet_api_parties_person_create" in ids
