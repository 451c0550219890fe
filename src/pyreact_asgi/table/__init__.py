"""Server-side data tables: rows sorted, filtered, paged and selected on the server.

data.py     TableData (rows in memory, with cached sort orders), TableQuery, TablePage
state.py    Column and the DataTable state whose events a client sends, each validated
export.py   CSV export that no spreadsheet evaluates as formulas
"""

from __future__ import annotations

from pyreact_asgi.table.data import TableData, TablePage, TableQuery
from pyreact_asgi.table.export import csv_cell, to_csv
from pyreact_asgi.table.state import Column, ColumnType, DataTable

__all__ = ["Column", "ColumnType", "DataTable", "TableData", "TablePage", "TableQuery", "csv_cell", "to_csv"]
