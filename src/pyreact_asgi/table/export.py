from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

__all__ = ["csv_cell", "to_csv"]

# A spreadsheet runs a cell starting with one of these as a formula (CSV injection, OWASP): "=HYPERLINK(...)".
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def csv_cell(value: Any) -> str:
    """Returns a value as CSV cell text that no spreadsheet evaluates: text that would start a formula gets a
    leading apostrophe (numbers stay numbers)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value) if isinstance(value, float) else str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def to_csv(
    rows: Iterable[Mapping[str, Any]], columns: Sequence[tuple[str, str]], *, max_bytes: int
) -> tuple[str, bool]:
    """Returns the rows as CSV text with a header row, and whether it stopped at ``max_bytes``.

    Args:
        rows: The rows.
        columns: (key, header) of each column, in order.
        max_bytes: The most UTF-8 bytes of CSV to return; rows past it are left out, whole.
    """
    line = io.StringIO()
    writer = csv.writer(line, lineterminator="\r\n")
    parts: list[str] = []
    size = 0
    header: list[Any] = [header for _, header in columns]
    body = ([row.get(key) for key, _ in columns] for row in rows)
    for cells in itertools.chain([header], body):
        line.seek(0)
        line.truncate()
        writer.writerow([csv_cell(cell) for cell in cells])
        text = line.getvalue()
        size += len(text.encode())
        if size > max_bytes:
            return "".join(parts), True
        parts.append(text)
    return "".join(parts), False
