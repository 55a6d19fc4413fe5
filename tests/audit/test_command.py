"""`guichet audit seal|checkpoint|verify`, and each attack verify must reveal."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from django.db import connection

import pytest

from guichet.audit import chain as chain_math
from guichet.audit.database import flushing
from guichet.audit.keys import DEVELOPMENT_KEY, AuditKey
from guichet.audit.models import AuditEvent, AuditPending, AuditSeal, ChainHead
from guichet.audit.services import audit_record, chain_seal
from guichet.audit.verification import EVENT_FIELDS, event_row
from tests.factories import AgentFactory, PersonFactory

pytestmark = pytest.mark.django_db

KEY = AuditKey(id="2026", secret=b"k" * 40)


@pytest.fixture(autouse=True)
def _production_key(settings: Any) -> None:
    """A secret key, as production has: the attacker only knows the public one."""
    settings.AUDIT_KEYS = (KEY,)


def _events(count: int = 4) -> list[AuditEvent]:
    actor = AgentFactory()
    person = PersonFactory()
    return [
        audit_record(actor=actor, action="person.update", obj=person, reason=f"r{i}")
        for i in range(count)
    ]


def _tamper(sql: str, params: list[Any]) -> None:
    """Change rows as someone with database access would, bypassing the application
    and the triggers (a superuser can switch triggers off for the session)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
            cursor.execute(sql, params)
            cursor.execute("SET session_replication_role = DEFAULT")
        else:
            with flushing():
                cursor.execute(sql, params)


def _verify(cli: Any, *args: str) -> tuple[int, dict[str, Any]]:
    code, out, _ = cli("audit", "verify", "--json", *args)
    return code, json.loads(out)


def test_verify_seals_then_reports_an_intact_trail(cli: Any) -> None:
    _events(3)
    code, out, _ = cli("audit", "verify")
    assert code == 0
    assert out.splitlines() == [
        "chain changes: 3 rows sealed, intact",
        "chain access: 0 rows sealed, intact",
    ]
    code, report = _verify(cli)
    assert (code, report["intact"], report["pending"], report["breaks"]) == (
        0,
        True,
        0,
        [],
    )
    assert report["chains"][0] == {
        "chain": "changes",
        "rows": 3,
        "head_seq": 3,
        "intact": True,
    }


def test_seal_command_seals_what_is_queued(cli: Any) -> None:
    _events(2)
    assert cli("audit", "seal") == (0, "Sealed 2 rows.\n", "")
    code, out, _ = cli("audit", "seal", "--json")
    assert (code, json.loads(out)) == (0, {"sealed": 0})


def test_an_in_place_change_is_named(cli: Any) -> None:
    events = _events()
    chain_seal()
    _tamper(
        "UPDATE audit_auditevent SET reason = %s WHERE id = %s",
        ["rewritten", events[1].pk],
    )
    code, report = _verify(cli)
    assert (code, report["intact"]) == (1, False)
    assert report["breaks"] == [
        {"chain": "changes", "seq": 2, "row_id": events[1].pk, "problem": "altered"}
    ]
    code, _, err = cli("audit", "verify")
    assert code == 1
    assert err.endswith(
        f"Chain 'changes' is broken at row id {events[1].pk}, sequence number 2: "
        "the row's content does not match its MAC (altered).\n"
    )
    assert "Traceback" not in err


def test_a_change_before_the_seal_is_named_too(cli: Any) -> None:
    events = _events()
    _tamper(
        "UPDATE audit_auditevent SET actor_label = %s WHERE id = %s",
        ["someone", events[3].pk],
    )
    code, report = _verify(cli)
    assert code == 1
    assert report["breaks"] == [
        {"chain": "changes", "seq": 4, "row_id": events[3].pk, "problem": "altered"}
    ]


def test_a_rewrite_with_the_projects_code_but_without_the_key_is_named(
    cli: Any,
) -> None:
    """Every MAC and link recomputed with the project's own functions, under the
    real key's id, with the only key the attacker has (the public one)."""
    events = _events()
    chain_seal()
    forged_key = AuditKey(id=KEY.id, secret=DEVELOPMENT_KEY.secret)
    link = chain_math.GENESIS
    for seq, event in enumerate(events, start=1):
        values = list(AuditEvent.objects.values_list(*EVENT_FIELDS).get(pk=event.pk))
        values[EVENT_FIELDS.index("reason")] = "nothing happened"
        row = event_row(values)
        mac = chain_math.row_mac(forged_key, row.content)
        link = chain_math.seal_link(
            forged_key,
            chain="changes",
            seq=seq,
            event_id=event.pk,
            digest=mac,
            prev_link=link,
        )
        _tamper(
            "UPDATE audit_auditevent SET reason = %s, mac = %s WHERE id = %s",
            ["nothing happened", mac, event.pk],
        )
        _tamper(
            "UPDATE audit_auditseal SET link = %s WHERE event_id = %s",
            [link, event.pk],
        )
    _tamper("UPDATE audit_chainhead SET link = %s WHERE chain = 'changes'", [link])
    code, report = _verify(cli)
    assert code == 1
    assert report["breaks"] == [
        {"chain": "changes", "seq": 1, "row_id": events[0].pk, "problem": "altered"}
    ]


