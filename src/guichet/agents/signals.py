"""Reactions of the agents app to login events (connected in `AgentsConfig.ready`)."""

from __future__ import annotations

from typing import Any

from .services import login_lock_out_record


def record_lock_out(
    sender: Any, *, username: str | None, ip_address: str | None, **kwargs: Any
) -> None:
    """django-axes locked a username or an address out: write it to the audit trail."""
    login_lock_out_record(username=username or "", address=ip_address)
