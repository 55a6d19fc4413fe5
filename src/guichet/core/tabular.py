"""Every list and report as CSV or XLSX, one writer for the whole project.

A `Table` is what an export holds: a title, the filters applied (label and value,
already in the reader's language), the column headers and the rows. The caller builds
it inside `translation.override(language)` so that headers and filters come out in the
agent's language; the writers only format:

- **CSV**: UTF-8 with a byte-order mark and `;` as separator, as Belgian spreadsheets
  open it; the filters first, a blank line, the header, the rows. `csv_chunks` yields
  it line by line for a streaming response; `to_csv` joins it.
- **XLSX** (openpyxl, write-only mode: memory stays flat however many rows): the
  filters on top, the header in bold, amounts and counts as numbers, dates as dates.

Every text cell that a spreadsheet would run as a formula (starting with `=`, `+`,
`-`, `@`, a tab or a carriage return) is prefixed with an apostrophe (CSV injection,
OWASP). Aware datetimes are written in Brussels wall-clock time: spreadsheets know
no time zones.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

BRUSSELS = ZoneInfo("Europe/Brussels")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SHEET_TITLE_MAX = 31  # Excel's limit on a sheet's name


@dataclass(frozen=True)
class Table:
    title: str
    filters: Sequence[tuple[str, str]]
    headers: Sequence[str]
    rows: Iterable[Sequence[Any]]


def safe(text: str) -> str:
    """A cell a spreadsheet will not run as a formula (CSV injection)."""
    return "'" + text if text[:1] in FORMULA_STARTS else text


def _wall_clock(value: dt.datetime) -> dt.datetime:
    if value.tzinfo is None:
        return value
    return value.astimezone(BRUSSELS).replace(tzinfo=None)


def text(value: Any) -> str:
    """A cell as CSV writes it: amounts with two decimals, ISO dates."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, dt.datetime):
        return _wall_clock(value).isoformat(sep=" ", timespec="minutes")
    if isinstance(value, dt.date):
        return value.isoformat()
    return safe(str(value))


def csv_chunks(table: Table) -> Iterator[bytes]:
    """The table as CSV, one encoded line at a time (the first starts with a BOM)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")

    def take() -> bytes:
        data = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return data.encode("utf-8")

    buffer.write("\ufeff")
    for label, value in table.filters:
        writer.writerow([safe(str(label)), safe(str(value))])
    writer.writerow([])
    writer.writerow([safe(str(header)) for header in table.headers])
    yield take()
    for row in table.rows:
        writer.writerow([text(cell) for cell in row])
        yield take()


def to_csv(table: Table) -> bytes:
    return b"".join(csv_chunks(table))


def _xlsx_cell(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | Decimal | float):
        return value
    if isinstance(value, dt.datetime):
        return _wall_clock(value)
    if isinstance(value, dt.date):
        return value
    return safe(str(value))


def to_xlsx(table: Table, *, progress: Any = None) -> bytes:
    """The table as an XLSX workbook. `progress(rows_written)` is called every
    1,000 rows when given (a background export's progress bar)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=_sheet_title(table.title))
    bold = Font(bold=True)
    sheet.append([_bold(sheet, table.title, bold, WriteOnlyCell)])
    for label, value in table.filters:
        sheet.append([safe(str(label)), safe(str(value))])
    sheet.append([])
    sheet.append(
        [
            _bold(sheet, safe(str(header)), bold, WriteOnlyCell)
            for header in table.headers
        ]
    )
    for count, row in enumerate(table.rows, start=1):
        sheet.append([_xlsx_cell(cell) for cell in row])
        if progress is not None and count % 1000 == 0:
            progress(count)
    data = io.BytesIO()
    book.save(data)
    return data.getvalue()


def _bold(sheet: Any, value: str, font: Any, cell_type: Any) -> Any:
    cell = cell_type(sheet, value=value)
    cell.font = font
    return cell


def _sheet_title(title: str) -> str:
    cleaned = "".join(" " if ch in "[]:*?/\\" else ch for ch in str(title)).strip()
    return cleaned[:SHEET_TITLE_MAX] or "Sheet"


CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def render(table: Table, fmt: str) -> bytes:
    """`fmt` is "csv" or "xlsx"."""
    if fmt == "csv":
        return to_csv(table)
    if fmt == "xlsx":
        return to_xlsx(table)
    raise ValueError(fmt)


def filename(stem: str, fmt: str) -> str:
    """A download's name: letters, digits, dots, dashes and underscores only."""
    clean = "".join(ch if ch.isalnum() or ch in "-_." else "-" for ch in stem)
    return f"{clean.strip('-') or 'export'}.{fmt}"