def _truncate(events: list[AuditEvent], keep: int) -> None:
    """Delete the last rows with their seals and move the head back."""
    removed = [event.pk for event in events[keep:]]
    for table in ("audit_auditseal", "audit_auditevent"):
        column = "event_id" if table == "audit_auditseal" else "id"
        placeholders = ", ".join(["%s"] * len(removed))
        _tamper(f"DELETE FROM {table} WHERE {column} IN ({placeholders})", removed)  # noqa: S608 - test SQL, no input
    kept = AuditSeal.objects.get(chain="changes", seq=keep)
    _tamper(
        "UPDATE audit_chainhead SET seq = %s, link = %s WHERE chain = 'changes'",
        [keep, kept.link],
    )


def test_a_truncation_is_named_against_a_checkpoint(cli: Any, tmp_path: Path) -> None:
    events = _events()
    checkpoint = tmp_path / "checkpoint.json"
    assert cli("audit", "checkpoint", "--out", str(checkpoint))[0] == 0
    _truncate(events, keep=2)
    assert _verify(cli)[0] == 0  # without a checkpoint, nothing shows
    code, report = _verify(cli, "--checkpoint", str(checkpoint))
    assert code == 1
    assert report["checkpoints"] == 1
    assert report["breaks"] == [
        {"chain": "changes", "seq": 3, "row_id": None, "problem": "truncated"}
    ]


def test_a_rebuilt_chain_is_named_against_a_checkpoint(
    cli: Any, tmp_path: Path
) -> None:
    """Someone with the application's own access empties the trail and writes
    another history of the same length: only the checkpoint tells."""
    events = _events(3)
    checkpoint = tmp_path / "checkpoint.json"
    assert cli("audit", "checkpoint", "--out", str(checkpoint))[0] == 0
    _tamper("DELETE FROM audit_auditseal", [])
    _tamper("DELETE FROM audit_auditevent", [])
    _tamper("UPDATE audit_chainhead SET seq = 0, link = %s", [chain_math.GENESIS])
    rebuilt = _events(3)
    code, report = _verify(cli, "--checkpoint", str(checkpoint))
    assert code == 1
    assert rebuilt[0].pk != events[0].pk
    assert report["breaks"] == [
        {"chain": "changes", "seq": 3, "row_id": rebuilt[2].pk, "problem": "rewritten"}
    ]


def test_a_row_of_an_unknown_chain_is_named(cli: Any) -> None:
    event = _events(1)[0]
    _tamper("UPDATE audit_auditevent SET chain = 'shadow' WHERE id = %s", [event.pk])
    code, report = _verify(cli)
    assert code == 1
    assert report["breaks"] == [
        # Queued under its first chain, the row is sealed there...
        {"chain": "changes", "seq": 1, "row_id": event.pk, "problem": "wrong_chain"},
        # ...and no chain of that name exists.
        {
            "chain": "shadow",
            "seq": None,
            "row_id": event.pk,
            "problem": "unknown_chain",
        },
    ]


def test_a_row_written_into_an_unknown_chain_is_named(cli: Any) -> None:
    event = _events(1)[0]
    columns = [name for name in EVENT_FIELDS if name not in {"id", "uuid", "chain"}]
    listed = ", ".join(f'"{name}"' for name in columns)
    _tamper(
        f"INSERT INTO audit_auditevent (chain, uuid, {listed})"  # noqa: S608 - fixed names
        f" SELECT 'shadow', NULL, {listed} FROM audit_auditevent WHERE id = %s",
        [event.pk],
    )
    shadow = AuditEvent.objects.get(chain="shadow")
    code, report = _verify(cli)
    assert code == 1
    assert report["breaks"] == [
        {
            "chain": "shadow",
            "seq": None,
            "row_id": shadow.pk,
            "problem": "unknown_chain",
        }
    ]


def test_an_unsealed_row_removed_from_the_queue_is_named(cli: Any) -> None:
    events = _events(3)
    _tamper("DELETE FROM audit_auditpending WHERE event_id = %s", [events[1].pk])
    code, report = _verify(cli)
    assert code == 1
    assert report["breaks"] == [
        {"chain": "changes", "seq": None, "row_id": events[1].pk, "problem": "unsealed"}
    ]


