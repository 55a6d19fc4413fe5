"""The "check a document or number" tool, through HTTP."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.test import Client

import pytest

from guichet.audit.models import AuditEvent
from tests.checks.test_mrz import TD1, TD3, altered

pytestmark = pytest.mark.django_db

TOOL = "/checks/"


def _text(response: Any) -> str:
    """The page as a reader sees it: tags removed, spaces collapsed."""
    html = response.content.decode()
    html = re.sub(r"<[^>]+>", " ", html).replace("\xa0", " ")
    return " ".join(html.split())


def _check(client: Client, kind: str, value: str, on: str = "") -> Any:
    return client.post(TOOL, {"kind": kind, "value": value, "on": on})


def test_shows_the_empty_form_with_every_kind(
    client_for: Callable[[Any], Client], first_line: Any
) -> None:
    response = client_for(first_line).get(TOOL)
    assert response.status_code == 200
    choices = [
        value for value, _label in response.context["form"].fields["kind"].choices
    ]
    assert choices == ["niss", "bce", "iban", "bic", "ogm", "mrz"]
    assert response.context["result"] is None
    assert 'name="csrfmiddlewaretoken"' in response.content.decode()
    assert "<textarea" in response.content.decode()


def test_reads_a_passport_zone_pasted_line_by_line(
    client_for: Callable[[Any], Client], first_line: Any
) -> None:
    response = _check(client_for(first_line), "mrz", "\r\n".join(TD3), "2010-01-01")
    assert response.status_code == 200
    result = response.context["result"]
    assert result.valid is True
    fields = {field.name: field.value for field in result.fields}
    assert fields["surname"] == "ERIKSSON"
    assert fields["given_names"] == "ANNA MARIA"
    assert fields["birth_date"] == "12/08/1974"
    assert fields["expiry_date"] == "15/04/2012"
    assert fields["expired"] == "no"
    assert fields["sex"] == "female"
    text = _text(response)
    assert "Valid" in text
    assert "Surname ERIKSSON" in text
    assert "Expiry date 15/04/2012" in text


def test_the_reference_date_decides_expiry_and_defaults_to_today(
    client_for: Callable[[Any], Client], first_line: Any
) -> None:
    client = client_for(first_line)
    response = _check(client, "mrz", "\n".join(TD1))
    fields = {field.name: field.value for field in response.context["result"].fields}
    assert fields["expired"] == "yes"
    warnings = [problem.code for problem in response.context["result"].warnings]
    assert "expired" in warnings


def test_an_altered_zone_shows_each_error_with_its_field(
    client_for: Callable[[Any], Client], first_line: Any
) -> None:
    response = _check(
        client_for(first_line), "mrz", "\n".join(altered(TD3, 2, 17, "9")), "2010-01-01"
    )
    assert response.status_code == 200
    result = response.context["result"]
    assert result.valid is False
    errors = {(problem.code, problem.field) for problem in result.errors}
    assert ("birth_date_check_digit", "Birth date") in errors
    text = _text(response)
    assert "Not valid" in text
    assert "What is wrong" in text


def test_an_iban_with_a_typo(
    client_for: Callable[[Any], Client], first_line: Any
) -> None:
    response = _check(client_for(first_line), "iban", "BE71 0961 2345 6768")
    result = response.context["result"]
    assert result.valid is False
    assert [problem.code for problem in result.errors] == [
        "checksum",
        "account_checksum",
    ]
    assert result.normalized == "BE71096123456768"


def test_a_valid_national_number_shows_what_it_says(
    client_for: Callable[[Any], Client], first_line: Any
) -> None:
    response = _check(client_for(first_line), "niss", "85.07.30-033.28")
    fields = {field.name: field.value for field in response.context["result"].fields}
    assert fields["birth_date"] == "30/07/1985"
    assert fields["sex"] == "male"
    assert fields["type"] == "national register number"


def test_messages_and_labels_are_in_the_agents_language(
    make_agent: Callable[..., Any],
) -> None:
    agent = make_agent("front_office", username="nl.desk", language="nl")
    client = Client(HTTP_ACCEPT_LANGUAGE="nl")
    client.force_login(agent)
    response = _check(client, "iban", "BE7109612345676")
    result = response.context["result"]
    assert [problem.message for problem in result.errors] == [
        "Een IBAN van BE telt 16 tekens; deze heeft er 15."
    ]
    assert "Niet geldig" in _text(response)


@pytest.mark.parametrize(
    ("_case", "data", "field"),
    [
        ("no value", {"kind": "niss", "value": ""}, "value"),
        ("unknown kind", {"kind": "dna", "value": "x"}, "kind"),
        ("bad date", {"kind": "mrz", "value": "x", "on": "31/02/2020"}, "on"),
    ],
)
def test_bad_input_is_shown_next_to_its_field(
    client_for: Callable[[Any], Client],
    first_line: Any,
    _case: str,
    data: dict[str, str],
    field: str,
) -> None:
    response = client_for(first_line).post(TOOL, data)
    assert response.status_code == 422
    assert list(response.context["form"].errors) == [field]
    assert response.context["result"] is None
    assert 'class="field-error"' in response.content.decode()


def test_nothing_is_saved_or_logged(
    client_for: Callable[[Any], Client], first_line: Any
) -> None:
    _check(client_for(first_line), "niss", "85073003328")
    assert AuditEvent.objects.count() == 0


def test_the_section_is_in_the_navigation_of_agents_who_serve_citizens(
    client_for: Callable[[Any], Client], first_line: Any, make_agent: Any
) -> None:
    assert 'href="/checks/"' in client_for(first_line).get("/home/").content.decode()
    admin = make_agent("admin", teams=("it",), username="root")
    assert 'href="/checks/"' not in client_for(admin).get("/home/").content.decode()


def test_authorization(client_for: Callable[[Any], Client], make_agent: Any) -> None:
    anonymous = Client().get(TOOL)
    assert anonymous.status_code == 302
    assert anonymous["Location"] == "/?next=/checks/"
    admin = make_agent("admin", teams=("it",), username="root")
    assert client_for(admin).get(TOOL).status_code == 403
    assert _check(client_for(admin), "niss", "85073003328").status_code == 403


def test_shows_problems_in_words_without_internal_codes(
    client_for: Callable[[Any], Client], first_line: Any
) -> None:
    # given a zone with a mistyped check digit, and a specimen warning
    response = _check(
        client_for(first_line), "mrz", "\r\n".join(altered(TD3, 2, 20, "3"))
    )
    result = response.context["result"]
    codes = {problem.code for problem in (*result.errors, *result.warnings)}
    assert "birth_date_check_digit" in codes
    # then the page says what is wrong in words, never the codes
    text = _text(response)
    assert "the check digit" in text
    for code in codes - {"specimen", "expired"}:  # these two are words as well
        assert code not in text
