from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pyreact_asgi.components.base import Child, Component, element
from pyreact_asgi.exceptions import ConfigError
from pyreact_asgi.state.vars import Var

__all__ = ["accordion", "color_mode_toggle", "dialog", "dropdown_menu", "menu_item", "popover", "tabs", "tooltip"]


def _component(value: Any, what: str) -> Component:
    if not isinstance(value, Component):
        raise ConfigError(f"Expected {what} to be a component such as pr.button(...), but got {value!r}.")
    return value


def dialog(
    *children: Child,
    trigger: Component | None = None,
    title: Child = None,
    open: Any = None,
    close_on_submit: bool = True,
    **kwargs: Any,
) -> Component:
    """A modal dialog: focus stays inside while it is open, Escape or the close button closes it.

    Example: ``pr.dialog(pr.form(...), trigger=pr.button("Edit"), title="Edit profile")``

    Args:
        children: The content.
        trigger: A component that opens the dialog when clicked.
        title: The dialog's heading, which also names it for screen readers.
        open: A bool Var to open and close it from the server; the user can still close it (``on_close``
            tells the server).
        close_on_submit: Close when a form inside is submitted.
        kwargs: Props (``on_close``) and CSS properties of the dialog panel.

    Raises:
        ConfigError: ``trigger`` is not a component, or ``open`` is not a bool or Var.
    """
    if trigger is not None:
        children = (_component(trigger, "trigger of pr.dialog"), *children)
    if open is not None and not isinstance(open, (bool, Var)):
        raise ConfigError(f"Expected open of pr.dialog to be a bool or Var, but got {open!r}.")
    props = {"has_trigger": trigger is not None, "title": title, "open": open, "close_on_submit": close_on_submit}
    return element("Dialog", children, {**kwargs, **props}, props=frozenset(props), base_class="pr-dialog")


def popover(trigger: Component, *children: Child, **kwargs: Any) -> Component:
    """A panel that opens under ``trigger`` when it is clicked; Escape or a click outside closes it.

    Raises:
        ConfigError: ``trigger`` is not a component.
    """
    return element(
        "Popover", (_component(trigger, "trigger of pr.popover"), *children), kwargs, base_class="pr-popover"
    )


def tooltip(child: Component, *, content: Any, **kwargs: Any) -> Component:
    """Shows ``content`` (text or a Var) beside ``child`` while it is hovered or focused.

    Raises:
        ConfigError: ``child`` is not a component or ``content`` is not text or a Var.
    """
    if not isinstance(content, (str, Var)):
        raise ConfigError(f"Expected content of pr.tooltip to be text or a Var, but got {content!r}.")
    return element(
        "Tooltip",
        (_component(child, "child of pr.tooltip"),),
        {**kwargs, "content": content},
        props=frozenset({"content"}),
        base_class="pr-tooltip",
    )


def dropdown_menu(trigger: Component, *items: Component, **kwargs: Any) -> Component:
    """A menu of `menu_item`\\ s that opens under ``trigger``; arrow keys move, Enter picks, Escape closes.

    Example: ``pr.dropdown_menu(pr.button("Actions"), pr.menu_item("Delete", on_click=Doc.delete))``

    Raises:
        ConfigError: ``trigger`` or an item is not a component.
    """
    for item in items:
        _component(item, "each item of pr.dropdown_menu")
    return element(
        "DropdownMenu", (_component(trigger, "trigger of pr.dropdown_menu"), *items), kwargs, base_class="pr-menu"
    )


def menu_item(*children: Child, **kwargs: Any) -> Component:
    """An entry of a `dropdown_menu`; attach a handler with ``on_click``."""
    return element(
        "button",
        children,
        kwargs,
        props=frozenset({"disabled"}),
        base_class="pr-menu-item",
        defaults={"type": "button", "role": "menuitem", "tab_index": -1},
    )


def _items(items: tuple[Any, ...], fn: str) -> tuple[list[Child], list[Child]]:
    if len(items) == 1 and isinstance(items[0], Mapping):
        pairs: Sequence[Any] = list(items[0].items())
    else:
        pairs = items
    if not pairs:
        raise ConfigError(f"Expected pr.{fn} to get at least one (label, content) pair.")
    labels: list[Child] = []
    panels: list[Child] = []
    for pair in pairs:
        if not (isinstance(pair, tuple) and len(pair) == 2 and isinstance(pair[0], (str, Var))):
            raise ConfigError(f"Expected each item of pr.{fn} to be a (label, content) pair, but got {pair!r}.")
        labels.append(pair[0])
        panels.append(pair[1])
    return labels, panels


def tabs(*items: Any, default: int = 0, **kwargs: Any) -> Component:
    """Tabs: one panel shown at a time, chosen by its label; arrow keys move between labels.

    Example: ``pr.tabs(("Overview", overview()), ("Settings", settings()))`` or a dict of label → content.
    ``on_change`` receives the chosen label.

    Args:
        items: (label, content) pairs, or one dict.
        default: Index of the panel shown first.
        kwargs: Props (``on_change``) and CSS properties.

    Raises:
        ConfigError: Items are not (label, content) pairs, or ``default`` is out of range.
    """
    labels, panels = _items(items, "tabs")
    if isinstance(default, bool) or not isinstance(default, int) or not 0 <= default < len(labels):
        raise ConfigError(
            f"Expected default of pr.tabs to be an index from 0 to {len(labels) - 1}, but got {default!r}."
        )
    props = {"labels": labels, "default_index": default}
    return element("Tabs", panels, {**kwargs, **props}, props=frozenset(props), base_class="pr-tabs")


def accordion(*items: Any, multiple: bool = False, default_open: Sequence[int] = (), **kwargs: Any) -> Component:
    """Sections that open and close by their header.

    Args:
        items: (label, content) pairs, or one dict.
        multiple: Let several sections be open at once; otherwise opening one closes the others.
        default_open: Indexes of the sections open at first.
        kwargs: Props and CSS properties.

    Raises:
        ConfigError: Items are not (label, content) pairs, or ``default_open`` is not a list of indexes.
    """
    labels, panels = _items(items, "accordion")
    if not isinstance(multiple, bool):
        raise ConfigError(f"Expected multiple of pr.accordion to be a bool, but got {multiple!r}.")
    if isinstance(default_open, (str, bytes)) or not all(
        isinstance(i, int) and not isinstance(i, bool) and 0 <= i < len(labels) for i in default_open
    ):
        raise ConfigError(
            f"Expected default_open of pr.accordion to be indexes from 0 to {len(labels) - 1}, but got {default_open!r}."
        )
    props = {"labels": labels, "multiple": multiple, "default_open": list(default_open)}
    return element("Accordion", panels, {**kwargs, **props}, props=frozenset(props), base_class="pr-accordion")


def color_mode_toggle(**kwargs: Any) -> Component:
    """A button that switches between light and dark mode; the choice is kept in the browser's localStorage."""
    return element("ColorModeToggle", (), kwargs, base_class="pr-button pr-button-ghost pr-color-mode")
