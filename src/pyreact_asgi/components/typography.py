from __future__ import annotations

from typing import Any

from pyreact_asgi.components.base import Child, Component, element
from pyreact_asgi.exceptions import ConfigError
from pyreact_asgi.state.vars import Var

__all__ = ["code", "heading", "link", "text"]

_HEADING_LEVELS = range(1, 7)


def heading(*children: Child, level: int = 1, **kwargs: Any) -> Component:
    """A heading (``<h1>`` to ``<h6>``).

    Args:
        children: Text, Vars or components.
        level: 1 for the most important heading, down to 6.
        kwargs: Props and CSS properties.

    Raises:
        ConfigError: ``level`` is not an int from 1 to 6.
    """
    if isinstance(level, bool) or level not in _HEADING_LEVELS:
        raise ConfigError(f"Expected heading level from 1 to 6, but got {level!r}.")
    return element(f"h{level}", children, kwargs, base_class=f"pr-heading pr-h{level}")


def text(*children: Child, **kwargs: Any) -> Component:
    """A paragraph of text (``<p>``)."""
    return element("p", children, kwargs, base_class="pr-text")


def link(*children: Child, href: Any, is_external: bool = False, **kwargs: Any) -> Component:
    """A link. A path (``"/reports"``) is a page of this app, relative to its mount path, and a click opens it
    without reloading; any other URL (``"https://..."``) is an ordinary link.

    Args:
        children: The link text.
        href: A page of the app ("/reports") or any URL.
        is_external: Open in a new tab, without giving it access to this one.
        kwargs: Props and CSS properties.

    Raises:
        ConfigError: ``href`` is not a string or Var.
    """
    if not isinstance(href, (str, Var)):
        raise ConfigError(f'Expected link href to be a path such as "/reports" or a URL, but got {href!r}.')
    if is_external:
        kwargs.setdefault("target", "_blank")
        kwargs.setdefault("rel", "noopener noreferrer")
    kwargs["href"] = href
    return element(
        "Link", children, kwargs, props=frozenset({"href", "target", "rel", "download"}), base_class="pr-link"
    )


def code(*children: Child, block: bool = False, **kwargs: Any) -> Component:
    """Code in a monospace font: inline (``<code>``), or a block keeping line breaks (``<pre>``)."""
    if not isinstance(block, bool):
        raise ConfigError(f"Expected block of pr.code to be a bool, but got {block!r}.")
    if block:
        return element("pre", (Component("code", {}, children),), kwargs, base_class="pr-code-block")
    return element("code", children, kwargs, base_class="pr-code")
