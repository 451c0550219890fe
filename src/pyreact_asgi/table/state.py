from __future__ import annotations

import inspect
from collections.abc import Sequence
from typing import Annotated, Any, ClassVar, Literal, cast

import anyio
import msgspec

from pyreact_asgi.actions import Action, download, toast
from pyreact_asgi.exceptions import ConfigError
from pyreact_asgi.state import State, computed
from pyreact_asgi.state.events import EventHandler, Param
from pyreact_asgi.table.data import TableData, TablePage, TableQuery
from pyreact_asgi.table.export import to_csv

__all__ = ["Column", "ColumnType", "DataTable"]

ColumnType = Literal["text", "number", "date", "badge", "link"]
_KEY = r"^[A-Za-z_][A-Za-z0-9_]{0,63}$"
# Selection keys are row ids a client sends back: bounded like every other client string.
_MAX_KEY_LENGTH = 200
# A page number past any real table, so a client's 10**18 is refused rather than multiplied into an offset.
_MAX_PAGE = 10_000_000


class Column(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """One column of a `DataTable`.

    Attributes:
        key: The row key of the column's values.
        label: The header; the key when None.
        type: How cells show: "text"; "number" (right-aligned, formatted); "date" (an ISO date or datetime
            string, shown in the browser's locale); "badge" (a pill); "link" (the value is the URL, or
            ``href_key`` names the row key holding it; only http(s), mailto and relative URLs become links).
        format: For numbers: "number", "percent", "currency:EUR", "compact" or "fixed:2".
        href_key: For links: the row key of the URL, when the value is the link's text.
        sortable: Whether a click on the header sorts by this column.
        width: A CSS width for the column ("8rem", "20%").
    """

    key: Annotated[str, msgspec.Meta(pattern=_KEY)]
    label: str | None = None
    type: ColumnType = "text"
    format: str | None = None
    href_key: str | None = None
    sortable: bool = True
    width: str | None = None


def _sortable(state: type[State]) -> list[Param]:
    keys = tuple(c.key for c in cast("type[DataTable]", state).columns if c.sortable)
    # No sortable column: only "" (the data's own order) is accepted.
    return [Param("column", Literal[keys] if keys else Annotated[str, msgspec.Meta(max_length=0)])]


def _filter(state: type[State]) -> list[Param]:
    return [Param("text", Annotated[str, msgspec.Meta(max_length=cast("type[DataTable]", state).max_filter_length)])]


def _page(state: type[State]) -> list[Param]:
    return [Param("page", Annotated[int, msgspec.Meta(ge=1, le=_MAX_PAGE)])]


def _page_size(state: type[State]) -> list[Param]:
    return [Param("size", Literal[tuple(cast("type[DataTable]", state).page_sizes)])]


def _row_key(state: type[State]) -> list[Param]:
    return [Param("key", Annotated[str, msgspec.Meta(max_length=_MAX_KEY_LENGTH)])]


def _flag(state: type[State]) -> list[Param]:
    return [Param("on", bool)]


def _handler(fn: Any, params: Any = None) -> Any:
    # Parameters per subclass: the sortable columns, page sizes and bounds are the subclass's own, so a
    # client's unknown column or oversized filter is refused before the handler runs, as for any event.
    return EventHandler(fn, params=params or (lambda state: []))


class DataTable(State):
    """A table whose sorting, filtering, paging and selection happen on the server, for data that never fits
    in the browser. Subclass it, declare the columns, and give the rows with `data` (in memory) or `query`
    (anything else, such as a database); show it with ``pr.data_table(Orders)``.

    Example::

        ORDERS = pr.TableData(load_orders())  # 100 000 rows, shared by every client

        class Orders(pr.DataTable):
            columns = [pr.Column(key="id", type="number"), pr.Column(key="customer"),
                       pr.Column(key="total", type="number", format="currency:EUR")]

            def data(self) -> pr.TableData:
                return ORDERS

    Every client has its own view (sort, filter, page, selection); only the page's rows reach it. Each value
    a client sends is checked against the class's settings below before anything runs: an unknown column, a
    page below 1, a page size not offered or a filter longer than ``max_filter_length`` is refused.

    Attributes:
        columns: The columns, in order.
        row_key: The row key whose value identifies a row for selection.
        page_sizes: The page sizes a client may pick; the first is the default.
        max_filter_length: The longest filter text accepted.
        max_selected: The most rows one client can select.
        max_export_rows: The most rows a CSV export contains.
        max_export_bytes: The largest CSV export; rows past it are left out, and the user is told.
        export_filename: The name the CSV is saved under.
    """

    columns: ClassVar[Sequence[Column]] = ()
    row_key: ClassVar[str] = "id"
    page_sizes: ClassVar[Sequence[int]] = (25, 50, 100)
    max_filter_length: ClassVar[int] = 200
    max_selected: ClassVar[int] = 1_000
    max_export_rows: ClassVar[int] = 100_000
    max_export_bytes: ClassVar[int] = 5_000_000
    export_filename: ClassVar[str] = "export.csv"

    rows: list[dict[str, Any]] = []  # noqa: RUF012  (copied per client by the state model)
    total: int = 0
    page: int = 1
    page_size: int = 0
    sort: str = ""
    descending: bool = False
    filter: str = ""
    selected: list[str] = []  # noqa: RUF012
    loaded: bool = False

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        columns = list(cls.columns)
        if not all(isinstance(c, Column) for c in columns):
            raise ConfigError(f"Expected the columns of {cls.__name__} to be pr.Column(...), but got {columns!r}.")
        keys = [c.key for c in columns]
        if len(set(keys)) != len(keys):
            raise ConfigError(f"Expected the column keys of {cls.__name__} to differ, but got {keys!r}.")
        sizes = list(cls.page_sizes)
        if not sizes or not all(isinstance(n, int) and not isinstance(n, bool) and 1 <= n <= 1000 for n in sizes):
            raise ConfigError(f"Expected page_sizes of {cls.__name__} to be ints from 1 to 1000, but got {sizes!r}.")
        for name in ("max_filter_length", "max_selected", "max_export_rows", "max_export_bytes"):
            value = getattr(cls, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ConfigError(f"Expected {name} of {cls.__name__} to be an int >= 1, but got {value!r}.")

    @computed
    def selected_count(self) -> int:
        """How many rows this client has selected."""
        return len(self.selected)

    # ---- where the rows come from: override one of these two

    def data(self) -> TableData:
        """Returns the rows held in memory; override this, or `query`."""
        raise NotImplementedError(f"{type(self).__name__} must override data() or query().")

    async def query(self, query: TableQuery) -> TablePage:
        """Returns one page of rows; by default from `data`. Override it to ask a database (sync or ``async``).

        The default sorts and filters in a worker thread: a first sort or a new filter over 100 000 rows takes
        tens of milliseconds, which must not stall every other client's events on the event loop.
        """
        return await anyio.to_thread.run_sync(self.data().query, query)

    # ---- the view

    def _query(self, *, offset: int | None = None, limit: int | None = None) -> TableQuery:
        size = self.page_size or self.page_sizes[0]
        return TableQuery(
            sort=self.sort,
            descending=self.descending,
            filter=self.filter,
            offset=(self.page - 1) * size if offset is None else offset,
            limit=size if limit is None else limit,
        )

    async def _fetch(self, query: TableQuery) -> TablePage:
        result: Any = self.query(query)  # an override may be async
        return cast(TablePage, await result if inspect.isawaitable(result) else result)

    async def refresh(self) -> None:
        """Fetches the current page again (after the data changed, for example)."""
        size = self.page_size or self.page_sizes[0]
        self.page_size = size
        result = await self._fetch(self._query())
        last = max(1, -(-result.total // size))
        if self.page > last:  # the filter shrank the table below this page: show its last page
            self.page = last
            result = await self._fetch(self._query())
        self.rows = result.rows
        self.total = result.total
        self.loaded = True

    async def _load(self) -> None:
        await self.refresh()

    async def _sort_by(self, column: str) -> None:
        self.descending = not self.descending if column == self.sort else False
        self.sort = column
        self.page = 1
        await self.refresh()

    async def _set_filter(self, text: str) -> None:
        self.filter = text
        self.page = 1
        await self.refresh()

    async def _go_to_page(self, page: int) -> None:
        self.page = page
        await self.refresh()

    async def _set_page_size(self, size: int) -> None:
        first = (self.page - 1) * (self.page_size or self.page_sizes[0])
        self.page_size = size
        self.page = first // size + 1  # keep the first shown row on screen
        await self.refresh()

    def _toggle_row(self, key: str) -> Action | None:
        if key in self.selected:
            self.selected = [k for k in self.selected if k != key]
            return None
        if len(self.selected) >= self.max_selected:
            return toast(f"At most {self.max_selected} rows can be selected.", level="warning")
        self.selected = [*self.selected, key]
        return None

    def _select_page(self, on: bool) -> Action | None:
        keys = [str(row.get(self.row_key)) for row in self.rows]
        if not on:
            self.selected = [k for k in self.selected if k not in set(keys)]
            return None
        added = [k for k in keys if k not in set(self.selected)]
        if len(self.selected) + len(added) > self.max_selected:
            return toast(f"At most {self.max_selected} rows can be selected.", level="warning")
        self.selected = [*self.selected, *added]
        return None

    def _clear_selection(self) -> None:
        self.selected = []

    async def _export_csv(self) -> list[Action]:
        result = await self._fetch(self._query(offset=0, limit=self.max_export_rows))
        columns = [(c.key, c.label or c.key) for c in self.columns]
        text, cut = to_csv(result.rows, columns, max_bytes=self.max_export_bytes)
        actions: list[Action] = [
            download(filename=self.export_filename, data=text, media_type="text/csv;charset=utf-8")
        ]
        if cut or result.total > self.max_export_rows:
            actions.append(toast("The export was cut short: it holds the first rows only.", level="warning"))
        return actions

    load = _handler(_load)
    sort_by = _handler(_sort_by, _sortable)
    set_filter = _handler(_set_filter, _filter)
    go_to_page = _handler(_go_to_page, _page)
    set_page_size = _handler(_set_page_size, _page_size)
    toggle_row = _handler(_toggle_row, _row_key)
    select_page = _handler(_select_page, _flag)
    clear_selection = _handler(_clear_selection)
    export_csv = _handler(_export_csv)
