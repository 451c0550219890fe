from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pyreact_asgi.components.base import Child, Component, element
from pyreact_asgi.components.control import foreach
from pyreact_asgi.exceptions import ConfigError
from pyreact_asgi.state.vars import Var

__all__ = ["ICONS", "avatar", "badge", "callout", "icon", "image", "progress", "spinner", "table"]

# A small built-in icon set: SVG path data on a 24 by 24 grid, drawn with a 2px stroke (Feather-style shapes).
ICONS = {
    "alert": "M12 9v4M12 17h.01M10.3 3.9 1.8 18a2 2 0 0 0 1.7 3h17a2 2 0 0 0 1.7-3L13.7 3.9a2 2 0 0 0-3.4 0z",
    "check": "M20 6 9 17l-5-5",
    "chevron_down": "m6 9 6 6 6-6",
    "chevron_right": "m9 18 6-6-6-6",
    "copy": "M9 9h11v11H9zM5 15H4V4h11v1",
    "download": "M21 15v4a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2v-4M7 10l5 5 5-5M12 15V3",
    "edit": "M12 20h9M16.5 3.5a2.1 2.1 0 0 1 3 3L7 19l-4 1 1-4z",
    "external_link": "M18 13v6a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2V8a2 2 0 0 1 2-2h6M15 3h6v6M10 14 21 3",
    "info": "M12 2a10 10 0 1 0 0 20 10 10 0 1 0 0-20zM12 16v-4M12 8h.01",
    "menu": "M3 12h18M3 6h18M3 18h18",
    "minus": "M5 12h14",
    "moon": "M21 12.8A9 9 0 1 1 11.2 3 7 7 0 0 0 21 12.8z",
    "plus": "M12 5v14M5 12h14",
    "search": "M11 3a8 8 0 1 0 0 16 8 8 0 1 0 0-16zM21 21l-4.35-4.35",
    "settings": "M12 9a3 3 0 1 0 0 6 3 3 0 1 0 0-6zM19.4 15a1.7 1.7 0 0 0 .3 1.8l.1.1a2 2 0 1 1-2.8 2.8l-.1-.1a1.7 1.7 0 0 0-1.8-.3 1.7 1.7 0 0 0-1 1.5V21a2 2 0 1 1-4 0v-.1a1.7 1.7 0 0 0-1.1-1.5 1.7 1.7 0 0 0-1.8.3l-.1.1a2 2 0 1 1-2.8-2.8l.1-.1a1.7 1.7 0 0 0 .3-1.8 1.7 1.7 0 0 0-1.5-1H3a2 2 0 1 1 0-4h.1a1.7 1.7 0 0 0 1.5-1.1 1.7 1.7 0 0 0-.3-1.8l-.1-.1a2 2 0 1 1 2.8-2.8l.1.1a1.7 1.7 0 0 0 1.8.3H9a1.7 1.7 0 0 0 1-1.5V3a2 2 0 1 1 4 0v.1a1.7 1.7 0 0 0 1 1.5 1.7 1.7 0 0 0 1.8-.3l.1-.1a2 2 0 1 1 2.8 2.8l-.1.1a1.7 1.7 0 0 0-.3 1.8V9a1.7 1.7 0 0 0 1.5 1H21a2 2 0 1 1 0 4h-.1a1.7 1.7 0 0 0-1.5 1z",
    "sun": "M12 7a5 5 0 1 0 0 10 5 5 0 1 0 0-10zM12 1v2M12 21v2M4.2 4.2l1.4 1.4M18.4 18.4l1.4 1.4M1 12h2M21 12h2M4.2 19.8l1.4-1.4M18.4 5.6l1.4-1.4",
    "trash": "M3 6h18M8 6V4h8v2M19 6l-1 14a2 2 0 0 1-2 2H8a2 2 0 0 1-2-2L5 6",
    "upload": "M21 15v4a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2v-4M17 8l-5-5-5 5M12 3v12",
    "user": "M20 21v-2a4 4 0 0 0-4-4H8a4 4 0 0 0-4 4v2M12 3a4 4 0 1 0 0 8 4 4 0 1 0 0-8z",
    "x": "M18 6 6 18M6 6l12 12",
}
_COLORS = ("accent", "gray", "green", "red", "amber", "blue")
_STATUSES = {"info": "info", "success": "check", "warning": "alert", "error": "alert"}


