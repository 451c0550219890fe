from __future__ import annotations

from typing import Any

import msgspec

from pyreact_asgi.components.base import Component
from pyreact_asgi.components.package import BUILTIN, ComponentPackage
from pyreact_asgi.exceptions import ConfigError
from pyreact_asgi.table.state import DataTable

__all__ = ["TABLE", "data_table"]

# Drawn by frontend/src/lazy/table.js, loaded only by pages that show a data table.
TABLE = ComponentPackage("table", BUILTIN + "table")
_DataTable = TABLE.component(
    "DataTable",
    props={
        "columns": list[dict[str, Any]],
        "rows": list[dict[str, Any]],
        "total": int,
        "page": int,
        "page_size": int,
        "page_sizes": list[int],
        "sort": str,
        "descending": bool,
        "filter": str,
        "selected": list[str],
        "loaded": bool,
        "row_key": str,
        "selectable": bool,
        "exportable": bool,
        "height": str,
        "empty": str,
        "caption": str,
    },
    events=[
        "on_ready",
        "on_sort",
        "on_filter",
        "on_page",
        "on_page_size",
        "on_toggle",
        "on_select_page",
        "on_clear",
        "on_export",
    ],
)


def data_table(
    table: type[DataTable],
    *,
    selectable: bool = False,
    exportable: bool = True,
    height: str = "32rem",
    empty: str = "No rows match.",
    caption: str | None = None,
    **kwargs: Any,
) -> Component:
    """Shows a `pr.DataTable`: sortable headers, a filter box, pages, optional row selection and CSV export.

    The header stays in view while the rows scroll. Until the first page arrives the table shows a loading
    placeholder, and while a new page is on its way it is marked busy.

    Args:
        table: The DataTable subclass.
        selectable: Show a checkbox per row and one for the page; the keys are in ``table.selected``.
        exportable: Show a button that downloads the filtered rows as CSV.
        height: The table's scrolling height (CSS).
        empty: The text shown when no row matches.
        caption: The table's accessible name.
        kwargs: ``id``, ``class_name``, ``style`` and the other common props.

    Raises:
        ConfigError: ``table`` is not a DataTable subclass with columns.
    """
    if not (isinstance(table, type) and issubclass(table, DataTable)) or table is DataTable:
        raise ConfigError(f"Expected a pr.DataTable subclass for pr.data_table, but got {table!r}.")
    if not table.columns:
        raise ConfigError(f"Expected {table.__name__}.columns to list at least one pr.Column.")
    return _DataTable(
        columns=[msgspec.to_builtins(c) for c in table.columns],
        rows=table.rows,
        total=table.total,
        page=table.page,
        page_size=table.page_size,
        page_sizes=list(table.page_sizes),
        sort=table.sort,
        descending=table.descending,
        filter=table.filter,
        selected=table.selected,
        loaded=table.loaded,
        row_key=table.row_key,
        selectable=selectable,
        exportable=exportable,
        height=height,
        empty=empty,
        caption=caption,
        on_ready=table.load,
        on_sort=table.sort_by,
        on_filter=table.set_filter,
        on_page=table.go_to_page,
        on_page_size=table.set_page_size,
        on_toggle=table.toggle_row,
        on_select_page=table.select_page,
        on_clear=table.clear_selection,
        on_export=table.export_csv,
        **kwargs,
    )
