"""Sharing a month's income among creditors: the legal order, caps, rounding, and
Hypothesis properties (never more than a balance, always the whole income)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from guichet.debts.allocation import (
    Allocation,
    Claim,
    ClaimKind,
    RecoveryRates,
    allocate,
    pro_rata,
)
from guichet.debts.garnishment import Income, seizable_part
from tests.debts.factories import shipped

D = Decimal
RATES = RecoveryRates(ordinary=D("0.10"), fraud=D(1))
JAN = dt.date(2024, 1, 10)


def _claim(
    claim_id: str,
    kind: str,
    balance: str,
    notified_on: dt.date = JAN,
    **extra: object,
) -> Claim:
    return Claim(
        id=claim_id,
        kind=ClaimKind(kind),
        notified_on=notified_on,
        balance=D(balance),
        **extra,  # type: ignore[arg-type]
    )


def _allocate(
    claims: list[Claim],
    *,
    replacement: str | None = "1800",
    earned: str | None = None,
    children: int = 0,
    table: str = "2024",
    rates: RecoveryRates = RATES,
) -> Allocation:
    income = Income(
        earned=None if earned is None else D(earned),
        replacement=None if replacement is None else D(replacement),
    )
    garnishment = seizable_part(income=income, table=shipped(table), children=children)
    return allocate(garnishment=garnishment, claims=claims, rates=rates)


def _amounts(result: Allocation) -> dict[object, Decimal]:
    return {line.claim.id: line.amount for line in result.lines}


# 2024, replacement income 1 800, no child: seizable part 201.00 (cgslb.be).


def test_without_claims_everything_goes_to_the_beneficiary() -> None:
    result = _allocate([])
    assert result.lines == ()
    assert result.to_beneficiary == D("1800.00")


def test_a_seizure_takes_the_seizable_part_up_to_its_balance() -> None:
    big = _allocate([_claim("s", "seizure", "5000")])
    assert _amounts(big) == {"s": D("201.00")}
    assert big.line_for("s").limited_by == "seizable_part"
    small = _allocate([_claim("s", "seizure", "50")])
    assert _amounts(small) == {"s": D("50.00")}
    assert small.line_for("s").limited_by == "balance"
    assert small.to_beneficiary == D("1750.00")


def test_maintenance_comes_first_and_may_take_the_whole_income() -> None:
    result = _allocate(
        [
            _claim("s", "seizure", "500", dt.date(2020, 1, 1)),
            _claim("m", "maintenance", "3000", dt.date(2024, 1, 1)),
        ]
    )
    assert _amounts(result) == {"s": D("0.00"), "m": D("1800.00")}
    assert result.line_for("m").rank == 1
    assert result.line_for("m").limited_by == "income"
    assert result.to_beneficiary == D("0.00")


def test_maintenance_counts_first_against_the_seizable_part() -> None:
    # Securex: the assignment "n'interviendra qu'après exécution complète" of the
    # maintenance seizure: both draw on the same seizable part, maintenance first.
    result = _allocate(
        [_claim("m", "maintenance", "150"), _claim("s", "seizure", "5000")]
    )
    assert _amounts(result) == {"m": D("150.00"), "s": D("51.00")}
    assert result.ordinary_available == D("51.00")
    assert result.to_beneficiary == D("1599.00")  # what 201 seized leaves
    assert result.notes[0].code == "maintenance_counts_against_seizable_part"


def test_maintenance_beyond_the_seizable_part_leaves_nothing_to_seizures() -> None:
    result = _allocate(
        [_claim("m", "maintenance", "400"), _claim("s", "seizure", "5000")]
    )
    assert _amounts(result) == {"m": D("400.00"), "s": D("0.00")}
    assert result.to_beneficiary == D("1400.00")


def test_several_maintenance_claims_in_order_of_notice() -> None:
    result = _allocate(
        [
            _claim("later", "maintenance", "1000", dt.date(2023, 6, 1)),
            _claim("earlier", "maintenance", "1000", dt.date(2023, 1, 1)),
        ]
    )
    assert _amounts(result) == {"later": D("800.00"), "earlier": D("1000.00")}
    assert (result.line_for("earlier").rank, result.line_for("later").rank) == (1, 2)


def test_competing_seizures_share_pro_rata_to_their_balances() -> None:
    result = _allocate(
        [
            _claim("a", "seizure", "2000", dt.date(2023, 1, 1)),
            _claim("b", "seizure", "1000", dt.date(2023, 2, 1)),
        ]
    )
    assert _amounts(result) == {"a": D("134.00"), "b": D("67.00")}
    assert {line.rank for line in result.lines} == {1}
    assert {line.limited_by for line in result.lines} == {"pro_rata_share"}


def test_pro_rata_shares_are_rounded_to_add_up_exactly() -> None:
    # 201.00 shared in three equal parts: 67.00 each; 100.00 in three: 33.34/33.33/33.33.
    result = _allocate(
        [
            _claim("a", "seizure", "1000", dt.date(2023, 1, 1)),
            _claim("b", "seizure", "1000", dt.date(2023, 2, 1)),
            _claim("c", "seizure", "1000", dt.date(2023, 3, 1)),
            _claim("m", "maintenance", "101"),
        ]
    )
    assert _amounts(result) == {
        "a": D("33.34"),  # the earliest notice gets the odd cent
        "b": D("33.33"),
        "c": D("33.33"),
        "m": D("101.00"),
    }


def test_pro_rata_never_gives_more_than_a_balance() -> None:
    result = _allocate(
        [
            _claim("a", "seizure", "10", dt.date(2023, 1, 1)),
            _claim("b", "seizure", "95"),
        ]
    )
    assert _amounts(result) == {"a": D("10.00"), "b": D("95.00")}
    assert result.to_beneficiary == D("1695.00")


def test_an_assignment_notified_before_the_seizures_is_paid_first() -> None:
    result = _allocate(
        [
            _claim("s", "seizure", "1000", dt.date(2023, 5, 1)),
            _claim("a", "assignment", "150", dt.date(2023, 4, 30)),
        ]
    )
    assert _amounts(result) == {"s": D("51.00"), "a": D("150.00")}
    assert result.line_for("a").group == "assignment_first"
    assert result.line_for("a").rank < result.line_for("s").rank


def test_an_assignment_after_a_seizure_shares_like_a_seizure() -> None:
    result = _allocate(
        [
            _claim("s", "seizure", "1000", dt.date(2023, 5, 1)),
            _claim("a", "assignment", "1000", dt.date(2023, 5, 2)),
        ]
    )
    assert _amounts(result) == {"s": D("100.50"), "a": D("100.50")}
    assert result.line_for("a").reason == "assignment_after_seizure_pro_rata"


def test_an_assignment_on_the_same_day_as_a_seizure_competes() -> None:
    day = dt.date(2023, 5, 1)
    result = _allocate(
        [_claim("s", "seizure", "1000", day), _claim("a", "assignment", "1000", day)]
    )
    assert result.line_for("a").group == "pro_rata"


def test_assignments_alone_are_paid_in_order_of_notice() -> None:
    result = _allocate(
        [
            _claim("second", "assignment", "150", dt.date(2023, 2, 1)),
            _claim("first", "assignment", "150", dt.date(2023, 1, 1)),
        ]
    )
    assert _amounts(result) == {"second": D("51.00"), "first": D("150.00")}


def test_subrogation_goes_beyond_the_seizable_part_after_seizures() -> None:
    result = _allocate(
        [_claim("cpas", "subrogation", "700"), _claim("s", "seizure", "5000")]
    )
    assert _amounts(result) == {"cpas": D("700.00"), "s": D("201.00")}
    assert result.to_beneficiary == D("899.00")
    big = _allocate([_claim("cpas", "subrogation", "5000")])
    assert _amounts(big) == {"cpas": D("1800.00")}
    assert big.line_for("cpas").limited_by == "income"


def test_recovery_is_limited_to_ten_percent_of_the_benefit_payment() -> None:
    result = _allocate([_claim("r", "recovery", "5000")])
    assert _amounts(result) == {"r": D("180.00")}
    assert result.line_for("r").limited_by == "legal_cap"


def test_recovery_caps_round_down_never_above_the_legal_limit() -> None:
    result = _allocate([_claim("r", "recovery", "5000")], replacement="1000.05")
    assert _amounts(result) == {"r": D("100.00")}  # 10 % is 100.005


def test_several_recoveries_share_one_cap() -> None:
    result = _allocate(
        [
            _claim("r1", "recovery", "100", dt.date(2023, 1, 1)),
            _claim("r2", "recovery", "5000", dt.date(2023, 2, 1)),
        ]
    )
    assert _amounts(result) == {"r1": D("100.00"), "r2": D("80.00")}


def test_fraud_recovery_may_take_everything_left() -> None:
    result = _allocate(
        [_claim("s", "seizure", "5000"), _claim("r", "recovery", "9000", fraud=True)]
    )
    assert _amounts(result) == {"s": D("201.00"), "r": D("1599.00")}
    assert result.line_for("r").reason == "recovery_fraud"
    assert result.to_beneficiary == D("0.00")


def test_the_fraud_rate_is_a_setting() -> None:
    rates = RecoveryRates(ordinary=D("0.10"), fraud=D("0.50"))
    result = _allocate([_claim("r", "recovery", "9000", fraud=True)], rates=rates)
    assert _amounts(result) == {"r": D("900.00")}


def test_an_instalment_plan_lowers_the_recovery_but_never_raises_it() -> None:
    lower = _allocate([_claim("r", "recovery", "5000", limit=D("50"))])
    assert _amounts(lower) == {"r": D("50.00")}
    assert lower.line_for("r").limited_by == "instalment"
    higher = _allocate([_claim("r", "recovery", "5000", limit=D("500"))])
    assert _amounts(higher) == {"r": D("180.00")}


def test_recovery_applies_to_benefits_not_to_wages() -> None:
    result = _allocate(
        [_claim("r", "recovery", "5000")], earned="2000", replacement=None
    )
    assert _amounts(result) == {"r": D("0.00")}
    assert result.line_for("r").limited_by == "no_benefit"
    cumulated = _allocate(
        [_claim("r", "recovery", "5000")], earned="500", replacement="1500"
    )
    assert _amounts(cumulated) == {"r": D("150.00")}


def test_the_full_legal_order_with_every_kind() -> None:
    # 2025, replacement 1 900, one child: seizable part 244 - 86 = 158.00.
    result = _allocate(
        [
            _claim("alim", "maintenance", "150", dt.date(2024, 1, 10)),
            _claim("s1", "seizure", "2000", dt.date(2024, 5, 1)),
            _claim("s2", "seizure", "1000.50", dt.date(2024, 6, 1)),
            _claim("a1", "assignment", "20", dt.date(2024, 2, 1)),
            _claim("cpas", "subrogation", "300", dt.date(2025, 2, 1)),
            _claim("rec", "recovery", "5000", dt.date(2024, 9, 1)),
        ],
        replacement="1900",
        children=1,
        table="2025",
    )
    assert _amounts(result) == {
        "alim": D("150.00"),
        "s1": D("0.00"),
        "s2": D("0.00"),
        "a1": D("8.00"),
        "cpas": D("300.00"),
        "rec": D("190.00"),
    }
    assert [
        result.line_for(key).rank for key in ("alim", "a1", "s1", "s2", "cpas", "rec")
    ] == [
        1,
        2,
        3,
        3,
        4,
        5,
    ]
    assert result.to_beneficiary == D("1252.00")
    assert result.line_for("s1").explanations[1].code == "seizable_part"


def test_every_line_explains_itself() -> None:
    result = _allocate([_claim("s", "seizure", "5000"), _claim("r", "recovery", "10")])
    for line in result.lines:
        assert len(line.explanations) == 2
        assert all(item.text() for item in line.explanations)
    assert result.notes[-1].code == "to_beneficiary"


@pytest.mark.parametrize(
    ("_case", "fields", "message"),
    [
        ("fraud on a seizure", {"kind": ClaimKind.SEIZURE, "fraud": True}, "fraud"),
        (
            "instalment on a seizure",
            {"kind": ClaimKind.SEIZURE, "limit": D(1)},
            "instalment",
        ),
        ("negative balance", {"balance": D(-1)}, "balance"),
        ("third decimal", {"balance": D("1.001")}, "balance"),
    ],
)
def test_a_claim_refuses_impossible_values(
    _case: str, fields: dict[str, object], message: str
) -> None:
    values: dict[str, object] = {
        "id": "x",
        "kind": ClaimKind.RECOVERY,
        "notified_on": JAN,
        "balance": D(1),
        **fields,
    }
    with pytest.raises(ValueError, match=message):
        Claim(**values)  # type: ignore[arg-type]


def test_refuses_duplicate_ids_and_the_maintenance_computation() -> None:
    with pytest.raises(ValueError, match="unique"):
        _allocate([_claim("x", "seizure", "1"), _claim("x", "seizure", "2")])
    maintenance = seizable_part(
        income=Income(earned=D(1)), table=shipped("2024"), maintenance=True
    )
    with pytest.raises(ValueError, match="ordinary"):
        allocate(garnishment=maintenance, claims=[], rates=RATES)


@pytest.mark.parametrize(
    ("pool", "balances", "shares"),
    [
        (100, [1, 1, 1], [1, 1, 1]),
        (10000, [1, 1, 1], [1, 1, 1]),
        (100, [300, 300, 300], [34, 33, 33]),
        (101, [100, 200], [34, 67]),
        (0, [5, 5], [0, 0]),
        (7, [1, 100], [0, 7]),
    ],
)
def test_pro_rata_by_largest_remainder(
    pool: int, balances: list[int], shares: list[int]
) -> None:
    assert pro_rata(pool, balances) == shares


# Properties.

balances = st.decimals(min_value=0, max_value=5000, places=2)
dates = st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2024, 12, 31))


@st.composite
def claims(draw: st.DrawFn) -> list[Claim]:
    count = draw(st.integers(0, 8))
    result = []
    for index in range(count):
        kind = draw(st.sampled_from(list(ClaimKind)))
        recovery = kind is ClaimKind.RECOVERY
        result.append(
            Claim(
                id=f"c{index}",
                kind=kind,
                notified_on=draw(dates),
                balance=draw(balances),
                fraud=recovery and draw(st.booleans()),
                limit=draw(st.one_of(st.none(), balances)) if recovery else None,
            )
        )
    return result


incomes = st.one_of(
    st.builds(Income, earned=balances),
    st.builds(Income, replacement=balances),
    st.builds(Income, earned=balances, replacement=balances),
)
tables_2024_2025 = st.sampled_from(["2024", "2025", "2023", "2022-energy"])


@given(
    income=incomes, table=tables_2024_2025, children=st.integers(0, 6), listed=claims()
)
def test_property_allocations_never_exceed_balances_and_sum_to_the_income(
    income: Income, table: str, children: int, listed: list[Claim]
) -> None:
    garnishment = seizable_part(income=income, table=shipped(table), children=children)
    result = allocate(garnishment=garnishment, claims=listed, rates=RATES)
    assert [line.claim for line in result.lines] == listed
    assert (
        sum(line.amount for line in result.lines) + result.to_beneficiary
        == income.total
    )
    assert result.to_beneficiary >= 0
    for line in result.lines:
        assert D(0) <= line.amount <= line.claim.balance
        if line.claim.limit is not None:
            assert line.amount <= line.claim.limit
    by_kind = {
        kind: sum(
            (line.amount for line in result.lines if line.claim.kind is kind), D(0)
        )
        for kind in ClaimKind
    }
    maintenance_owed = sum(
        (claim.balance for claim in listed if claim.kind is ClaimKind.MAINTENANCE), D(0)
    )
    assert by_kind[ClaimKind.MAINTENANCE] == min(maintenance_owed, income.total)
    ordinary = by_kind[ClaimKind.SEIZURE] + by_kind[ClaimKind.ASSIGNMENT]
    assert ordinary <= max(
        D(0), garnishment.ordinary_seizable - by_kind[ClaimKind.MAINTENANCE]
    )
    benefit = income.replacement or D(0)
    if not any(claim.fraud for claim in listed):
        assert by_kind[ClaimKind.RECOVERY] <= benefit * D("0.10")


@given(
    income=incomes,
    listed=claims().filter(
        lambda items: len({c.notified_on for c in items}) == len(items)
    ),
    seed=st.randoms(use_true_random=False),
)
def test_property_the_order_claims_are_listed_in_does_not_matter(
    income: Income, listed: list[Claim], seed: object
) -> None:
    garnishment = seizable_part(income=income, table=shipped("2025"))
    shuffled = list(listed)
    seed.shuffle(shuffled)  # type: ignore[attr-defined]
    first = allocate(garnishment=garnishment, claims=listed, rates=RATES)
    second = allocate(garnishment=garnishment, claims=shuffled, rates=RATES)
    assert _amounts(first) == _amounts(second)


@given(
    pool=st.integers(0, 10**7),
    owed=st.lists(st.integers(0, 10**6), min_size=1, max_size=10),
)
def test_property_pro_rata_shares_add_up_and_stay_within_a_cent(
    pool: int, owed: list[int]
) -> None:
    shares = pro_rata(pool, owed)
    assert sum(shares) == min(pool, sum(owed))
    for share, balance in zip(shares, owed, strict=True):
        assert 0 <= share <= balance
        if pool < sum(owed):
            assert abs(share - pool * balance / sum(owed)) < 1
