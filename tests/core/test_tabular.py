"""The one CSV/XLSX writer every list and report uses (core/tabular.py)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from guichet.core import tabular


def _table(rows: list[list[object]]) -> tabular.Table:
    return tabular.Table(
        title="Complaints: pending [2026]",
        filters=[("Team", "=cc-fr"), ("Period", "2026-11")],
        headers=["Reference", "Amount", "Due", "Opened"],
        rows=rows,
    )


ROWS = [
    ["REQ-2026-0000001", Decimal("12.50"), dt.date(2026, 12, 1), None],
    [
        '=HYPERLINK("http://x")',
        Decimal("-3.00"),
        None,
        dt.datetime(2026, 7, 1, 10, 30, tzinfo=dt.UTC),
    ],
]


def _csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


def test_csv_has_filters_then_header_then_rows_in_brussels_time() -> None:
    rows = _csv_rows(tabular.to_csv(_table(ROWS)))
    assert rows[0] == ["Team", "'=cc-fr"]
    assert rows[1] == ["Period", "2026-11"]
    assert rows[2] == []
    assert rows[3] == ["Reference", "Amount", "Due", "Opened"]
    assert rows[4] == ["REQ-2026-0000001", "12.50", "2026-12-01", ""]
    # A formula is written as text; 10:30 UTC is 12:30 in Brussels in summer.
    assert rows[5] == ['\'=HYPERLINK("http://x")', "-3.00", "", "2026-07-01 12:30"]


def test_csv_streams_line_by_line() -> None:
    chunks = list(tabular.csv_chunks(_table(ROWS)))
    assert len(chunks) == 1 + len(ROWS)
    assert b"".join(chunks) == tabular.to_csv(_table(ROWS))


def test_xlsx_keeps_numbers_and_dates_and_neutralises_formulas() -> None:
    seen: list[int] = []
    many = ROWS * 1000
    data = tabular.to_xlsx(_table(many), progress=seen.append)
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet.title == "Complaints  pending  2026"
    cells = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert cells[0][0] == "Complaints: pending [2026]"
    assert cells[1][:2] == ["Team", "'=cc-fr"]
    assert cells[4] == ["Reference", "Amount", "Due", "Opened"]
    assert cells[5][:3] == ["REQ-2026-0000001", 12.5, dt.datetime(2026, 12, 1)]  # noqa: DTZ001 - spreadsheets hold naive times
    assert cells[6][0] == '\'=HYPERLINK("http://x")'
    assert cells[6][3] == dt.datetime(2026, 7, 1, 12, 30)  # noqa: DTZ001
    assert len(cells) == 5 + len(many)
    assert seen == [1000, 2000]


def test_filename_keeps_only_safe_characters() -> None:
    assert tabular.filename("dossiers/../é t", "csv") == "dossiers-..-é-t.csv"
    assert tabular.filename("///", "xlsx") == "export.xlsx"


@given(st.text(max_size=30))
def test_no_text_cell_can_start_a_formula(value: str) -> None:
    cell = tabular.text(value)
    assert cell[:1] not in tabular.FORMULA_STARTS
    assert cell in (value, "'" + value)