def icon(name: str, *, size: int | str = 18, label: str | None = None, **kwargs: Any) -> Component:
    """An icon from the built-in set (`ICONS`), drawn in the current text colour.

    Args:
        name: One of `ICONS`: "check", "x", "plus", "search", "info", "sun", ...
        size: Width and height (pixels, or any CSS length).
        label: What the icon means, for screen readers; without one it is hidden from them.
        kwargs: Props and CSS properties.

    Raises:
        ConfigError: Unknown icon name.
    """
    if name not in ICONS:
        raise ConfigError(f"Expected an icon name ({', '.join(sorted(ICONS))}), but got {name!r}.")
    if isinstance(size, bool) or not isinstance(size, (int, str)):
        raise ConfigError(f"Expected size of pr.icon to be pixels or a CSS length, but got {size!r}.")
    a11y = {"role": "img", "aria_label": label} if label else {"aria_hidden": "true"}
    svg_props = {
        "view_box": "0 0 24 24",
        "width": size,
        "height": size,
        "fill": "none",
        "stroke": "currentColor",
        "stroke_width": 2,
        "stroke_linecap": "round",
        "stroke_linejoin": "round",
        "focusable": "false",
    }
    return element(
        "svg",
        (Component("path", {"d": ICONS[name]}),),
        kwargs,
        props=frozenset(svg_props),
        base_class="pr-icon",
        defaults={**svg_props, **a11y},
    )


def badge(*children: Child, color: str = "accent", **kwargs: Any) -> Component:
    """A small label: a status, a count, a tag.

    Args:
        children: The text.
        color: "accent", "gray", "green", "red", "amber" or "blue".
        kwargs: Props and CSS properties.

    Raises:
        ConfigError: Unknown ``color``.
    """
    if color not in _COLORS:
        raise ConfigError(f"Expected color of pr.badge to be one of {', '.join(_COLORS)}, but got {color!r}.")
    return element("span", children, kwargs, base_class=f"pr-badge pr-badge-{color}")


def avatar(*, name: Any = None, src: Any = None, size: str = "2.5rem", **kwargs: Any) -> Component:
    """A round picture of a person: the image at ``src``, or else the initials of ``name``.

    Raises:
        ConfigError: Neither ``name`` nor ``src`` is given, or one is not a string or Var.
    """
    if name is None and src is None:
        raise ConfigError("Expected pr.avatar(name=...) or pr.avatar(src=...).")
    for key, value in (("name", name), ("src", src)):
        if value is not None and not isinstance(value, (str, Var)):
            raise ConfigError(f"Expected {key} of pr.avatar to be a string or Var, but got {value!r}.")
    kwargs.setdefault("width", size)
    kwargs.setdefault("height", size)
    if src is not None:
        child: Child = Component("img", {"src": src, "alt": name if name is not None else ""})
    elif isinstance(name, Var):
        child = Var(
            f"String({name.js} ?? '').split(/\\s+/).filter(Boolean).slice(0, 2).map((w) => w[0].toUpperCase()).join('')",
            name.states,
        )
    else:
        child = "".join(word[0].upper() for word in str(name).split()[:2])
    return element(
        "span", (child,), kwargs, base_class="pr-avatar", defaults={"title": name, "role": "img", "aria_label": name}
    )


def image(*, src: Any, alt: Any, **kwargs: Any) -> Component:
    """An image; ``alt`` describes it for screen readers ("" for a decorative one).

    Raises:
        ConfigError: ``src`` or ``alt`` is not a string or Var.
    """
    for key, value in (("src", src), ("alt", alt)):
        if not isinstance(value, (str, Var)):
            raise ConfigError(f"Expected {key} of pr.image to be a string or Var, but got {value!r}.")
    return element(
        "img",
        (),
        {**kwargs, "src": src, "alt": alt},
        props=frozenset({"src", "alt", "loading", "width", "height"}),
        base_class="pr-image",
    )


