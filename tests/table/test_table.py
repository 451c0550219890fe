from __future__ import annotations

from typing import Any

import pytest

import pyreact_asgi as pr
from pyreact_asgi.table import csv_cell, to_csv


def _data() -> pr.TableData:
    rows: list[dict[str, Any]] = [
        {"id": 1, "name": "b", "n": 3.0},
        {"id": 2, "name": "A", "n": None},
        {"id": 3, "name": "c", "n": 1.0},
        {"id": 4, "name": "a", "n": 2.0},
    ]
    return pr.TableData(rows)


def _ids(page: pr.TablePage) -> list[int]:
    return [row["id"] for row in page.rows]


def test_table_data_sorts_with_missing_values_last_both_ways() -> None:
    data = _data()
    assert _ids(data.query(pr.TableQuery(sort="n"))) == [3, 4, 1, 2]
    assert _ids(data.query(pr.TableQuery(sort="n", descending=True))) == [1, 4, 3, 2]
    assert _ids(data.query(pr.TableQuery(sort="name"))) == [2, 4, 1, 3]  # case-insensitive, stable


def test_table_data_filters_case_insensitively_and_pages() -> None:
    data = _data()
    page = data.query(pr.TableQuery(filter="A", limit=1, offset=1))
    assert page.total == 2
    assert _ids(page) == [4]
    assert data.query(pr.TableQuery(filter="zzz")).total == 0


def test_table_data_returns_copies_of_rows() -> None:
    data = _data()
    data.query(pr.TableQuery()).rows[0]["name"] = "changed"
    assert data.rows[0]["name"] == "b"


def test_table_data_refuses_a_sort_key_that_is_not_a_column() -> None:
    with pytest.raises(pr.ConfigError, match=r"Expected a column of the rows to sort by, but got 'x'"):
        _data().query(pr.TableQuery(sort="x"))


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("plain", "plain"),
        (-1, "-1"),
        (2.5, "2.5"),
        (None, ""),
        (True, "true"),
    ],
)
def test_csv_cell_escapes_what_a_spreadsheet_would_run(value: Any, cell: str) -> None:
    assert csv_cell(value) == cell


def test_to_csv_stops_at_the_byte_bound_on_a_whole_row() -> None:
    rows = [{"a": "x" * 10} for _ in range(100)]
    text, cut = to_csv(rows, [("a", "A")], max_bytes=50)
    assert cut
    assert text == "A\r\n" + "xxxxxxxxxx\r\n" * 3
    assert to_csv(rows[:2], [("a", "A")], max_bytes=10_000) == ("A\r\n" + "xxxxxxxxxx\r\n" * 2, False)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"columns": ["id"]}, r"Expected the columns of Bad to be pr.Column"),
        ({"columns": [pr.Column(key="a"), pr.Column(key="a")]}, r"Expected the column keys of Bad to differ"),
        ({"page_sizes": ()}, r"Expected page_sizes of Bad to be ints from 1 to 1000"),
        ({"page_sizes": (10, 5000)}, r"Expected page_sizes of Bad to be ints from 1 to 1000"),
        ({"max_selected": 0}, r"Expected max_selected of Bad to be an int >= 1"),
    ],
)
def test_data_table_settings_are_checked_when_the_class_is_made(body: dict[str, Any], message: str) -> None:
    with pytest.raises(pr.ConfigError, match=message):
        type("Bad", (pr.DataTable,), body)


def test_data_table_component_needs_a_subclass_with_columns() -> None:
    class Empty(pr.DataTable):
        pass

    with pytest.raises(pr.ConfigError, match=r"Expected a pr.DataTable subclass"):
        pr.data_table(pr.DataTable)
    with pytest.raises(pr.ConfigError, match=r"Expected Empty.columns to list at least one pr.Column"):
        pr.data_table(Empty)
