"""The trail's arithmetic, without the database: row MACs, seal links, verification."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

from guichet.audit import chain
from guichet.audit.keys import DEVELOPMENT_KEY, AuditKey

KEY = AuditKey(id="k1", secret=b"s" * 40)
KEYS = {KEY.id: KEY}


def _event(event_id: int, key: AuditKey = KEY, **changed: object) -> chain.EventRow:
    content = chain.content_of(
        chain="changes",
        uuid=f"00000000-0000-0000-0000-{event_id:012d}",
        occurred_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        actor_id=1,
        actor_label="a",
        action="x",
        object_type="t",
        object_id=str(event_id),
        summary={"amount": str(Decimal("1.50"))},
        reason="",
        request_id="",
        key_id=key.id,
    )
    mac = chain.row_mac(key, content)
    return chain.EventRow(
        id=event_id, chain="changes", key_id=key.id, mac=mac, content=content | changed
    )


def _sealed(events: list[chain.EventRow], key: AuditKey = KEY) -> list[chain.SealRow]:
    seals, link = [], chain.GENESIS
    for seq, event in enumerate(events, start=1):
        link = chain.seal_link(
            key,
            chain="changes",
            seq=seq,
            event_id=event.id,
            digest=event.digest,
            prev_link=link,
        )
        seals.append(chain.SealRow(seq=seq, key_id=key.id, link=link, event=event))
    return seals


def _verify(seals: list[chain.SealRow], **options: object) -> chain.Verdict:
    head_seq = seals[-1].seq if seals else 0
    head_link = seals[-1].link if seals else chain.GENESIS
    arguments: dict[str, object] = {"head_seq": head_seq, "head_link": head_link}
    arguments.update(options)
    return chain.verify("changes", seals, keys=KEYS, **arguments)  # type: ignore[arg-type]


def test_an_intact_chain_verifies() -> None:
    verdict = _verify(_sealed([_event(i) for i in range(1, 6)]))
    assert verdict.is_intact
    assert (verdict.rows, verdict.head_seq) == (5, 5)


def test_the_row_mac_covers_every_field_and_the_key() -> None:
    event = _event(1)
    for name in event.content:
        changed = dataclasses.replace(event, content=event.content | {name: "other"})
        assert chain.event_problem(changed, KEYS) == "altered", name
    assert chain.event_problem(event, KEYS) is None
    assert chain.event_problem(event, {}) == "unknown_key"
    other = AuditKey(id="k1", secret=b"t" * 40)
    assert chain.event_problem(event, {"k1": other}) == "altered"


def test_an_altered_row_is_named() -> None:
    seals = _sealed([_event(i) for i in range(1, 6)])
    seals[2] = dataclasses.replace(seals[2], event=_event(3, action="y"))
    assert _verify(seals).first_break == chain.Break("changes", 3, 3, "altered")


def test_a_removed_seal_is_named() -> None:
    seals = _sealed([_event(i) for i in range(1, 6)])
    del seals[1]
    assert _verify(seals).first_break == chain.Break("changes", 2, None, "missing")


def test_rows_swapped_between_seals_break_the_link() -> None:
    events = [_event(i) for i in range(1, 4)]
    seals = _sealed(events)
    seals[0] = dataclasses.replace(seals[0], event=events[1])
    seals[1] = dataclasses.replace(seals[1], event=events[0])
    assert _verify(seals).first_break == chain.Break("changes", 1, 2, "broken_link")


def test_a_chain_rewritten_without_the_key_does_not_verify() -> None:
    # The attacker recomputes every MAC and link with the project's own code and
    # the public development key, under the key id of the real one.
    forged_key = AuditKey(id=KEY.id, secret=DEVELOPMENT_KEY.secret)
    forged = [_event(i, key=forged_key, action="forged") for i in range(1, 4)]
    forged = [
        dataclasses.replace(event, mac=chain.row_mac(forged_key, event.content))
        for event in forged
    ]
    verdict = _verify(_sealed(forged, key=forged_key))
    assert verdict.first_break == chain.Break("changes", 1, 1, "altered")


def test_a_row_of_another_chain_is_named() -> None:
    seals = _sealed([_event(1), _event(2)])
    seals[1] = dataclasses.replace(
        seals[1], event=dataclasses.replace(seals[1].event, chain="access")
    )
    assert _verify(seals).first_break == chain.Break("changes", 2, 2, "wrong_chain")


def test_a_seal_under_an_unknown_key_is_named() -> None:
    seals = _sealed([_event(1)])
    seals[0] = dataclasses.replace(seals[0], key_id="gone")
    assert _verify(seals).first_break == chain.Break("changes", 1, 1, "unknown_key")


def test_the_head_must_point_at_the_last_seal() -> None:
    seals = _sealed([_event(i) for i in range(1, 4)])
    moved_back = _verify(seals, head_seq=2, head_link=seals[1].link)
    assert moved_back.first_break == chain.Break("changes", 3, None, "head_mismatch")
    ahead = _verify(seals[:2], head_seq=3, head_link=seals[2].link)
    assert ahead.first_break == chain.Break("changes", 3, None, "head_mismatch")


def test_checkpoints_reveal_truncation_and_rewriting() -> None:
    seals = _sealed([_event(i) for i in range(1, 6)])
    verdict = _verify(seals[:3], marks=[2, 5])
    assert verdict.is_intact
    assert chain.checkpoint_problem(verdict, seq=2, link=seals[1].link) is None
    assert chain.checkpoint_problem(verdict, seq=5, link=seals[4].link) == (
        chain.Break("changes", 4, None, "truncated")
    )
    assert chain.checkpoint_problem(verdict, seq=2, link="f" * 64) == (
        chain.Break("changes", 2, 2, "rewritten")
    )
    assert chain.checkpoint_problem(verdict, seq=0, link=chain.GENESIS) is None


def _legacy(count: int) -> list[chain.EventRow]:
    rows, previous = [], chain.GENESIS
    for seq in range(1, count + 1):
        content = chain.legacy_content_of(
            chain="changes",
            seq=seq,
            occurred_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC),
            actor_id=1,
            actor_label="a",
            action="x",
            object_type="t",
            object_id=str(seq),
            summary={"amount": Decimal("1.50")},
            reason="",
            request_id="",
        )
        digest = chain.link_hash(previous, content)
        rows.append(
            chain.EventRow(
                id=seq,
                chain="changes",
                key_id="",
                mac="",
                content=content,
                legacy_prev_hash=previous,
                legacy_hash=digest,
            )
        )
        previous = digest
    return rows


def test_rows_written_before_keys_are_sealed_with_their_old_chain() -> None:
    legacy = _legacy(3)
    assert _verify(_sealed([*legacy, _event(4)])).is_intact
    altered = dataclasses.replace(
        legacy[1], content=legacy[1].content | {"reason": "x"}
    )
    assert _verify(_sealed([legacy[0], altered, legacy[2]])).first_break == (
        chain.Break("changes", 2, 2, "altered")
    )


def test_an_unsigned_row_is_refused_outside_the_old_chain() -> None:
    legacy = _legacy(3)
    after_keys = _verify(_sealed([_event(1), legacy[0]]))
    assert after_keys.first_break == chain.Break("changes", 2, 1, "unsigned")
    skipped = _verify(_sealed([legacy[0], legacy[2]]))
    assert skipped.first_break == chain.Break("changes", 2, 3, "unsigned")


def test_old_rows_hash_as_the_code_before_keys_hashed_them() -> None:
    """The digest computed by main at efc4080 for this row, pinned."""
    content = chain.legacy_content_of(
        chain="changes",
        seq=7,
        occurred_at=dt.datetime(
            2025, 1, 1, 9, 30, 0, 123456, tzinfo=dt.timezone(dt.timedelta(hours=1))
        ),
        actor_id=3,
        actor_label="éloïse",
        action="debt.update",
        object_type="debts.debt",
        object_id="abc",
        summary={
            "amount": Decimal("1.50"),
            "ratio": 0.25,
            "tags": {"b", "a"},
            "pair": (1, 2),
        },
        reason="why",
        request_id="r1",
    )
    assert chain.link_hash("f" * 64, content) == (
        "249e25cc992a7011b4e71fcfabee2976da8c6c3d6c08d2990f78ea268f63b9ed"
    )
