"""Deterministic identifiers of a run's transfers and files. Pure.

A transfer's end-to-end id is made from its unique key (month, beneficiary,
entitlement, payee), so the same payment always carries the same id and a bank
can refuse a duplicate; a file's message id from the payment office, the month and
the file's number in the run. Both stay within SEPA's 35 characters and its
restricted character set (letters, digits, "-").
"""

from __future__ import annotations

_DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def base36(number: int) -> str:
    if number < 0:
        raise ValueError("a key is never negative")
    text = ""
    while True:
        number, digit = divmod(number, 36)
        text = _DIGITS[digit] + text
        if number == 0:
            return text


def end_to_end_id(
    *, month: str, beneficiary: int, entitlement: int, debt: int | None
) -> str:
    """`P` YYYYMM `-` beneficiary `-` entitlement `-` (`N` net | `D` debt), base 36."""
    payee = "N" if debt is None else "D" + base36(debt)
    text = (
        f"P{month.replace('-', '')}-{base36(beneficiary)}-{base36(entitlement)}-{payee}"
    )
    if len(text) > 35:  # pragma: no cover - needs ids beyond 36**8
        raise ValueError("end-to-end id longer than 35 characters")
    return text


def message_id(*, team: int, month: str, sequence: int) -> str:
    """`GUICHET-T` office `-` YYYYMM `-` file number (from 1)."""
    return f"GUICHET-T{base36(team)}-{month.replace('-', '')}-{sequence + 1:05d}"


def retry_end_to_end_id(first: str, *, attempt: int) -> str:
    """A transfer paid again: the first attempt's id, `-` and the attempt number
    (base 36), so a bank never sees the rejected id twice."""
    if attempt < 2:
        raise ValueError("a retry is the second attempt or a later one")
    text = f"{first}-{base36(attempt)}"
    if len(text) > 35:  # pragma: no cover - needs ids beyond 36**7
        raise ValueError("end-to-end id longer than 35 characters")
    return text


def retry_message_id(*, team: int, month: str, number: int) -> str:
    """A run's file of payments made again: `GUICHET-T` office `-` YYYYMM `-R` and
    the retry file's number in the run (from 1)."""
    return f"GUICHET-T{base36(team)}-{month.replace('-', '')}-R{number:04d}"
