from __future__ import annotations

import datetime as dt

from django.core import signing

import pytest
from hypothesis import given
from hypothesis import strategies as st

from guichet.webforms import antispam
from guichet.webforms.models import RefusalReason

NOW = dt.datetime(2026, 12, 5, 10, 0, tzinfo=dt.UTC)
MAX_AGE = dt.timedelta(minutes=240)


def _check(shown: dt.datetime) -> RefusalReason | None:
    return antispam.stamp_check(
        antispam.stamp_make(shown), now=NOW, min_seconds=3, max_age=MAX_AGE
    )


@pytest.mark.parametrize(
    ("_case", "seconds_before", "expected"),
    [
        ("at once", 0, RefusalReason.TOO_FAST),
        ("one second short", 2, RefusalReason.TOO_FAST),
        ("exactly the minimum", 3, None),
        ("a while", 600, None),
        ("exactly the maximum age", 240 * 60, None),
        ("one second too old", 240 * 60 + 1, RefusalReason.TOO_OLD),
        ("shown in the future", -60, RefusalReason.TOO_FAST),
    ],
)
def test_time_trap_edges(
    _case: str, seconds_before: int, expected: RefusalReason | None
) -> None:
    assert _check(NOW - dt.timedelta(seconds=seconds_before)) == expected


@pytest.mark.parametrize(
    ("_case", "stamp"),
    [
        ("missing", ""),
        ("garbage", "not-a-stamp"),
        ("another salt", signing.dumps(int(NOW.timestamp()) - 60, salt="other")),
        ("not a number", signing.dumps("x", salt="guichet.webforms.stamp")),
    ],
)
def test_a_missing_or_forged_stamp_is_refused(_case: str, stamp: str) -> None:
    assert (
        antispam.stamp_check(stamp, now=NOW, min_seconds=3, max_age=MAX_AGE)
        == RefusalReason.BAD_STAMP
    )


def test_an_edited_stamp_is_refused() -> None:
    stamp = antispam.stamp_make(NOW - dt.timedelta(minutes=5))
    value, _sep, signature = stamp.rpartition(":")
    forged = antispam.stamp_make(NOW - dt.timedelta(minutes=6)).rpartition(":")[0]
    assert (
        antispam.stamp_check(
            f"{forged}:{signature}", now=NOW, min_seconds=3, max_age=MAX_AGE
        )
        == RefusalReason.BAD_STAMP
    )
    assert value != forged


def test_the_honeypot_refuses_any_text() -> None:
    assert antispam.honeypot_check("") is None
    assert antispam.honeypot_check("http://spam.example") == RefusalReason.HONEYPOT
    assert antispam.honeypot_check(" ") == RefusalReason.HONEYPOT


@pytest.mark.parametrize(
    ("address", "key"),
    [
        ("192.0.2.7", "192.0.2.7"),
        ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64"),
        ("::ffff:192.0.2.7", "192.0.2.7"),
        ("", ""),
        ("not an address", "not an address"),
    ],
)
def test_rate_key_counts_an_ipv6_client_by_its_64(address: str, key: str) -> None:
    assert antispam.rate_key(address) == key


@given(
    st.datetimes(
        min_value=dt.datetime(2000, 1, 1),  # noqa: DTZ001 - hypothesis wants naive bounds
        max_value=dt.datetime(2100, 1, 1),  # noqa: DTZ001
        timezones=st.just(dt.UTC),
    ),
    st.sampled_from([60, 3600, 86400]),
)
def test_a_window_starts_at_most_one_window_before_now(
    now: dt.datetime, seconds: int
) -> None:
    window = dt.timedelta(seconds=seconds)
    start = antispam.window_start(now, window)
    assert start <= now < start + window
    assert (
        antispam.window_start(start + window - dt.timedelta(microseconds=1), window)
        == start
    )
