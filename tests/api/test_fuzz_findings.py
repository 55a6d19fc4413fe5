"""What schemathesis found (issue #12, item 5): each case answered 500, or let a
wrong value through, and now gets a declared client error."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

import pytest

from tests.debts.factories import load_shipped_tables
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def payer(make_agent: Any) -> Any:
    load_shipped_tables()
    return make_agent(
        "payment_agent", level="C", teams=("payment-office",), username="payer"
    )


def _problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    return body


# An empty income field


@pytest.mark.parametrize("field", ["earned", "replacement"])
def test_an_empty_income_alone_is_refused_as_no_income(
    payer: Any, api_for: Any, field: str
) -> None:
    response = api_for(payer).post(
        "/garnishment/compute", {"on": "2024-06-01", field: ""}
    )
    body = _problem(response, 422)
    assert [(e["field"], e["code"]) for e in body["errors"]] == [
        ("earned", "no_income")
    ]


def test_an_empty_income_beside_a_real_one_counts_as_none(
    payer: Any, api_for: Any
) -> None:
    response = api_for(payer).post(
        "/garnishment/compute",
        {"on": "2024-06-01", "earned": "", "replacement": "1800"},
    )
    assert response.status_code == 200
    assert response.json()["seizable"] == "201.00"


def test_allocate_next_payment_and_posting_refuse_an_empty_income(
    payer: Any, api_for: Any
) -> None:
    api = api_for(payer)
    person = PersonFactory()
    allocate = api.post(
        "/garnishment/allocate",
        {"on": "2024-06-01", "earned": "", "children": 0, "claims": []},
    )
    assert _problem(allocate, 422)["errors"][0]["code"] == "no_income"
    preview = api.get(
        f"/persons/{person.uuid}/debts/next-payment",
        data={"paid_on": "2024-06-01", "replacement": ""},
    )
    assert _problem(preview, 422)["errors"][0]["code"] == "no_income"
    posting = api.post(
        f"/persons/{person.uuid}/debts/postings",
        {"paid_on": "2024-06-01", "period": "2024-06", "earned": "", "children": 0},
    )
    assert _problem(posting, 422)["errors"][0]["code"] == "no_income"


def test_the_permission_is_checked_before_the_input(
    first_line: Any, api_for: Any
) -> None:
    """A first-line agent learns they may not, whatever values they send (not 422,
    not 500); only a body of the wrong shape is refused before (by the schema)."""
    api = api_for(first_line)
    person = PersonFactory()
    assert (
        api.post("/garnishment/compute", {"on": "2024-06-01", "earned": ""}).status_code
        == 403
    )
    assert (
        api.post(
            "/garnishment/allocate",
            {"on": "2024-06-01", "earned": "", "children": 0, "claims": []},
        ).status_code
        == 403
    )
    assert (
        api.get(
            f"/persons/{person.uuid}/debts/next-payment",
            data={"paid_on": "2024-06-01", "earned": "x"},
        ).status_code
        == 404
    )
    assert (
        api.post(
            f"/persons/{person.uuid}/debts/postings",
            {"paid_on": "2024-06-01", "period": "x", "earned": "", "children": 0},
        ).status_code
        == 403
    )


def test_the_command_line_refuses_an_empty_income_without_a_traceback(
    cli: Any, payer: Any
) -> None:
    code, out, err = cli(
        "garnishment", "compute", "--earned", "", "--on", "2024-06-01", "--json"
    )
    assert code == 2, err  # bad input
    assert "Traceback" not in err
    assert json.loads(out)["error"]["code"] == "no_income"


# The body, the text and the page number


def test_a_body_over_the_upload_limit_answers_413(payer: Any, api_for: Any) -> None:
    body = json.dumps({"on": "2024-06-01", "earned": "1", "padding": "x" * 2_700_000})
    response = api_for(payer).client.post(
        "/api/v1/garnishment/compute", data=body, content_type="application/json"
    )
    assert _problem(response, 413)["code"] == "too_large"


def test_a_lone_surrogate_in_a_name_is_refused(first_line: Any, api_for: Any) -> None:
    raw = '{"given_names": "Jean", "surname": "\\ud800"}'
    response = api_for(first_line).client.post(
        "/api/v1/persons", data=raw, content_type="application/json"
    )
    body = _problem(response, 422)
    assert [(e["field"], e["code"]) for e in body["errors"]] == [
        ("surname", "invalid_text")
    ]


def test_a_nul_in_a_query_string_is_refused_before_the_database(
    first_line: Any, api_for: Any
) -> None:
    """PostgreSQL refuses NUL in a text column: `/topics?team=%00` was a 500 there
    (schemathesis); every query string and form is now checked like a body."""
    response = api_for(first_line).client.get("/api/v1/topics", {"team": "cc\x00fr"})
    body = _problem(response, 422)
    assert [(e["field"], e["code"]) for e in body["errors"]] == [
        ("team", "invalid_text")
    ]


def test_a_huge_page_number_of_the_organisation_list_is_not_a_server_error(
    first_line: Any,
) -> None:
    client = Client()
    client.force_login(first_line)
    response = client.get("/organisations/", {"page": "9223372036854775807"})
    assert response.status_code == 200


@pytest.mark.parametrize("value", ["0.0", "0", "1700000000", "2024-6-1"])
def test_a_number_is_not_taken_for_a_date(
    first_line: Any, api_for: Any, value: str
) -> None:
    person = PersonFactory()
    response = api_for(first_line).get(
        f"/persons/{person.uuid}/documents", data={"decision_date": value}
    )
    body = _problem(response, 422)
    assert body["errors"][0]["field"] == "decision_date"


def test_a_json_number_is_not_taken_for_a_date_in_a_body(
    payer: Any, api_for: Any
) -> None:
    # 1717200000 seconds after 1970 is 2024-06-01, which has a table in force.
    response = api_for(payer).post(
        "/garnishment/compute", {"on": 1717200000, "earned": "1"}
    )
    assert _problem(response, 422)["errors"][0]["field"] == "on"


# The description


def _operations() -> list[tuple[str, str, dict[str, Any]]]:
    schema = Client().get("/api/v1/openapi.json").json()
    return [
        (path, method, operation)
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    ]


def test_openapi_declares_if_match_where_it_is_required() -> None:
    required = {
        (path, method)
        for path, method, operation in _operations()
        if "428" in operation["responses"]
    }
    assert ("/api/v1/debts/{debt_id}", "patch") in required
    for path, method, operation in _operations():
        headers = {
            parameter["name"]: parameter
            for parameter in operation.get("parameters", [])
            if parameter["in"] == "header"
        }
        if (path, method) in required:
            assert headers["If-Match"]["required"] is True, (path, method)
        else:
            assert "If-Match" not in headers, (path, method)


def test_openapi_declares_errors_as_problem_json() -> None:
    for path, method, operation in _operations():
        for status, response in operation["responses"].items():
            if status.startswith(("4", "5")):
                assert set(response["content"]) == {"application/problem+json"}, (
                    path,
                    method,
                    status,
                )
        if "requestBody" in operation:
            assert "413" in operation["responses"], (path, method)
