"""The patterns every screen reuses, through HTTP as the browser uses them.

A list page (the organisations: filters, sorting and pages done by the database),
the confirmation step of a destructive action, flash messages, empty states, the
"you may not do this" page, a 404 that does not tell a missing record from a
forbidden one, and the security headers (CSP, clickjacking, CSRF on htmx
requests, secure cookies outside development).
"""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
import uuid
from typing import Any

from django.conf import settings as django_settings
from django.test import Client

import pytest

from guichet.agents.models import Agent
from guichet.parties import services
from guichet.parties.models import Person, PhoneNumber
from tests.factories import OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def html_of(response: Any) -> str:
    return response.content.decode()


# The list pattern: the organisations.


@pytest.fixture
def organisations(db: Any) -> list[Any]:
    return [
        OrganisationFactory(name=name, language=language)
        for name, language in [
            ("Garage Lambert & Fils SA", "fr"),
            ("Bakkerij Peeters BV", "nl"),
            ("Garage de l'Europe SRL", "fr"),
            ("Autohaus Schmitz GmbH", "de"),
            ("Garage Van Damme BV", "nl"),
        ]
    ]


def names_listed(response: Any) -> list[str]:
    found = re.findall(
        r'<td><a href="/organisations/[0-9a-f-]+/">([^<]+)</a></td>', html_of(response)
    )
    return [html.unescape(name) for name in found]


@pytest.mark.parametrize(
    ("_case", "agent", "status"),
    [
        ("anonymous goes to the login page", None, 302),
        ("an administrator sees no citizen-facing data", "admin", 403),
        ("a first-line agent may", "first_line", 200),
    ],
)
def test_organisation_list_authorization(
    client_for: Any,
    agents: dict[str, Any],
    organisations: list[Any],
    _case: str,
    agent: str | None,
    status: int,
) -> None:
    client = client_for(agents[agent]) if agent else Client()
    response = client.get("/organisations/")
    assert response.status_code == status
    if status == 302:
        assert response["Location"] == "/?next=/organisations/"


def test_organisation_list_filters_sorts_and_pages_in_the_database(
    client_for: Any,
    agents: dict[str, Any],
    organisations: list[Any],
    settings: Any,
    django_assert_num_queries: Any,
) -> None:
    settings.SEARCH_PAGE_SIZE = 2
    client = client_for(agents["first_line"])
    client.get("/organisations/")  # the session is loaded and cached once

    with django_assert_num_queries(5):
        first = client.get(
            "/organisations/", {"name": "garage", "language": "fr", "sort": "-name"}
        )
    assert names_listed(first) == ["Garage Lambert & Fils SA", "Garage de l'Europe SRL"]
    assert 'rel="next"' not in html_of(first)

    page_one = client.get("/organisations/", {"name": "garage", "sort": "name"})
    assert names_listed(page_one) == [
        "Garage de l'Europe SRL",
        "Garage Lambert & Fils SA",
    ]
    assert 'href="?name=garage&amp;sort=name&amp;page=2" rel="next"' in html_of(
        page_one
    )
    page_two = client.get(
        "/organisations/", {"name": "garage", "sort": "name", "page": 2}
    )
    assert names_listed(page_two) == ["Garage Van Damme BV"]
    assert 'rel="prev"' in html_of(page_two)
    assert 'rel="next"' not in html_of(page_two)


def test_a_bad_filter_is_named_next_to_its_field_and_the_others_still_apply(
    client_for: Any, agents: dict[str, Any], organisations: list[Any]
) -> None:
    client = client_for(agents["first_line"])
    response = client.get("/organisations/", {"name": "bakkerij", "sort": "price"})
    page = html_of(response)
    assert response.status_code == 200
    assert '<p class="field-error" id="id_sort_error">' in page
    assert "Select a valid choice. price is not one of the available choices." in page
    assert 'aria-describedby="id_sort_error"' in page
    assert names_listed(response) == ["Bakkerij Peeters BV"]


@pytest.mark.parametrize(
    ("_case", "query", "message"),
    [
        ("nothing registered", {}, "No organisation is registered yet."),
        ("nothing matches", {"name": "zzz"}, "No organisation matches these filters."),
    ],
)
def test_organisation_list_empty_states(
    client_for: Any, agents: dict[str, Any], _case: str, query: Any, message: str
) -> None:
    response = client_for(agents["first_line"]).get("/organisations/", query)
    page = html_of(response)
    assert response.status_code == 200
    assert '<div class="empty-state">' in page
    assert message in page
    assert ("Clear the filters" in page) == bool(query)


