"""The seizable part of an income: published examples, every band of every table,
the child reduction, cumulation, maintenance, and Hypothesis properties."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

from django.utils import translation

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from guichet.debts.garnishment import (
    BracketTable,
    Income,
    IncomeKind,
    NoTableInForce,
    OverlappingTables,
    seizable_part,
    table_in_force,
)
from tests.debts.factories import shipped, shipped_tables

D = Decimal


def _seizable(
    table: str | BracketTable,
    *,
    earned: str | None = None,
    replacement: str | None = None,
    children: int = 0,
    maintenance: bool = False,
) -> Decimal:
    chosen = shipped(table) if isinstance(table, str) else table
    income = Income(
        earned=None if earned is None else D(earned),
        replacement=None if replacement is None else D(replacement),
    )
    return seizable_part(
        income=income, table=chosen, children=children, maintenance=maintenance
    ).seizable


# Published worked examples (docs/sources.md §1.3-1.4).


@pytest.mark.parametrize(
    ("_case", "table", "kind", "income", "children", "seizable"),
    [
        ("securex 2024 earned 2000", "2024", "earned", "2000", 0, "386.10"),
        ("securex 2024 earned 2000, 3 children", "2024", "earned", "2000", 3, "137.10"),
        ("cgslb 2024 replacement 1800", "2024", "replacement", "1800", 0, "201.00"),
        (
            "droitsquotidiens 2024 pension 1800, 1 child",
            "2024",
            "replacement",
            "1800",
            1,
            "118.00",
        ),
        ("syndicatsmagazine 2025 earned 2000", "2025", "earned", "2000", 0, "328.60"),
        (
            "docs/sources.md 2024 earned 1500, 1 child: subtraction",
            "2024",
            "earned",
            "1500",
            1,
            "0.00",
        ),
    ],
)
def test_reproduces_the_published_examples(
    _case: str, table: str, kind: str, income: str, children: int, seizable: str
) -> None:
    assert _seizable(table, children=children, **{kind: income}) == D(seizable)


def test_kept_is_what_the_examples_say_the_person_keeps() -> None:
    result = seizable_part(
        income=Income(earned=D("2000")), table=shipped("2024"), children=3
    )
    assert (result.seizable, result.kept) == (D("137.10"), D("1862.90"))
    replacement = seizable_part(
        income=Income(replacement=D("1800")), table=shipped("2024"), children=1
    )
    assert replacement.kept == D("1682.00")  # droitsquotidiens.be: "keeps 1 682"


def test_brackets_are_marginal_as_in_the_2016_example() -> None:
    # danckaerts.be 2016: on 1 148 EUR only 20 % of (1 148 - 1 069) is seizable.
    table_2016 = BracketTable(
        code="2016",
        valid_from=dt.date(2016, 1, 1),
        valid_to=dt.date(2016, 12, 31),
        income_kinds=frozenset(IncomeKind),
        thresholds=(D(1069), D(1149), D(1268), D(1387)),
        child_reduction=D(66),
        source="danckaerts.be 2016 (T0 only; the others are placeholders)",
    )
    assert _seizable(table_2016, earned="1148") == D("15.80")


# Every band of every shipped table, at its edges. Expected values written out by
# hand from the thresholds of docs/sources.md §1.2: (earned at T1, T2, T3; replacement
# at T2, T3). The 2023-2025 ones match the published "max" columns.
EDGES: dict[str, tuple[str, str, str, str | None, str | None]] = {
    "2020-earned": ("16.80", "54.90", "105.30", None, None),
    "2020-replacement": ("16.80", "54.90", "105.30", "67.60", "118.00"),
    "2020-covid-earned": ("20.20", "65.80", "126.20", None, None),
    "2021-earned": ("17.20", "55.30", "106.50", None, None),
    "2021-replacement": ("17.20", "55.30", "106.50", "68.00", "119.20"),
    "2022": ("17.60", "57.20", "110.00", "70.40", "123.20"),
    "2022-energy": ("21.00", "68.70", "131.90", "84.60", "147.80"),
    "2023-energy": ("23.00", "74.30", "143.10", "91.40", "160.20"),
    "2023": ("19.60", "63.40", "121.80", "78.00", "136.40"),
    "2024": ("19.80", "64.50", "124.10", "79.40", "139.00"),
    "2025": ("20.80", "67.00", "128.60", "82.40", "144.00"),
    "2026": ("21.00", "68.40", "131.20", "84.20", "147.00"),
}


def test_every_shipped_table_has_its_edges_written_out() -> None:
    assert set(EDGES) == {table.code for table in shipped_tables()}


def _scales(table: BracketTable) -> list[IncomeKind]:
    return sorted(table.income_kinds)


@pytest.mark.parametrize("code", sorted(EDGES))
def test_earned_bands_at_their_edges(code: str) -> None:
    table = shipped(code)
    t0, t1, t2, t3 = table.thresholds
    at_t1, at_t2, at_t3, _repl_t2, _repl_t3 = (
        None if x is None else D(x) for x in EDGES[code]
    )
    # The earned scale is computed for every table (cumulation may use it).
    earned_table = BracketTable(
        code=code,
        valid_from=table.valid_from,
        valid_to=table.valid_to,
        income_kinds=frozenset(IncomeKind),
        thresholds=table.thresholds,
        child_reduction=table.child_reduction,
        source=table.source,
    )

    def seized(amount: Decimal) -> Decimal:
        return _seizable(earned_table, earned=str(amount))

    assert seized(D(0)) == D("0.00")
    assert seized(t0) == D("0.00")
    assert seized(t0 + D("0.01")) == D("0.00")  # 0.002, rounded at the end
    assert seized(t0 + D("0.03")) == D("0.01")  # 0.006
    assert seized(t1) == at_t1
    assert seized(t1 + D("0.10")) == at_t1 + D("0.03")  # 30 %
    assert seized(t2) == at_t2
    assert seized(t2 + D("0.10")) == at_t2 + D("0.04")  # 40 %
    assert seized(t3) == at_t3
    assert seized(t3 + D("0.01")) == at_t3 + D("0.01")  # 100 %
    assert seized(t3 + D("1000")) == at_t3 + D("1000")


@pytest.mark.parametrize(
    "code", sorted(code for code, edges in EDGES.items() if edges[3] is not None)
)
def test_replacement_bands_at_their_edges_have_no_30_percent(code: str) -> None:
    table = shipped(code)
    t0, t1, t2, t3 = table.thresholds
    at_t1 = D(EDGES[code][0])
    at_t2, at_t3 = D(str(EDGES[code][3])), D(str(EDGES[code][4]))

    def seized(amount: Decimal) -> Decimal:
        return _seizable(table, replacement=str(amount))

    assert seized(t0) == D("0.00")
    assert seized(t0 + D("0.03")) == D("0.01")
    assert seized(t1) == at_t1
    assert seized(t1 + D("0.10")) == at_t1 + D("0.04")  # 40 % right after T1
    assert seized(t2) == at_t2
    assert seized(t3) == at_t3
    assert seized(t3 + D("0.01")) == at_t3 + D("0.01")


def test_bands_explain_the_amount_and_add_up_to_it() -> None:
    result = seizable_part(income=Income(earned=D("2000")), table=shipped("2024"))
    assert [
        (band.lower, band.upper, band.rate, band.amount) for band in result.bands
    ] == [
        (D("0.00"), D(1341), D(0), D("0.00")),
        (D(1341), D(1440), D("0.20"), D("19.80")),
        (D(1440), D(1589), D("0.30"), D("44.70")),
        (D(1589), D(1738), D("0.40"), D("59.60")),
        (D(1738), None, D(1), D("262.00")),
    ]
    assert [band.code for band in result.bands] == [
        "protected",
        "partly_seizable",
        "partly_seizable",
        "partly_seizable",
        "fully_seizable",
    ]
    with translation.override("fr"):
        assert result.bands[1].explanation.text() == (
            "Sur la partie de vos revenus entre 1\xa0341,00\xa0€ et 1\xa0440,00\xa0€ "
            "(99,00\xa0€), 20\xa0% peut être saisi\xa0: 19,80\xa0€."
        )


def test_band_amounts_add_up_to_the_rounded_total_with_a_third_decimal() -> None:
    # Cent thresholds make every band's exact amount end in a half cent.
    table = BracketTable(
        code="cents",
        valid_from=dt.date(2030, 1, 1),
        valid_to=dt.date(2030, 12, 31),
        income_kinds=frozenset(IncomeKind),
        thresholds=(D("1000.00"), D("1000.05"), D("1000.10"), D("1000.15")),
        child_reduction=D(0),
        source="test",
    )
    result = seizable_part(income=Income(earned=D("1000.15")), table=table)
    # exact: 0.01 + 0.015 + 0.02 = 0.045 -> 0.05
    assert result.seizable == D("0.05")
    assert sum(band.amount for band in result.bands) == D("0.05")


def test_child_reduction_is_subtracted_and_floored_at_zero() -> None:
    result = seizable_part(
        income=Income(earned=D("1500")), table=shipped("2024"), children=1
    )
    assert result.brackets_total == D("37.80")  # 19.80 + 60 x 30 %
    assert (result.child_reduction.full, result.child_reduction.applied) == (
        D(83),
        D("37.80"),
    )
    assert result.seizable == D("0.00")
    assert [note.code for note in result.notes] == [
        "scale_earned",
        "child_reduction",
        "child_reduction_limited",
        "summary",
    ]


def test_cumulation_adds_incomes_and_uses_the_earned_scale() -> None:
    result = seizable_part(
        income=Income(earned=D("500"), replacement=D("1500")), table=shipped("2024")
    )
    assert result.scale is IncomeKind.EARNED
    assert result.seizable == D("386.10")  # as 2 000 of earned income
    assert result.notes[0].code == "cumulation"


def test_maintenance_makes_the_whole_income_seizable_and_keeps_the_ordinary_figure() -> (
    None
):
    result = seizable_part(
        income=Income(replacement=D("1800")),
        table=shipped("2024"),
        children=2,
        maintenance=True,
    )
    assert (result.seizable, result.kept) == (D("1800"), D(0))
    assert [band.code for band in result.bands] == ["maintenance_whole_income"]
    assert result.ordinary_seizable == D("35.00")  # 201 - 2 x 83
    assert "maintenance_art_1412" in [note.code for note in result.notes]


def test_refuses_a_table_for_another_kind_of_income() -> None:
    with pytest.raises(ValueError, match="not for replacement"):
        seizable_part(
            income=Income(replacement=D(1)), table=shipped("2020-covid-earned")
        )


@pytest.mark.parametrize(
    ("_case", "thresholds", "start", "end", "kinds"),
    [
        (
            "thresholds fall",
            (1, 3, 2, 4),
            dt.date(2030, 1, 1),
            dt.date(2030, 2, 1),
            {"earned"},
        ),
        (
            "equal thresholds",
            (1, 2, 2, 4),
            dt.date(2030, 1, 1),
            dt.date(2030, 2, 1),
            {"earned"},
        ),
        (
            "ends before it starts",
            (1, 2, 3, 4),
            dt.date(2030, 2, 1),
            dt.date(2030, 1, 1),
            {"earned"},
        ),
        (
            "no kind of income",
            (1, 2, 3, 4),
            dt.date(2030, 1, 1),
            dt.date(2030, 2, 1),
            set(),
        ),
    ],
)
def test_a_table_refuses_impossible_figures(
    _case: str,
    thresholds: tuple[int, ...],
    start: dt.date,
    end: dt.date,
    kinds: set[str],
) -> None:
    with pytest.raises(ValueError, match="table bad"):
        BracketTable(
            code="bad",
            valid_from=start,
            valid_to=end,
            income_kinds=frozenset(IncomeKind(kind) for kind in kinds),
            thresholds=tuple(D(value) for value in thresholds),  # type: ignore[arg-type]
            child_reduction=D(0),
            source="test",
        )


@pytest.mark.parametrize(
    ("_case", "earned", "replacement", "message"),
    [
        ("nothing given", None, None, "give earned or replacement"),
        ("negative", D("-1"), None, "non-negative"),
        ("three decimals", None, D("1.005"), "two decimals"),
    ],
)
def test_an_income_refuses_bad_amounts(
    _case: str, earned: Decimal | None, replacement: Decimal | None, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        Income(earned=earned, replacement=replacement)


# The confidence in a table's figures.

MEDIUM_FR = (
    "Source de fiabilité moyenne : vérifiez ces montants dans l'arrêté royal publié "
    "au Moniteur belge."
)
LOW_FR = (
    "Source de fiabilité faible : ces montants ne sont pas confirmés ; vérifiez-les "
    "dans l'arrêté royal publié au Moniteur belge avant de vous y fier."
)


@pytest.mark.parametrize(
    ("_case", "confidence", "label", "code", "text"),
    [
        ("high: no warning", "high", "élevée", None, None),
        ("medium", "medium", "moyenne", "confidence_medium", MEDIUM_FR),
        ("low", "low", "faible", "confidence_low", LOW_FR),
    ],
)
def test_a_table_below_high_confidence_warns_the_agent(
    _case: str, confidence: str, label: str, code: str | None, text: str | None
) -> None:
    table = dataclasses.replace(shipped("2024"), confidence=confidence)
    with translation.override("fr"):
        warning = table.warning
        assert table.confidence_label == label
        assert (warning and warning.code, warning and warning.text()) == (code, text)


def test_the_2026_table_is_flagged_as_medium_confidence() -> None:
    table = shipped("2026")
    assert table.confidence == "medium"
    assert table.warning is not None
    assert table.warning.text() == (
        "Source of medium confidence: check these amounts against the royal decree "
        "published in the Moniteur belge."
    )


# Choosing the table in force.


@pytest.mark.parametrize(
    ("_case", "on", "kind", "code"),
    [
        ("first day of 2025", dt.date(2025, 1, 1), "earned", "2025"),
        ("last day of 2025", dt.date(2025, 12, 31), "replacement", "2025"),
        ("COVID, earned", dt.date(2021, 5, 3), "earned", "2020-covid-earned"),
        (
            "COVID period, replacement keeps 2021",
            dt.date(2021, 5, 3),
            "replacement",
            "2021-replacement",
        ),
        (
            "COVID starts 24 Dec 2020",
            dt.date(2020, 12, 24),
            "earned",
            "2020-covid-earned",
        ),
        ("23 Dec 2020, earned", dt.date(2020, 12, 23), "earned", "2020-earned"),
        (
            "24 Dec 2020, replacement",
            dt.date(2020, 12, 24),
            "replacement",
            "2020-replacement",
        ),
        ("after COVID, 1 Oct 2021", dt.date(2021, 10, 1), "earned", "2021-earned"),
        ("last normal day of 2022", dt.date(2022, 11, 2), "earned", "2022"),
        (
            "energy crisis starts 3 Nov 2022",
            dt.date(2022, 11, 3),
            "replacement",
            "2022-energy",
        ),
        ("energy crisis, Q1 2023", dt.date(2023, 3, 31), "earned", "2023-energy"),
        ("back to normal 1 Apr 2023", dt.date(2023, 4, 1), "earned", "2023"),
        ("first day of 2026", dt.date(2026, 1, 1), "replacement", "2026"),
        ("last day of 2026", dt.date(2026, 12, 31), "earned", "2026"),
    ],
)
def test_picks_the_one_table_in_force(
    _case: str, on: dt.date, kind: str, code: str
) -> None:
    assert table_in_force(shipped_tables(), on=on, kind=IncomeKind(kind)).code == code


@pytest.mark.parametrize(
    "on", [dt.date(2019, 12, 31), dt.date(2027, 1, 1), dt.date(2027, 11, 23)]
)
def test_a_date_without_a_table_is_refused_not_answered_with_other_figures(
    on: dt.date,
) -> None:
    for kind in IncomeKind:
        with pytest.raises(NoTableInForce):
            table_in_force(shipped_tables(), on=on, kind=kind)


def test_the_shipped_tables_never_overlap_for_a_kind() -> None:
    tables = shipped_tables()
    day = dt.date(2020, 1, 1)
    while day <= dt.date(2026, 12, 31):
        for kind in IncomeKind:
            table_in_force(tables, on=day, kind=kind)  # exactly one, or it raises
        day += dt.timedelta(days=1)


def test_two_tables_in_force_the_same_day_are_refused() -> None:
    twice = [shipped("2024"), shipped("2024")]
    with pytest.raises(OverlappingTables):
        table_in_force(twice, on=dt.date(2024, 6, 1), kind=IncomeKind.EARNED)


# Properties.

amounts = st.decimals(min_value=0, max_value=20000, places=2)


@st.composite
def tables(draw: st.DrawFn) -> BracketTable:
    if draw(st.booleans()):
        return draw(st.sampled_from(shipped_tables()))
    t0 = draw(st.decimals(min_value=0, max_value=3000, places=2))
    steps = draw(
        st.lists(
            st.decimals(min_value="0.01", max_value=500, places=2),
            min_size=3,
            max_size=3,
        )
    )
    return BracketTable(
        code="generated",
        valid_from=dt.date(2030, 1, 1),
        valid_to=dt.date(2030, 12, 31),
        income_kinds=frozenset(IncomeKind),
        thresholds=(t0, t0 + steps[0], t0 + steps[0] + steps[1], t0 + sum(steps)),
        child_reduction=draw(st.decimals(min_value=0, max_value=150, places=2)),
        source="generated",
    )


def _income(kind: IncomeKind, value: Decimal) -> Income:
    return (
        Income(earned=value) if kind is IncomeKind.EARNED else Income(replacement=value)
    )


@given(table=tables(), value=amounts, children=st.integers(0, 12))
def test_property_never_more_than_the_income_and_bands_add_up(
    table: BracketTable, value: Decimal, children: int
) -> None:
    for kind in table.income_kinds:
        result = seizable_part(
            income=_income(kind, value), table=table, children=children
        )
        assert D(0) <= result.seizable <= value
        assert result.seizable + result.kept == value
        assert sum(band.amount for band in result.bands) == result.brackets_total
        assert result.seizable == max(
            D(0), result.brackets_total - children * table.child_reduction
        )
        for band in result.bands:
            assert abs(band.amount - band.exact_amount) < D("0.01")


@given(table=tables(), low=amounts, extra=amounts, children=st.integers(0, 12))
def test_property_never_decreases_when_the_income_grows_nor_takes_more_than_the_rise(
    table: BracketTable, low: Decimal, extra: Decimal, children: int
) -> None:
    for kind in table.income_kinds:
        before = seizable_part(
            income=_income(kind, low), table=table, children=children
        )
        after = seizable_part(
            income=_income(kind, low + extra), table=table, children=children
        )
        assert after.seizable >= before.seizable
        assert (
            after.seizable - before.seizable <= extra
        )  # the person keeps at least as much
        assert after.kept >= before.kept


@given(
    table=tables(), value=amounts, children=st.integers(0, 12), more=st.integers(1, 5)
)
def test_property_never_increases_with_more_children(
    table: BracketTable, value: Decimal, children: int, more: int
) -> None:
    for kind in table.income_kinds:
        fewer = seizable_part(
            income=_income(kind, value), table=table, children=children
        )
        most = seizable_part(
            income=_income(kind, value), table=table, children=children + more
        )
        assert most.seizable <= fewer.seizable


@given(table=tables(), value=amounts)
def test_property_replacement_never_seizes_less_than_earned_below_the_top(
    table: BracketTable, value: Decimal
) -> None:
    # 40 % from T1 instead of 30 %: replacement income is never better protected.
    assume(table.income_kinds == frozenset(IncomeKind))
    earned = seizable_part(income=Income(earned=value), table=table).seizable
    replacement = seizable_part(income=Income(replacement=value), table=table).seizable
    assert replacement >= earned
