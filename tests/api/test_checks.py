"""`POST /api/v1/checks/{kind}`: the command line's answer over HTTP."""

from __future__ import annotations

from typing import Any

from django.test import Client

import pytest

from tests.checks.test_mrz import SPECIMENS, TD1, TD3, altered

pytestmark = pytest.mark.django_db

KEYS = {"kind", "valid", "normalized", "errors", "warnings", "fields"}


@pytest.fixture
def api(first_line: Any, api_for: Any) -> Any:
    return api_for(first_line)


@pytest.mark.parametrize(
    ("kind", "value", "normalized", "field", "read"),
    [
        ("niss", "85.07.30-033.28", "85073003328", "birth_date", "1985-07-30"),
        ("bce", "BE 0403.170.701", "0403170701", "formatted", "0403.170.701"),
        ("iban", "BE71 0961 2345 6769", "BE71096123456769", "bic", "GKCCBEBB"),
        ("bic", "GEBA BE BB", "GEBABEBB", "institution", "GEBA"),
        ("ogm", "+++010/8068/17183+++", "010806817183", "check_digits", "83"),
    ],
)
def test_answers_valid_with_the_fields_read(
    api: Any, kind: str, value: str, normalized: str, field: str, read: str
) -> None:
    response = api.post(f"/checks/{kind}", {"value": value})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == KEYS
    assert (body["kind"], body["valid"], body["normalized"]) == (kind, True, normalized)
    assert body["errors"] == []
    assert body["fields"][field] == read


@pytest.mark.parametrize(
    ("kind", "value", "codes"),
    [
        ("niss", "85073003329", ["checksum"]),
        ("bce", "0403170702", ["checksum"]),
        ("iban", "BE71096123456768", ["checksum", "account_checksum"]),
        ("bic", "GEBA1EBB", ["format"]),
        ("ogm", "+++010/8068/17180+++", ["checksum"]),
    ],
)
def test_an_invalid_value_is_a_normal_answer_with_coded_errors(
    api: Any, kind: str, value: str, codes: list[str]
) -> None:
    response = api.post(f"/checks/{kind}", {"value": value})
    assert response.status_code == 200
    body = response.json()
    assert body["valid"] is False
    assert [error["code"] for error in body["errors"]] == codes
    assert all(error["message"] for error in body["errors"])
    assert set(body["errors"][0]) == {"code", "field", "message"}


@pytest.mark.parametrize("layout", ["TD1", "TD2", "TD3"])
def test_reads_each_specimen_zone_given_as_a_list_of_lines(
    api: Any, layout: str
) -> None:
    response = api.post("/checks/mrz", {"value": SPECIMENS[layout], "on": "2026-01-01"})
    assert response.status_code == 200
    body = response.json()
    assert (body["valid"], body["errors"]) == (True, [])
    assert body["normalized"] == "\n".join(SPECIMENS[layout])
    fields = body["fields"]
    assert (fields["surname"], fields["given_names"]) == ("ERIKSSON", "ANNA MARIA")
    assert (fields["birth_date"], fields["expiry_date"]) == ("1974-08-12", "2012-04-15")
    assert fields["expired"] is True


def test_the_on_date_decides_whether_the_zone_is_expired(api: Any) -> None:
    before = api.post("/checks/mrz", {"value": TD3, "on": "2012-04-15"}).json()
    after = api.post("/checks/mrz", {"value": TD3, "on": "2012-04-16"}).json()
    assert (before["fields"]["expired"], after["fields"]["expired"]) == (False, True)


def test_a_zone_may_also_come_as_one_text_with_line_breaks(api: Any) -> None:
    response = api.post("/checks/mrz", {"value": "\n".join(TD1), "on": "2026-01-01"})
    assert response.json()["valid"] is True
    assert response.json()["fields"]["format"] == "TD1"


def test_an_altered_zone_names_the_field_and_the_rule(api: Any) -> None:
    body = api.post(
        "/checks/mrz", {"value": altered(TD3, 2, 17, "9"), "on": "2026-01-01"}
    ).json()
    assert body["valid"] is False
    codes = {(error["code"], error["field"]) for error in body["errors"]}
    assert ("birth_date_check_digit", "birth_date") in codes


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "An IBAN of BE has 16 characters; this one has 15."),
        ("fr", "Un IBAN de BE compte 16 caractères ; celui-ci en a 15."),
        ("nl", "Een IBAN van BE telt 16 tekens; deze heeft er 15."),
    ],
)
def test_messages_follow_accept_language(
    first_line: Any, api_for: Any, language: str, message: str
) -> None:
    api = api_for(first_line, language=language)
    body = api.post("/checks/iban", {"value": "BE7109612345676"}).json()
    assert [error["code"] for error in body["errors"]] == ["length"]
    assert body["errors"][0]["message"] == message


def test_german_messages(first_line: Any, api_for: Any) -> None:
    api = api_for(first_line, language="de")
    body = api.post("/checks/iban", {"value": "BE7109612345676"}).json()
    assert body["errors"][0]["message"].startswith("Eine IBAN")


def test_an_unknown_kind_is_a_404_problem_with_a_stable_code(api: Any) -> None:
    response = api.post("/checks/passport", {"value": "X"})
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["code"] == "unknown_check"
    assert "niss, bce, iban, bic, ogm, mrz" in problem["detail"]


@pytest.mark.parametrize(
    ("_case", "body", "field", "code"),
    [
        ("no value", {}, "value", "missing"),
        ("empty value", {"value": ""}, "value", None),
        ("empty list", {"value": []}, "value", None),
        ("a number", {"value": 85073003328}, "value", None),
        ("bad date", {"value": "x", "on": "30/07/1985"}, "on", None),
        (
            "unknown field",
            {"value": "x", "date": "2020-01-01"},
            "date",
            "extra_forbidden",
        ),
    ],
)
def test_a_malformed_body_is_a_422_naming_the_field(
    api: Any, _case: str, body: dict[str, Any], field: str, code: str | None
) -> None:
    response = api.post("/checks/niss", body)
    assert response.status_code == 422
    problem = response.json()
    assert problem["code"] == "invalid"
    assert {
        error["field"].split(".")[0].split("[")[0] for error in problem["errors"]
    } == {field}
    if code:
        assert {error["code"] for error in problem["errors"]} == {code}


def test_body_that_is_not_json_is_a_400(api: Any) -> None:
    response = api.client.post(
        "/api/v1/checks/niss", data="{nope", content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "malformed"


def test_anonymous_callers_get_a_401() -> None:
    response = Client().post(
        "/api/v1/checks/niss", {"value": "85073003328"}, content_type="application/json"
    )
    assert response.status_code == 401


def test_an_agent_who_serves_no_citizen_may_not_run_checks(
    make_agent: Any, api_for: Any
) -> None:
    admin = make_agent("admin", teams=("it",), username="root")
    response = api_for(admin).post("/checks/niss", {"value": "85073003328"})
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"


@pytest.mark.parametrize(
    "role",
    [
        "first_line",
        "second_line",
        "front_office",
        "support_agent",
        "dossier_handler",
        "payment_agent",
        "supervisor",
    ],
)
def test_every_agent_who_serves_citizens_may_run_checks(
    make_agent: Any, api_for: Any, role: str
) -> None:
    agent = make_agent(role, level="D", username=f"agent-{role}")
    response = api_for(agent).post("/checks/niss", {"value": "85073003328"})
    assert response.status_code == 200
    assert response.json()["valid"] is True


def test_declared_in_openapi_with_every_error() -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/checks/{kind}"]["post"]
    assert {"200", "400", "401", "403", "404", "422"} <= set(operation["responses"])