def test_a_row_waiting_longer_than_the_delay_is_named(cli: Any, settings: Any) -> None:
    settings.AUDIT_SEAL_DELAY = 10
    event = _events(1)[0]
    _tamper(
        "UPDATE audit_auditevent SET occurred_at = %s WHERE id = %s",
        [event.occurred_at - dt.timedelta(seconds=11), event.pk],
    )
    code, report = _verify(cli)
    assert code == 1
    assert {"chain": "changes", "seq": None, "row_id": event.pk, "problem": "late"} in (
        report["breaks"]
    )


def test_a_copied_row_is_named(cli: Any) -> None:
    event = _events(1)[0]
    columns = ", ".join(
        f'"{name}"' for name in EVENT_FIELDS if name not in {"id", "actor_id"}
    )
    _tamper(
        f"INSERT INTO audit_auditevent ({columns}, actor_id)"  # noqa: S608 - fixed names
        f" SELECT {columns}, actor_id FROM audit_auditevent WHERE id = %s",
        [event.pk],
    )
    copy = AuditEvent.objects.exclude(pk=event.pk).get()
    code, report = _verify(cli)
    assert code == 1
    # With the triggers off (PostgreSQL here) the copy is not queued either.
    assert report["breaks"][-1] == (
        {"chain": "changes", "seq": None, "row_id": copy.pk, "problem": "duplicate"}
    )
    assert {broken["row_id"] for broken in report["breaks"]} == {copy.pk}


def test_rotation_keeps_old_rows_verifiable(cli: Any, settings: Any) -> None:
    _events(2)
    chain_seal()
    new_key = AuditKey(id="2027", secret=b"n" * 40)
    settings.AUDIT_KEYS = (KEY, new_key)
    later = _events(1)[0]
    assert later.key_id == "2027"
    assert _verify(cli)[0] == 0
    assert AuditSeal.objects.get(event=later).key_id == "2027"
    settings.AUDIT_KEYS = (new_key,)
    code, report = _verify(cli)
    assert code == 1
    assert report["breaks"][0]["problem"] == "unknown_key"


def test_checkpoint_prints_a_signed_document(cli: Any) -> None:
    _events(2)
    code, out, _ = cli("audit", "checkpoint")
    document = json.loads(out)
    head = ChainHead.objects.get(chain="changes")
    assert code == 0
    assert document["key_id"] == "2026"
    assert document["chains"][0]["chain"] == "changes"
    assert (document["chains"][0]["seq"], document["chains"][0]["link"]) == (
        2,
        head.link,
    )
    assert document["chains"][1] == {
        "chain": "access",
        "seq": 0,
        "link": chain_math.GENESIS,
        "sealed_at": None,
    }


def test_checkpoint_writes_a_new_file_only(cli: Any, tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    code, out, _ = cli("audit", "checkpoint", "--out", str(path), "--json")
    assert (code, json.loads(out)) == (
        0,
        {
            "out": str(path),
            "chains": [{"chain": "changes", "seq": 0}, {"chain": "access", "seq": 0}],
        },
    )
    code, _, err = cli("audit", "checkpoint", "--out", str(path))
    assert code == 2
    assert "exists: a checkpoint is never overwritten" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("_case", "arguments", "message"),
    [
        (
            "missing file",
            ["verify", "--checkpoint", "/nonexistent.json"],
            "Cannot read",
        ),
        ("not json", ["verify", "--checkpoint", "{bad}"], "not a usable checkpoint"),
        ("out with verify", ["verify", "--out", "x"], "--out goes with 'checkpoint'"),
        ("checkpoint with seal", ["seal", "--checkpoint", "x"], "goes with 'verify'"),
        ("no folder", ["checkpoint", "--out", "/nonexistent/c.json"], "not a folder"),
        ("unknown action", ["fly"], "invalid choice"),
    ],
)
def test_bad_input_is_a_clear_usage_error(
    cli: Any, tmp_path: Path, _case: str, arguments: list[str], message: str
) -> None:
    (tmp_path / "{bad}").write_text("{")
    arguments = [
        str(tmp_path / argument) if argument == "{bad}" else argument
        for argument in arguments
    ]
    code, _, err = cli("audit", *arguments)
    assert code == 2
    assert message in err
    assert "Traceback" not in err


def test_a_forged_checkpoint_is_refused(cli: Any, tmp_path: Path) -> None:
    _events(1)
    path = tmp_path / "c.json"
    assert cli("audit", "checkpoint", "--out", str(path))[0] == 0
    document = json.loads(path.read_text())
    document["chains"][0]["seq"] = 0
    path.write_text(json.dumps(document))
    code, _, err = cli("audit", "verify", "--checkpoint", str(path))
    assert code == 2
    assert "its signature does not match its content" in err


def test_nothing_is_pending_after_verify(cli: Any) -> None:
    _events(2)
    assert AuditPending.objects.count() == 2
    assert _verify(cli)[1]["pending"] == 0