def test_search_says_when_nothing_is_found(
    client_for: Any, agents: dict[str, Any]
) -> None:
    response = client_for(agents["first_line"]).get(
        "/search/", {"q": "Zyxwvut"}, HTTP_HX_REQUEST="true"
    )
    assert "No result for “Zyxwvut”." in html_of(response)
    assert "Check the spelling, or search by national number." in html_of(response)


@pytest.mark.parametrize("query", ["Шевченко", "Olena Shevchenko"])
def test_search_finds_a_name_written_in_another_script(
    client_for: Any, agents: dict[str, Any], query: str
) -> None:
    person = PersonFactory(given_names="Олена", surname="Шевченко")
    response = client_for(agents["first_line"]).get(
        "/search/", {"q": query}, HTTP_HX_REQUEST="true"
    )
    assert f"/persons/{person.uuid}/" in html_of(response)


# A destructive action: a confirmation step, then a flash message.


@pytest.fixture
def with_phone(agents: dict[str, Any], person: Person) -> tuple[Person, PhoneNumber]:
    phone = services.person_contact_add(
        actor=agents["first_line"],
        person_id=person.uuid,
        expected_version=person.version,
        phone=services.PhoneInput(number="0471 11 22 33", kind="mobile"),
    )
    # The contact point is returned; the person is read again for its new version.
    assert isinstance(phone, PhoneNumber)
    return Person.objects.get(pk=person.pk), phone


def test_removal_asks_first_then_removes_and_says_so(
    client_for: Any, agents: dict[str, Any], with_phone: Any
) -> None:
    person, phone = with_phone
    client = client_for(agents["first_line"])
    url = f"/persons/{person.uuid}/contact/{phone.uuid}/remove/"

    asked = client.get(url)
    assert asked.status_code == 200
    assert "Remove this contact point?" in html_of(asked)
    assert '<button type="submit" class="danger">Remove</button>' in html_of(asked)
    assert PhoneNumber.objects.filter(pk=phone.pk).exists()

    done = client.post(url, {"version": person.version}, follow=True)
    assert done.redirect_chain == [(f"/persons/{person.uuid}/contact/", 302)]
    flash = re.search(
        r'<div class="flash" role="status">(.*?)</div>', html_of(done), re.DOTALL
    )
    assert flash is not None
    assert re.sub(r"\s+", " ", flash.group(1)).strip() == (
        '<p class="alert success">+32 471 11 22 33 was removed.</p>'
    )
    assert not PhoneNumber.objects.filter(pk=phone.pk).exists()
    # The message is shown once.
    assert "was removed" not in html_of(client.get(f"/persons/{person.uuid}/contact/"))


def test_a_stale_confirmation_removes_nothing_and_shows_the_change(
    client_for: Any, agents: dict[str, Any], with_phone: Any
) -> None:
    person, phone = with_phone
    response = client_for(agents["first_line"]).post(
        f"/persons/{person.uuid}/contact/{phone.uuid}/remove/",
        {"version": person.version - 1},
    )
    assert response.status_code == 409
    assert "Another agent changed this person" in html_of(response)
    assert PhoneNumber.objects.filter(pk=phone.pk).exists()
    assert Person.objects.get(pk=person.pk).version == person.version


# Refusals: the 403 page, and one 404 for missing and forbidden alike.


def test_an_action_above_the_level_gets_the_you_may_not_page_and_changes_nothing(
    client_for: Any, agents: dict[str, Any], person: Person
) -> None:
    client = client_for(agents["level_d"])
    url = f"/persons/{person.uuid}/edit/"
    shown = client.get(url)
    assert shown.status_code == 403
    assert '<h1 id="error-title">You may not do this</h1>' in html_of(shown)
    sent = client.post(
        url,
        {
            "version": person.version,
            "surname": "Changed",
            "initial-surname": person.surname,
        },
    )
    assert sent.status_code == 403
    assert Person.objects.get(pk=person.pk).surname == person.surname


def _without_request_details(response: Any, path: str) -> str:
    """The page without what differs on every request: its path and CSRF tokens."""
    page = html_of(response).replace(path, "PATH")
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "TOKEN", page)
    return re.sub(r'<meta name="csrf-token" content="[^"]+">', "TOKEN", page)


