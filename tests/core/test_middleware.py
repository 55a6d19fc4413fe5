"""Request-wide middleware: headers every response carries."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

from django.test import Client

import pytest

pytestmark = pytest.mark.django_db

DENIED = ("camera", "microphone", "geolocation", "payment", "usb")


@pytest.mark.parametrize(
    ("_case", "path", "logged_in"),
    [
        ("login_page", "/login/", False),
        ("home", "/home/", True),
        ("api", "/api/v1/me", True),
        ("not_found", "/no-such-page/", False),
    ],
)
def test_every_response_denies_powerful_browser_features(
    first_line: Any, _case: str, path: str, logged_in: bool
) -> None:
    client = Client()
    if logged_in:
        client.force_login(first_line)
    response = client.get(path)
    policy = dict(
        item.strip().split("=", 1) for item in response["Permissions-Policy"].split(",")
    )
    for feature in DENIED:
        assert policy[feature] == "()"


def _setting(name: str, **environment: str) -> str:
    result = subprocess.run(  # noqa: S603 - our own settings module, fixed arguments
        [
            sys.executable,
            "-c",
            f"import guichet.settings as s; print(repr(s.{name}))",
        ],
        env={**os.environ, **environment},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def test_hsts_is_off_by_default_for_the_local_demo() -> None:
    assert _setting("SECURE_HSTS_SECONDS") == "0"


def test_hsts_comes_from_the_environment() -> None:
    environment = {
        "GUICHET_HSTS_SECONDS": "31536000",
        "GUICHET_HSTS_INCLUDE_SUBDOMAINS": "true",
        "GUICHET_HSTS_PRELOAD": "true",
    }
    assert _setting("SECURE_HSTS_SECONDS", **environment) == "31536000"
    assert _setting("SECURE_HSTS_INCLUDE_SUBDOMAINS", **environment) == "True"
    assert _setting("SECURE_HSTS_PRELOAD", **environment) == "True"


@pytest.mark.parametrize("seconds", ["-1", "x"])
def test_hsts_refuses_a_bad_duration(seconds: str) -> None:
    with pytest.raises(subprocess.CalledProcessError) as refused:
        _setting("SECURE_HSTS_SECONDS", GUICHET_HSTS_SECONDS=seconds)
    assert "GUICHET_HSTS_SECONDS" in refused.value.stderr
