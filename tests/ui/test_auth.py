"""Logging in and out, and the language switch (remembered per agent)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.test import Client

import pytest

from guichet.agents.models import Agent
from guichet.core.addresses import proxy_networks

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


def _attempt(
    password: str, *, address: str = "10.0.0.1", username: str = "first"
) -> Any:
    return Client(HTTP_ACCEPT_LANGUAGE="en", REMOTE_ADDR=address).post(
        "/", {"username": username, "password": password}
    )


def test_an_account_is_locked_after_too_many_wrong_passwords(
    agents: dict[str, Any],
) -> None:
    from guichet.audit.models import AuditEvent

    for number in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _attempt("wrong", address=f"10.0.0.{number + 1}").status_code == 200
    # The last wrong password allowed locks the account out, and says so.
    assert _attempt("wrong", address="10.0.0.99").status_code == 429
    # The right password, from yet another address: the account is locked.
    response = _attempt("correct horse battery", address="10.0.1.1")
    assert response.status_code == 429
    html = response.content.decode()
    assert 'role="alert"' in html
    assert "Too many failed attempts" in html
    assert "_auth_user_id" not in response.client.session
    # One audit row for the lock-out, not one per refused attempt.
    event = AuditEvent.objects.get(action="login.locked_out")
    assert event.summary["username"] == "first"
    assert event.object_id == str(agents["first_line"].uuid)


def test_an_address_is_locked_after_too_many_wrong_passwords(
    agents: dict[str, Any],
) -> None:
    for number in range(settings.AXES_FAILURE_LIMIT):
        _attempt("wrong", username=f"nobody{number}")
    # Another account, right password, same address: the address is locked.
    response = _attempt("correct horse battery")
    assert response.status_code == 429
    # Another address still logs in.
    assert _attempt("correct horse battery", address="10.9.9.9").status_code == 302


def test_the_lock_out_message_is_translated(agents: dict[str, Any]) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _attempt("wrong")
    response = Client(HTTP_ACCEPT_LANGUAGE="fr", REMOTE_ADDR="10.0.0.1").post(
        "/", {"username": "first", "password": "correct horse battery"}
    )
    assert response.status_code == 429
    assert "Trop de tentatives" in response.content.decode()


def test_a_right_password_before_the_limit_clears_the_failures(
    agents: dict[str, Any],
) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _attempt("wrong")
    assert _attempt("correct horse battery").status_code == 302
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _attempt("wrong")
    assert _attempt("correct horse battery").status_code == 302


def test_behind_a_trusted_proxy_the_client_address_is_locked_not_the_proxy(
    agents: dict[str, Any], settings: Any
) -> None:
    """Every agent comes through the proxy at 10.1.0.1: five wrong passwords from one
    client must not lock the others out, and a client cannot pick its address by
    writing the header itself (only the proxy's right-most entry counts)."""
    settings.TRUSTED_PROXIES = proxy_networks("10.1.0.0/24")

    def through_proxy(password: str, forwarded: str, username: str) -> Any:
        return Client(
            HTTP_ACCEPT_LANGUAGE="en",
            REMOTE_ADDR="10.1.0.1",
            HTTP_X_FORWARDED_FOR=forwarded,
        ).post("/", {"username": username, "password": password})

    for number in range(settings.AXES_FAILURE_LIMIT):
        # The client also writes a forged address first: it is not believed.
        through_proxy("wrong", f"10.9.9.{number}, 192.0.2.7", f"nobody{number}")
    # The client at 192.0.2.7 is locked out, even naming another address itself.
    locked = through_proxy("correct horse battery", "10.9.9.9, 192.0.2.7", "first")
    assert locked.status_code == 429
    # Another agent behind the same proxy still logs in.
    assert (
        through_proxy("correct horse battery", "192.0.2.8", "first").status_code == 302
    )


def test_without_trusted_proxies_the_forwarded_header_is_ignored(
    agents: dict[str, Any],
) -> None:
    for number in range(settings.AXES_FAILURE_LIMIT):
        Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=f"192.0.2.{number}").post(
            "/", {"username": f"nobody{number}", "password": "wrong"}
        )
    # One connection address, whatever the header said: locked.
    assert _attempt("correct horse battery").status_code == 429
