from __future__ import annotations

from typing import Any

from pyreact_asgi.components.base import Child, Component, element
from pyreact_asgi.exceptions import ConfigError
from pyreact_asgi.state.vars import Var

__all__ = ["box", "center", "container", "divider", "flex", "grid", "hstack", "spacer", "vstack"]


def vstack(*children: Child, **kwargs: Any) -> Component:
    """Stacks children vertically with even spacing. Keywords other than props are CSS properties.

    Example: ``pr.vstack(pr.heading("Hi"), pr.text("there"), gap="2rem")``
    """
    return element("div", children, kwargs, base_class="pr-vstack")


def hstack(*children: Child, **kwargs: Any) -> Component:
    """Lines children up horizontally with even spacing, vertically centred."""
    return element("div", children, kwargs, base_class="pr-hstack")


def box(*children: Child, **kwargs: Any) -> Component:
    """A plain container (``<div>``) with no styling of its own."""
    return element("div", children, kwargs)


def flex(
    *children: Child,
    direction: Any = None,
    align: Any = None,
    justify: Any = None,
    wrap: Any = None,
    **kwargs: Any,
) -> Component:
    """A flexbox container.

    Args:
        children: The items.
        direction: ``flex-direction``: "row" (the default), "column", ...; responsive values allowed.
        align: ``align-items``.
        justify: ``justify-content``.
        wrap: ``flex-wrap``.
        kwargs: Props and CSS properties (``gap="1rem"``).
    """
    for name, value in (("flex_direction", direction), ("align_items", align), ("justify_content", justify)):
        if value is not None:
            kwargs.setdefault(name, value)
    if wrap is not None:
        kwargs.setdefault("flex_wrap", wrap)
    return element("div", children, kwargs, base_class="pr-flex")


def grid(*children: Child, columns: Any = None, **kwargs: Any) -> Component:
    """A CSS grid.

    Args:
        children: The cells.
        columns: A number of equal columns (``3``), a ``grid-template-columns`` string, or a responsive list
            or dict of those (``[1, 2, 4]``).
        kwargs: Props and CSS properties (``gap="1rem"``).

    Raises:
        ConfigError: ``columns`` is not a number, string or responsive list or dict of them.
    """
    if columns is not None:
        kwargs.setdefault("grid_template_columns", _columns(columns))
    return element("div", children, kwargs, base_class="pr-grid")


def _columns(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return [None if v is None else _columns(v) for v in value]
    if isinstance(value, dict):
        return {k: _columns(v) for k, v in value.items()}
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return f"repeat({value},minmax(0,1fr))"
    if isinstance(value, (str, Var)):
        return value
    raise ConfigError(
        f'Expected columns of pr.grid to be a positive int or a string such as "1fr 2fr", but got {value!r}.'
    )


def container(*children: Child, size: str = "lg", **kwargs: Any) -> Component:
    """Centres content horizontally with a maximum width and side padding.

    Args:
        children: The content.
        size: "sm" (40rem), "md" (48rem), "lg" (64rem) or "xl" (80rem).
        kwargs: Props and CSS properties.

    Raises:
        ConfigError: Unknown ``size``.
    """
    widths = {"sm": "40rem", "md": "48rem", "lg": "64rem", "xl": "80rem"}
    if size not in widths:
        raise ConfigError(f'Expected size of pr.container to be "sm", "md", "lg" or "xl", but got {size!r}.')
    kwargs.setdefault("max_width", widths[size])
    return element("div", children, kwargs, base_class="pr-container")


def center(*children: Child, **kwargs: Any) -> Component:
    """Centres its children both ways."""
    return element("div", children, kwargs, base_class="pr-center")


def spacer(**kwargs: Any) -> Component:
    """Takes up the free space in a stack or flex container, pushing what follows to the far end."""
    return element("div", (), kwargs, base_class="pr-spacer")


def divider(*, vertical: bool = False, **kwargs: Any) -> Component:
    """A thin rule between content: horizontal (``<hr>``), or vertical inside an hstack."""
    if not isinstance(vertical, bool):
        raise ConfigError(f"Expected vertical of pr.divider to be a bool, but got {vertical!r}.")
    return element(
        "hr",
        (),
        kwargs,
        base_class="pr-divider pr-divider-vertical" if vertical else "pr-divider",
        defaults={"aria_orientation": "vertical"} if vertical else None,
    )
