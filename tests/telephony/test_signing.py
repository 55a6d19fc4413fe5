"""The signature of a call event: what it covers, the time window, rotation."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from guichet.telephony.signing import Refusal, check, sign

SECRET = "s" * 32
OTHER = "o" * 32
NOW = 1_796_460_000


def _check(
    *,
    timestamp: str | None = str(NOW),
    signature: str | None = None,
    body: bytes = b'{"event":"ringing"}',
    secrets: tuple[str, ...] = (SECRET,),
    now: float = NOW,
    tolerance: int = 300,
) -> Refusal | None:
    if signature is None and timestamp is not None:
        signature = sign(SECRET, timestamp, body)
    return check(
        secrets=secrets,
        timestamp=timestamp,
        signature=signature,
        body=body,
        now=now,
        tolerance=tolerance,
    )


def test_a_signed_request_in_time_passes() -> None:
    assert _check() is None


def test_the_worked_example_of_the_documentation() -> None:
    """docs/telephony.md computes this signature by hand: keep them in step."""
    body = (
        b'{"event_id":"pbx-7f3a-2","call_id":"pbx-7f3a","event":"answered",'
        b'"caller":"+32470123456","agent":"first.nl","at":"2026-12-05T09:30:00+01:00"}'
    )
    assert sign("0123456789abcdef0123456789abcdef", "1796459400", body) == (
        "sha256=" + EXAMPLE_HEX
    )


EXAMPLE_HEX = "bf04f22c9fa5af3e5882c044615ecdfd09465d0179cf680dd3c4bf2e70ab3622"


@given(body=st.binary(max_size=200), other=st.binary(max_size=200))
def test_any_change_of_the_body_breaks_the_signature(body: bytes, other: bytes) -> None:
    signature = sign(SECRET, str(NOW), body)
    refusal = _check(body=other, signature=signature)
    assert (refusal is None) == (body == other)


@given(shift=st.integers(min_value=-300, max_value=300).filter(bool))
def test_any_change_of_the_timestamp_breaks_the_signature(shift: int) -> None:
    signature = sign(SECRET, str(NOW), b"{}")
    assert (
        _check(timestamp=str(NOW + shift), signature=signature, body=b"{}")
        == Refusal.BAD_SIGNATURE
    )


@given(secret=st.text(min_size=1, max_size=64).filter(lambda s: s != SECRET))
def test_another_secret_does_not_sign(secret: str) -> None:
    signature = sign(secret, str(NOW), b"{}")
    assert _check(signature=signature, body=b"{}") == Refusal.BAD_SIGNATURE


def test_the_window_is_inclusive_both_ways() -> None:
    for shift in (-300, 300):
        assert _check(now=NOW + shift) is None
    for shift in (-301, 301):
        assert _check(now=NOW + shift) == Refusal.OUTSIDE_WINDOW


def test_a_stale_request_is_refused_even_correctly_signed() -> None:
    old = str(NOW - 3600)
    assert _check(timestamp=old, now=NOW) == Refusal.OUTSIDE_WINDOW


def test_missing_or_malformed_headers() -> None:
    assert _check(timestamp=None, signature="sha256=00") == Refusal.MISSING
    assert _check(signature="") == Refusal.MISSING
    for bad in ("-1", "1.5", "12e3", "١٢٣", "9" * 13):
        assert _check(timestamp=bad, signature="sha256=00") == Refusal.BAD_TIMESTAMP


def test_no_secret_configured_refuses_everything() -> None:
    assert _check(secrets=()) == Refusal.NOT_CONFIGURED


def test_rotation_every_secret_verifies() -> None:
    body = b"{}"
    assert _check(body=body, secrets=(OTHER, SECRET)) is None
    assert _check(body=body, secrets=(OTHER,)) == Refusal.BAD_SIGNATURE


def test_the_signature_is_compared_whole() -> None:
    good = sign(SECRET, str(NOW), b"{}")
    for forged in (good[:-1], good + "0", good.upper(), good.replace("sha256=", "")):
        assert _check(signature=forged, body=b"{}") == Refusal.BAD_SIGNATURE
    assert _check(signature=f"  {good} ", body=b"{}") is None
