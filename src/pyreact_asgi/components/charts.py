from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import msgspec

from pyreact_asgi.components.base import Component
from pyreact_asgi.components.package import BUILTIN, ComponentPackage
from pyreact_asgi.exceptions import ConfigError
from pyreact_asgi.state.vars import Var

__all__ = ["CHARTS", "Series", "area_chart", "bar_chart", "line_chart", "pie_chart", "scatter_chart"]

# Drawn by Chart.js (frontend/src/lazy/charts.js), loaded only by pages that use a chart.
CHARTS = ComponentPackage("charts", BUILTIN + "charts")
ChartKind = Literal["line", "area", "bar", "pie", "donut", "scatter"]
_Chart = CHARTS.component(
    "Chart",
    props={
        "kind": str,
        "data": list[dict[str, Any]],
        "x": str,
        "series": list[dict[str, Any]],
        "height": int,
        "format": str,
        "legend": bool,
        "stacked": bool,
        "x_label": str,
        "y_label": str,
        "title": str,
    },
)
_FORMATS = ("number", "percent", "currency", "compact", "fixed", "suffix")


class Series(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """One series of a chart: the key of its values in each row, and how it is shown.

    Attributes:
        key: The row key holding this series' values.
        label: Shown in the legend and tooltip; the key when None.
        color: A CSS colour (``"#0ea5e9"``); one of the palette when None.
        stack: Series with the same stack name are stacked (bar and area charts).
    """

    key: str
    label: str | None = None
    color: str | None = None
    stack: str | None = None


def _series(y: str | Series | Sequence[str | Series], chart: str) -> list[dict[str, Any]]:
    items = [y] if isinstance(y, (str, Series)) else list(y)
    if not items:
        raise ConfigError(f"Expected at least one series for pr.{chart}, but got {y!r}.")
    out = []
    for item in items:
        if isinstance(item, str):
            item = Series(key=item)
        if not isinstance(item, Series):
            raise ConfigError(f"Expected a row key or pr.Series for the series of pr.{chart}, but got {item!r}.")
        out.append(msgspec.to_builtins(item))
    return out


def _chart(
    kind: ChartKind,
    chart: str,
    data: Var | list[dict[str, Any]],
    x: str,
    y: str | Series | Sequence[str | Series],
    *,
    height: int,
    format: str | None,
    legend: bool | None,
    stacked: bool,
    x_label: str | None,
    y_label: str | None,
    title: str | None,
    kwargs: dict[str, Any],
) -> Component:
    if not isinstance(data, (Var, list)):
        raise ConfigError(f"Expected data of pr.{chart} to be a list var or a list of dicts, but got {data!r}.")
    if not isinstance(x, str):
        raise ConfigError(f"Expected x of pr.{chart} to be the row key of the x values, but got {x!r}.")
    if isinstance(height, bool) or not isinstance(height, int) or not 40 <= height <= 4000:
        raise ConfigError(f"Expected height of pr.{chart} to be pixels from 40 to 4000, but got {height!r}.")
    if format is not None and (not isinstance(format, str) or format.split(":")[0] not in _FORMATS):
        raise ConfigError(
            f"Expected format of pr.{chart} to be one of {', '.join(_FORMATS)} (with an optional ':arg', as in "
            f"'currency:EUR'), but got {format!r}."
        )
    return _Chart(
        kind=kind,
        data=data,
        x=x,
        series=_series(y, chart),
        height=height,
        format=format,
        legend=legend,
        stacked=stacked or None,
        x_label=x_label,
        y_label=y_label,
        title=title,
        **kwargs,
    )


def line_chart(
    data: Var | list[dict[str, Any]],
    *,
    x: str,
    y: str | Series | Sequence[str | Series],
    height: int = 300,
    format: str | None = None,
    legend: bool | None = None,
    x_label: str | None = None,
    y_label: str | None = None,
    title: str | None = None,
    **kwargs: Any,
) -> Component:
    """A line chart of rows: ``x`` is the row key of the labels, ``y`` one or more series.

    When ``data`` is a Var the chart follows it: a delta that appends a row animates the new point in place
    rather than redrawing the chart.

    Args:
        data: A list var of dicts (or Structs), or a fixed list of dicts.
        x: The row key of the x labels.
        y: Row key(s) or `Series` of the values.
        height: Pixels.
        format: How the y axis and tooltips show values: "number", "percent", "currency:EUR", "compact",
            "fixed:2", or "suffix: ms".
        legend: Show the legend; shown by default.
        x_label: Title of the x axis.
        y_label: Title of the y axis.
        title: The chart's accessible name.
        kwargs: ``id``, ``class_name``, ``style`` and the other common props.

    Raises:
        ConfigError: A bad argument, named in the message.
    """
    return _chart("line", "line_chart", data, x, y, height=height, format=format, legend=legend, stacked=False,
                  x_label=x_label, y_label=y_label, title=title, kwargs=kwargs)  # fmt: skip


def area_chart(
    data: Var | list[dict[str, Any]],
    *,
    x: str,
    y: str | Series | Sequence[str | Series],
    height: int = 300,
    format: str | None = None,
    legend: bool | None = None,
    stacked: bool = False,
    x_label: str | None = None,
    y_label: str | None = None,
    title: str | None = None,
    **kwargs: Any,
) -> Component:
    """A line chart filled below its lines; ``stacked=True`` stacks the series. Arguments as `line_chart`."""
    return _chart("area", "area_chart", data, x, y, height=height, format=format, legend=legend, stacked=stacked,
                  x_label=x_label, y_label=y_label, title=title, kwargs=kwargs)  # fmt: skip


def bar_chart(
    data: Var | list[dict[str, Any]],
    *,
    x: str,
    y: str | Series | Sequence[str | Series],
    height: int = 300,
    format: str | None = None,
    legend: bool | None = None,
    stacked: bool = False,
    x_label: str | None = None,
    y_label: str | None = None,
    title: str | None = None,
    **kwargs: Any,
) -> Component:
    """A bar chart, one bar per row and series; ``stacked=True`` stacks the series. Arguments as `line_chart`."""
    return _chart("bar", "bar_chart", data, x, y, height=height, format=format, legend=legend, stacked=stacked,
                  x_label=x_label, y_label=y_label, title=title, kwargs=kwargs)  # fmt: skip


def pie_chart(
    data: Var | list[dict[str, Any]],
    *,
    label: str,
    value: str,
    donut: bool = False,
    height: int = 300,
    format: str | None = None,
    legend: bool | None = None,
    title: str | None = None,
    **kwargs: Any,
) -> Component:
    """A pie (or, with ``donut=True``, a doughnut) chart: one slice per row.

    Args:
        data: A list var of dicts, or a fixed list of dicts.
        label: The row key of each slice's label.
        value: The row key of each slice's value.
        donut: Draw a ring instead of a disc.
        height: Pixels.
        format: How tooltips show values; see `line_chart`.
        legend: Show the legend; shown by default.
        title: The chart's accessible name.
        kwargs: ``id``, ``class_name``, ``style`` and the other common props.

    Raises:
        ConfigError: A bad argument, named in the message.
    """
    if not isinstance(value, str):
        raise ConfigError(f"Expected value of pr.pie_chart to be a row key, but got {value!r}.")
    return _chart("donut" if donut else "pie", "pie_chart", data, label, value, height=height, format=format,
                  legend=legend, stacked=False, x_label=None, y_label=None, title=title, kwargs=kwargs)  # fmt: skip


def scatter_chart(
    data: Var | list[dict[str, Any]],
    *,
    x: str,
    y: str | Series | Sequence[str | Series],
    height: int = 300,
    format: str | None = None,
    legend: bool | None = None,
    x_label: str | None = None,
    y_label: str | None = None,
    title: str | None = None,
    **kwargs: Any,
) -> Component:
    """A scatter chart: each row is a point at (row[x], row[y]) on two numeric axes. Arguments as `line_chart`."""
    return _chart("scatter", "scatter_chart", data, x, y, height=height, format=format, legend=legend,
                  stacked=False, x_label=x_label, y_label=y_label, title=title, kwargs=kwargs)  # fmt: skip
