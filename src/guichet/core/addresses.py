"""The client's address behind reverse proxies: pure, read by the settings and by
`ClientAddressMiddleware`.

A proxy appends the address it received the connection from to `X-Forwarded-For`;
anything to the left of that may have been written by the client itself. So the
header is read from the right, skipping our own proxies, and the first address that
is not one of them is the client's. A malformed entry ends the walk: nothing left of
it can be trusted, and the last proxy's address is kept.
"""

from __future__ import annotations

import ipaddress

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def proxy_networks(raw: str) -> tuple[Network, ...]:
    """`"10.0.0.5, 192.168.0.0/24"` -> the networks; a bad entry raises ValueError
    naming it."""
    networks = []
    for item in raw.split(","):
        item = item.strip()
        if not item:
            continue
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise ValueError(
                f"{item!r} is not an address or a network (such as 10.0.0.0/8)"
            ) from None
    return tuple(networks)


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def client_address(
    remote: str, forwarded_for: str, trusted: tuple[Network, ...]
) -> str:
    """The client's address: `remote` unless it is a trusted proxy, then the
    right-most address of `forwarded_for` that is not one."""
    current = _address(remote)
    if current is None or not any(current in net for net in trusted):
        return remote
    for entry in reversed(forwarded_for.split(",")):
        address = _address(entry)
        if address is None:
            break
        current = address
        if not any(address in net for net in trusted):
            break
    return str(current)
