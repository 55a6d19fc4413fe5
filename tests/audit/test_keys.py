"""The audit keys: where they come from, which one signs, what production refuses."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

import pytest

from guichet.audit import keys

SECRET_A = "a" * 32
SECRET_B = "b" * 40


def test_the_last_key_signs_and_every_key_verifies() -> None:
    found = keys.configured(
        keys=f"2025=  {SECRET_A} , 2026={SECRET_B}", key_file="", debug=False
    )
    assert [key.id for key in found] == ["2025", "2026"]
    assert keys.signing_key(found) == keys.AuditKey("2026", SECRET_B.encode())
    assert set(keys.by_id(found)) == {"2025", "2026"}


def test_a_key_file_lists_one_key_per_line(tmp_path: Path) -> None:
    path = tmp_path / "audit-keys"
    path.write_text(f"# rotated yearly\n2025={SECRET_A}\n\n2026={SECRET_B}  # new\n")
    found = keys.configured(keys="", key_file=str(path), debug=False)
    assert [(key.id, key.secret) for key in found] == [
        ("2025", SECRET_A.encode()),
        ("2026", SECRET_B.encode()),
    ]


def test_development_falls_back_to_the_public_key() -> None:
    assert keys.configured(keys="", key_file="", debug=True) == (keys.DEVELOPMENT_KEY,)


def test_the_secret_is_not_shown() -> None:
    assert SECRET_A not in repr(keys.AuditKey("k", SECRET_A.encode()))


@pytest.mark.parametrize(
    ("_case", "value", "key_file", "message"),
    [
        ("none in production", "", "", "must give the audit trail a key"),
        ("both", f"k={SECRET_A}", "/x", "not both"),
        ("no equals sign", SECRET_A, "", "item 1 is not id=secret"),
        ("bad id", f"a b={SECRET_A}", "", "item 1 is not id=secret"),
        ("short", "k=short", "", "shorter than 32 characters"),
        ("twice", f"k={SECRET_A},k={SECRET_B}", "", "listed twice"),
        (
            "public key",
            f"dev={keys.DEVELOPMENT_KEY.secret.decode()}",
            "",
            "development audit key is public",
        ),
        ("missing file", "", "/nonexistent/audit-keys", "GUICHET_AUDIT_KEY_FILE"),
    ],
)
def test_refuses_what_production_must_not_run_with(
    _case: str, value: str, key_file: str, message: str
) -> None:
    with pytest.raises(ImproperlyConfigured, match=message):
        keys.configured(keys=value, key_file=key_file, debug=False)
