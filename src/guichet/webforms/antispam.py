"""The anti-spam checks of the public form that need no outside service (pure).

- **Time trap.** The form carries a stamp: the instant it was shown, signed with the
  secret key. A submission sooner than `min_seconds` after it was shown was filled
  in by a program; one older than `max_age` comes from a page left open for hours
  (or a stamp harvested and replayed). A missing or forged stamp is refused too.
- **Honeypot.** A field hidden from people (off-screen, out of the Tab order, named
  for the screen readers as "leave empty") that form-filling programs fill in.
- **Rate limit.** Requests per client address in a fixed window, counted in the
  database (`services.rate_allow`); an IPv6 client is counted by its /64 network,
  which one household or one host usually holds whole.
"""

from __future__ import annotations

import datetime as dt
import ipaddress

from django.core import signing

from .models import RefusalReason

_STAMP_SALT = "guichet.webforms.stamp"


def stamp_make(now: dt.datetime) -> str:
    """The signed stamp of a form shown at `now`."""
    return signing.dumps(int(now.timestamp()), salt=_STAMP_SALT)


def stamp_check(
    stamp: str,
    *,
    now: dt.datetime,
    min_seconds: int,
    max_age: dt.timedelta,
) -> RefusalReason | None:
    """Why a form with this stamp, sent at `now`, is refused; None if it is not."""
    try:
        shown = signing.loads(stamp, salt=_STAMP_SALT)
    except signing.BadSignature:
        return RefusalReason.BAD_STAMP
    if not isinstance(shown, int):
        return RefusalReason.BAD_STAMP
    elapsed = now.timestamp() - shown
    if elapsed < min_seconds:
        return RefusalReason.TOO_FAST
    if elapsed > max_age.total_seconds():
        return RefusalReason.TOO_OLD
    return None


def honeypot_check(value: str) -> RefusalReason | None:
    return RefusalReason.HONEYPOT if value else None


def rate_key(address: str) -> str:
    """What the rate limit counts: an IPv4 address, an IPv6 address's /64 network,
    or (not an address at all) the text itself, cut to fit."""
    try:
        parsed = ipaddress.ip_address(address.strip())
    except ValueError:
        return address.strip()[:64]
    if isinstance(parsed, ipaddress.IPv6Address) and parsed.ipv4_mapped is None:
        return str(ipaddress.IPv6Network(f"{parsed}/64", strict=False))
    if isinstance(parsed, ipaddress.IPv6Address) and parsed.ipv4_mapped is not None:
        return str(parsed.ipv4_mapped)
    return str(parsed)


def window_start(now: dt.datetime, window: dt.timedelta) -> dt.datetime:
    """The start of the fixed window `now` falls in (windows count from the epoch)."""
    seconds = int(window.total_seconds())
    epoch = int(now.timestamp())
    return dt.datetime.fromtimestamp(epoch - epoch % seconds, tz=dt.UTC)
