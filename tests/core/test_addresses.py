"""The client's address behind reverse proxies (core/addresses.py)."""

from __future__ import annotations

import ipaddress
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from guichet.core.addresses import client_address, proxy_networks

PROXIES = proxy_networks("10.1.0.0/24, fd00::/8, 192.168.5.5")


@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        # Not from a proxy: the connection's address, the header ignored.
        ("203.0.113.9", "198.51.100.1", "203.0.113.9"),
        # From a proxy: the address it appended (right-most).
        ("10.1.0.1", "198.51.100.1", "198.51.100.1"),
        # Whatever the client wrote on the left is not believed.
        ("10.1.0.1", "1.2.3.4, 198.51.100.1", "198.51.100.1"),
        # Two of our proxies in a row: skipped both.
        ("10.1.0.1", "198.51.100.1, 192.168.5.5", "198.51.100.1"),
        ("fd00::1", "2001:db8::7", "2001:db8::7"),
        # A malformed entry ends the walk: the last proxy's address is kept.
        ("10.1.0.1", "198.51.100.1, not-an-address", "10.1.0.1"),
        ("10.1.0.1", "198.51.100.1, 192.168.5.5, ", "10.1.0.1"),
        # No header at all: the proxy itself.
        ("10.1.0.1", "", "10.1.0.1"),
        # Only proxies in the header: the left-most of them.
        ("10.1.0.1", "10.1.0.7, 192.168.5.5", "10.1.0.7"),
    ],
)
def test_the_client_address(remote: str, forwarded: str, expected: str) -> None:
    assert client_address(remote, forwarded, PROXIES) == expected


def test_a_bad_proxy_setting_names_the_entry() -> None:
    with pytest.raises(ValueError, match=re.escape("'10.0.0.300'")):
        proxy_networks("10.0.0.1, 10.0.0.300")
    assert proxy_networks(" , ") == ()


addresses = st.ip_addresses(v=4).map(str)


def _trusted(address: str) -> bool:
    return any(ipaddress.ip_address(address) in net for net in PROXIES)


@given(remote=addresses, chain=st.lists(addresses, max_size=5))
def test_the_answer_is_the_first_address_that_is_not_ours_from_the_right(
    remote: str, chain: list[str]
) -> None:
    """A client outside our proxies is its own connection; behind them, the answer
    is an entry of the header with only our proxies to its right, and it is one of
    our proxies only when the whole header is."""
    answer = client_address(remote, ", ".join(chain), PROXIES)
    if not _trusted(remote):
        assert answer == remote
        return
    assert answer == remote or answer in chain
    if answer != remote or chain:
        assert any(
            entry == answer and all(_trusted(a) for a in chain[k + 1 :])
            for k, entry in enumerate(chain)
        )
    if _trusted(answer):
        assert all(_trusted(a) for a in chain)


addresses_in_proxy = st.integers(0, 255).map(lambda n: f"10.1.0.{n}")


@given(
    client=addresses.filter(lambda a: not _trusted(a)),
    forged=st.lists(addresses, max_size=3),
    hops=st.lists(addresses_in_proxy, max_size=3),
)
def test_a_client_behind_our_proxies_is_found_whatever_it_forged(
    client: str, forged: list[str], hops: list[str]
) -> None:
    header = ", ".join([*forged, client, *hops])
    assert client_address("10.1.0.1", header, PROXIES) == client