@pytest.mark.parametrize("suffix", ["", "edit/", "history/", "contact/"])
def test_a_confidential_person_looks_exactly_like_a_missing_one(
    client_for: Any, agents: dict[str, Any], confidential: Person, suffix: str
) -> None:
    client = client_for(agents["first_line"])
    hidden_path = f"/persons/{confidential.uuid}/{suffix}"
    missing_path = f"/persons/{uuid.uuid4()}/{suffix}"
    hidden = client.get(hidden_path)
    missing = client.get(missing_path)
    assert hidden.status_code == missing.status_code == 404
    assert "Nothing here" in html_of(hidden)
    assert confidential.surname not in html_of(hidden)
    assert _without_request_details(hidden, hidden_path) == _without_request_details(
        missing, missing_path
    )
    # while an agent of its team does see them
    assert (
        client_for(agents["visas"]).get(f"/persons/{confidential.uuid}/").status_code
        == 200
    )


# Security headers.


@pytest.mark.parametrize(
    ("_case", "path", "agent"),
    [
        ("login page", "/", None),
        ("home", "/home/", "first_line"),
        ("list page", "/organisations/", "first_line"),
        ("404 page", f"/persons/{uuid.UUID(int=1)}/", "first_line"),
    ],
)
def test_every_page_has_a_strict_csp_and_refuses_framing(
    client_for: Any, agents: dict[str, Any], _case: str, path: str, agent: str | None
) -> None:
    client = client_for(agents[agent]) if agent else Client()
    response = client.get(path)
    policy = dict(
        directive.strip().split(" ", 1)
        for directive in response["Content-Security-Policy"].split(";")
        if directive.strip()
    )
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"
    assert "unsafe" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    page = html_of(response)
    # Nothing the CSP would block: no inline script, handler or style.
    assert re.findall(r"<script(?![^>]*\ssrc=)[^>]*>", page) == []
    assert re.findall(r"\son[a-z]+=", page) == []
    assert re.findall(r"\sstyle=", page) == []


def test_htmx_requests_need_the_csrf_header_the_page_gives(
    agents: dict[str, Any],
) -> None:
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(agents["first_line"])
    page = html_of(client.get("/home/"))
    token = re.search(r'<meta name="csrf-token" content="([^"]+)">', page)
    assert token is not None

    refused = client.post(
        "/language/", {"language": "de", "next": "/home/"}, HTTP_HX_REQUEST="true"
    )
    assert refused.status_code == 403
    assert Agent.objects.get(username="first").language == "en"

    accepted = client.post(
        "/language/",
        {"language": "de", "next": "/home/"},
        HTTP_HX_REQUEST="true",
        HTTP_X_CSRFTOKEN=token.group(1),
    )
    assert accepted.status_code == 302
    assert Agent.objects.get(username="first").language == "de"


def _settings_with(environment: dict[str, str]) -> list[str]:
    """Cookie settings as a fresh process computes them from `environment`."""
    code = (
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SESSION_COOKIE_HTTPONLY, s.CSRF_COOKIE_HTTPONLY)"
    )
    keep = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("GUICHET_", "DJANGO_"))
    }
    result = subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, "-c", code],
        env={**keep, "DJANGO_SETTINGS_MODULE": "guichet.settings", **environment},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.split()


@pytest.mark.parametrize(
    ("_case", "environment", "secure"),
    [
        (
            "production",
            {
                "GUICHET_DEBUG": "false",
                "GUICHET_SECRET_KEY": "k" * 40,
                "GUICHET_ALLOWED_HOSTS": "guichet.example",
                "GUICHET_AUDIT_KEYS": "2026=" + "a" * 32,
            },
            "True",
        ),
        ("development", {"GUICHET_DEBUG": "true"}, "False"),
    ],
)
def test_cookies_are_secure_unless_in_development(
    _case: str, environment: dict[str, str], secure: str
) -> None:
    assert _settings_with(environment) == [secure, secure, "True", "True"]


def test_secure_settings_mark_every_cookie_secure(
    agents: dict[str, Any], settings: Any
) -> None:
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    login = client.post("/", {"username": "first", "password": "correct horse battery"})
    assert login.status_code == 302
    switched = client.post("/language/", {"language": "nl", "next": "/home/"})
    cookies = {**login.cookies, **switched.cookies}
    for name in (
        django_settings.SESSION_COOKIE_NAME,
        django_settings.CSRF_COOKIE_NAME,
        django_settings.LANGUAGE_COOKIE_NAME,
    ):
        assert cookies[name]["secure"] is True, name
        assert cookies[name]["httponly"] is True, name
