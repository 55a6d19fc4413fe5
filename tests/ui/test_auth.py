"""Logging in and out, and the language switch (remembered per agent)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.test import Client

import pytest

from guichet.agents.models import Agent

pytestmark = pytest.mark.django_db


def test_login_page_follows_the_browser_language_and_offers_four() -> None:
    response = Client(HTTP_ACCEPT_LANGUAGE="nl-BE,nl;q=0.9").get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="nl">' in html
    for code in ("fr", "nl", "de", "en"):
        assert f'name="language" value="{code}"' in html


def test_logs_in_and_lands_on_home_with_name_team_and_level(
    agents: dict[str, Any],
) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    response = client.post(
        "/", {"username": "first", "password": "correct horse battery"}, follow=True
    )
    assert response.redirect_chain == [("/home/", 302)]
    html = response.content.decode()
    agent = agents["first_line"]
    assert agent.get_full_name() in html
    assert "Cc Fr" in html
    assert "Level C" in html


def test_a_wrong_password_says_so_and_stays_on_the_login_page(
    agents: dict[str, Any],
) -> None:
    response = Client(HTTP_ACCEPT_LANGUAGE="en").post(
        "/", {"username": "first", "password": "wrong"}
    )
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()


def test_logout_needs_a_post_and_ends_the_session(
    client_for: Any, agents: dict[str, Any]
) -> None:
    client = client_for(agents["first_line"])
    assert client.get("/logout/").status_code == 405
    assert client.post("/logout/").status_code == 302
    assert client.get("/home/").status_code == 302


def test_language_switch_is_remembered_in_the_agent_profile(
    client_for: Any, agents: dict[str, Any]
) -> None:
    client = client_for(agents["first_line"])
    response = client.post("/language/", {"language": "de", "next": "/search/"})
    assert response.status_code == 302
    assert response["Location"] == "/search/"
    assert Agent.objects.get(username="first").language == "de"
    assert '<html lang="de">' in client.get("/home/").content.decode()


def test_language_switch_refuses_an_unknown_language_and_an_outside_target(
    client_for: Any, agents: dict[str, Any]
) -> None:
    client = client_for(agents["first_line"])
    assert client.post("/language/", {"language": "xx"}).status_code == 400
    assert Agent.objects.get(username="first").language == "en"
    response = client.post(
        "/language/", {"language": "nl", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/home/"


def test_language_switch_before_login_sets_a_cookie() -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    response = client.post("/language/", {"language": "fr", "next": "/"})
    assert response["Location"] == "/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    assert '<html lang="fr">' in client.get("/").content.decode()