def spinner(*, label: str = "Loading", **kwargs: Any) -> Component:
    """A spinning circle for work in progress, announced as ``label`` to screen readers."""
    return element("span", (), kwargs, base_class="pr-spinner", defaults={"role": "status", "aria_label": label})


def callout(*children: Child, title: Child = None, status: str = "info", **kwargs: Any) -> Component:
    """A highlighted box for a note, tip, warning or error, with an icon.

    Args:
        children: The message.
        title: A bold first line.
        status: "info", "success", "warning" or "error".
        kwargs: Props and CSS properties.

    Raises:
        ConfigError: Unknown ``status``.
    """
    if status not in _STATUSES:
        raise ConfigError(f"Expected status of pr.callout to be one of {', '.join(_STATUSES)}, but got {status!r}.")
    body: list[Child] = []
    if title is not None:
        body.append(Component("strong", {"class_name": "pr-callout-title"}, (title,)))
    body.append(Component("div", {}, children))
    return element(
        "div",
        (icon(_STATUSES[status]), Component("div", {"class_name": "pr-callout-body"}, body)),
        kwargs,
        base_class=f"pr-callout pr-callout-{status}",
        defaults={"role": "alert" if status == "error" else "note"},
    )


def progress(value: Any = None, *, max: Any = 100, **kwargs: Any) -> Component:
    """A progress bar (``<progress>``): ``value`` out of ``max``; without a value it shows work of unknown length.

    Example: ``pr.progress(Job.percent, id="job-progress")``
    """
    return element(
        "progress",
        (),
        {"value": value, "max": max, **kwargs},
        props=frozenset({"value", "max"}),
        base_class="pr-progress",
    )


def table(rows: Any, columns: Sequence[str | tuple[str, Child]], **kwargs: Any) -> Component:
    """A table of rows, one column per key.

    Example: ``pr.table(Users.rows, columns=[("name", "Name"), ("email", "E-mail")])``

    Args:
        rows: A list var of dicts or Structs (rendered in the browser), or a list of dicts known at build time.
        columns: Keys of each row, or (key, header) pairs.
        kwargs: Props and CSS properties of the ``<table>``.

    Raises:
        ConfigError: ``rows`` is neither a Var nor a list of dicts, or ``columns`` is malformed.
    """
    if isinstance(columns, (str, Var)) or not isinstance(columns, Sequence) or not columns:
        raise ConfigError(
            f"Expected columns of pr.table to be a non-empty list of keys or (key, header) pairs, but got {columns!r}."
        )
    cols: list[tuple[str, Child]] = []
    for column in columns:
        if isinstance(column, str):
            cols.append((column, column.replace("_", " ").capitalize()))
        elif isinstance(column, tuple) and len(column) == 2 and isinstance(column[0], str):
            cols.append(column)
        else:
            raise ConfigError(
                f"Expected each column of pr.table to be a key or a (key, header) pair, but got {column!r}."
            )
    head = Component("thead", {}, (Component("tr", {}, [Component("th", {"scope": "col"}, (h,)) for _, h in cols]),))

    def row(item: Any) -> Component:
        if isinstance(item, Var):
            cells: list[Child] = [item[key] for key, _ in cols]
        else:
            cells = [_cell(item.get(key)) for key, _ in cols]
        return Component("tr", {}, [Component("td", {}, (cell,)) for cell in cells])

    if isinstance(rows, Var):
        body: list[Component] = [foreach(rows, row)]
    elif isinstance(rows, Sequence) and not isinstance(rows, str) and all(isinstance(r, Mapping) for r in rows):
        body = [row(r) for r in rows]
    else:
        raise ConfigError(f"Expected rows of pr.table to be a Var or a list of dicts, but got {rows!r}.")
    return element("table", (head, Component("tbody", {}, body)), kwargs, base_class="pr-table")


def _cell(value: Any) -> Child:
    if value is None or isinstance(value, (str, Var, Component)):
        return value
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, (int, float)):
        return value
    return str(value)
