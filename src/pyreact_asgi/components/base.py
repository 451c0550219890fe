from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any, Union

from pyreact_asgi._codec import js_literal
from pyreact_asgi.components.styling import split_style
from pyreact_asgi.exceptions import ConfigError
from pyreact_asgi.state import EventSpec
from pyreact_asgi.state.vars import Var

__all__ = ["Child", "Component", "element"]

Child = Union["Component", Var, str, int, float, None]

# Keyword arguments every component takes as attributes; any other plain keyword is a CSS property.
COMMON_PROPS = frozenset({"id", "class_name", "key", "title", "role", "tab_index", "style", "hidden", "lang", "dir"})
_PROP_NAME = re.compile(r"^_?[a-z][a-z0-9_]*$")


class Component:
    """One element of a page: a tag, its props and its children.

    Built by the component functions (``pr.vstack(...)``, ``pr.button(...)``), compiled to JSX at build time.

    Args:
        tag: An HTML tag (``"div"``) or the name of a component exported by the browser runtime (``"Input"``).
        props: Attributes, event triggers (``on_click``) and ``style``, with Python names.
        children: Nested components, Vars or text.
        css: The CSS rules of the static class in ``props["class_name"]``, collected into the app's style sheet.
        base_css: The default look of a built-in component that the runtime does not carry (cards, stats, ...),
            emitted once per app, before every static class, so the user's style keywords win over it.
    """

    __slots__ = ("base_css", "children", "css", "props", "tag")

    def __init__(
        self, tag: str, props: Mapping[str, Any], children: Iterable[Child] = (), css: str = "", base_css: str = ""
    ) -> None:
        self.tag = tag
        self.props = dict(props)
        self.children = tuple(children)
        self.css = css
        self.base_css = base_css

    def __repr__(self) -> str:
        return f"Component({self.tag!r}, props={sorted(self.props)!r}, children={len(self.children)})"


def element(
    tag: str,
    children: Iterable[Child],
    kwargs: Mapping[str, Any],
    *,
    props: frozenset[str] = frozenset(),
    base_class: str | None = None,
    defaults: Mapping[str, Any] | None = None,
) -> Component:
    """Builds a Component, sorting keyword arguments into props, event triggers and style.

    Static CSS keywords (and pseudo-states such as ``_hover``, and responsive lists or dicts) become a class
    built into the app's style sheet; CSS keywords whose value is a Var stay inline.

    Args:
        tag: See `Component`.
        children: See `Component`.
        kwargs: The user's keyword arguments.
        props: Names this component accepts as attributes besides the common ones.
        base_class: A CSS class of the runtime's default theme, merged with the user's ``class_name``.
        defaults: Attribute values used when the user passes none.
    """
    attrs: dict[str, Any] = dict(defaults or {})
    style: dict[str, Any] = {}
    for name, value in kwargs.items():
        if not _PROP_NAME.match(name) or name.startswith("_on_"):
            raise ConfigError(f"Expected a snake_case keyword for <{tag}>, but got {name!r}.")
        if name.startswith("on_"):
            if not isinstance(value, EventSpec):
                raise ConfigError(
                    f"Expected an event handler such as `State.handler` for {name!r} of <{tag}>, but got {value!r}."
                )
            attrs[name] = value
        elif name in COMMON_PROPS or name in props or name.startswith(("aria_", "data_")):
            attrs[name] = value
        else:
            style[name] = value
    explicit = attrs.get("style")
    # React throws on a string style at render time, which would blank the page in the browser.
    if explicit is not None and not isinstance(explicit, (Mapping, Var)):
        raise ConfigError(f'Expected style of <{tag}> to be a dict such as {{"color": "red"}}, but got {explicit!r}.')
    inline, static_class, css = split_style(style, f"<{tag}>")
    if inline:
        if isinstance(explicit, Var):
            raise ConfigError(
                f"Expected style of <{tag}> to be a dict when CSS keywords are also given, but got {explicit!r}; "
                "pass the CSS keywords inside the style Var instead."
            )
        attrs["style"] = {**inline, **(explicit or {})}
    classes = " ".join(c for c in (base_class, static_class) if c)
    if classes:
        user_class = attrs.get("class_name")
        attrs["class_name"] = classes if user_class is None else _join_class(classes, user_class)
    return Component(tag, attrs, children, css)


def _join_class(base: str, user: Any) -> Any:
    if isinstance(user, Var):
        return Var(f"{js_literal(base + ' ')} + ({user.js})", user.states)
    return f"{base} {user}"
