from __future__ import annotations

import math
import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

import msgspec

from pyreact_asgi.exceptions import ConfigError

__all__ = ["TableData", "TablePage", "TableQuery"]

# Distinct (filter, sort) results kept per TableData: enough for a few users paging through different views.
_CACHED_VIEWS = 16


class TableQuery(msgspec.Struct, frozen=True, kw_only=True):
    """What one page of a server-side table asks for; validated before it reaches a query function.

    Attributes:
        sort: The column key to order by; "" for the data's own order.
        descending: Reverse the order.
        filter: Text every shown row contains (case-insensitive) in one of its filterable columns; "" for all.
        offset: Rows to skip.
        limit: Rows to return at most.
    """

    sort: str = ""
    descending: bool = False
    filter: str = ""
    offset: int = 0
    limit: int = 25


class TablePage(msgspec.Struct, frozen=True):
    """A page of rows and how many rows match the query in all."""

    rows: list[dict[str, Any]]
    total: int


def _sort_key(value: Any) -> tuple[int, Any]:
    # None and NaN last; numbers, then dates, then text: rows of mixed types still sort without raising.
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return (3, 0)
    if isinstance(value, bool | int | float):
        return (0, value)
    if isinstance(value, datetime | date):
        return (1, value.isoformat())
    return (2, str(value).casefold())


class TableData:
    """Rows held in memory, sorted, filtered and paged on the server for a `pr.DataTable`.

    Sort orders and filter results are computed once and kept (a few per instance), so paging through a
    view of 100 000 rows only slices a list. The rows are read, never changed: build a new TableData when
    they change.

    Args:
        rows: The rows, mappings from column key to value.
        filter_keys: The columns the filter text searches; every column of the first row when None.
    """

    def __init__(self, rows: Iterable[Mapping[str, Any]], *, filter_keys: Sequence[str] | None = None) -> None:
        self.rows: list[Mapping[str, Any]] = list(rows)
        if filter_keys is None:
            filter_keys = list(self.rows[0]) if self.rows else []
        self.filter_keys = tuple(filter_keys)
        self._orders: dict[str, list[int]] = {}
        self._views: OrderedDict[tuple[str, bool, str], list[int]] = OrderedDict()
        self._haystacks: list[str] | None = None
        # Queries run in worker threads (DataTable.query): one computes a view while others wait for it.
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self.rows)

    def _order(self, key: str) -> list[int]:
        order = self._orders.get(key)
        if order is None:
            rows = self.rows
            order = self._orders[key] = sorted(range(len(rows)), key=lambda i: _sort_key(rows[i].get(key)))
        return order

    def _matches(self, text: str) -> list[bool]:
        if self._haystacks is None:
            keys = self.filter_keys
            self._haystacks = [
                "\x00".join("" if row.get(k) is None else str(row.get(k)) for k in keys).casefold() for row in self.rows
            ]
        needle = text.casefold()
        return [needle in haystack for haystack in self._haystacks]

    def view(self, sort: str, descending: bool, filter: str) -> list[int]:
        """Returns the indexes of the rows matching ``filter``, in the order asked for. Thread-safe."""
        with self._lock:
            return self._view(sort, descending, filter)

    def _view(self, sort: str, descending: bool, filter: str) -> list[int]:
        cache_key = (sort, descending, filter)
        view = self._views.get(cache_key)
        if view is not None:
            self._views.move_to_end(cache_key)
            return view
        order = self._order(sort) if sort else list(range(len(self.rows)))
        if descending:
            # Reversed, but rows without a value stay last.
            missing = [i for i in order if _sort_key(self.rows[i].get(sort))[0] == 3] if sort else []
            present = [i for i in order if _sort_key(self.rows[i].get(sort))[0] != 3] if sort else order
            order = present[::-1] + missing
        if filter:
            matches = self._matches(filter)
            order = [i for i in order if matches[i]]
        self._views[cache_key] = order
        while len(self._views) > _CACHED_VIEWS:
            self._views.popitem(last=False)
        return order

    def query(self, query: TableQuery) -> TablePage:
        """Returns the page of rows ``query`` asks for.

        Raises:
            ConfigError: ``query.sort`` is not a column of the rows' first row (a bug in the app, not the client's:
                the client's column was checked against the table's columns already).
        """
        if query.sort and self.rows and query.sort not in self.rows[0]:
            raise ConfigError(f"Expected a column of the rows to sort by, but got {query.sort!r}.")
        view = self.view(query.sort, query.descending, query.filter)
        picked = view[query.offset : query.offset + query.limit]
        return TablePage([dict(self.rows[i]) for i in picked], len(view))
