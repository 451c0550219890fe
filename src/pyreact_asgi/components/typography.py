from __future__ import annotations

from typing import Any

from pyreact_asgi.components.base import Child, Component, element
from pyreact_asgi.components.styling import font_size
from pyreact_asgi.exceptions import ConfigError
from pyreact_asgi.state.vars import Var

__all__ = ["code", "heading", "link", "text"]

_HEADING_LEVELS = range(1, 7)


def _typeset(kwargs: dict[str, Any], size: Any, align: Any, where: str) -> dict[str, Any]:
    # Radix Text and Heading spellings (and so Reflex's): a step of the type scale, and text alignment.
    if size is not None:
        kwargs.setdefault("font_size", font_size(size, where))
    if align is not None:
        kwargs.setdefault("text_align", align)
    return kwargs


def heading(*children: Child, level: int = 1, size: Any = None, align: Any = None, **kwargs: Any) -> Component:
    """A heading (``<h1>`` to ``<h6>``).

    Args:
        children: Text, Vars or components.
        level: 1 for the most important heading, down to 6.
        size: A step of the type scale, "1" (12px) to "9" (60px), or a CSS size.
        align: ``text-align``.
        kwargs: Props and CSS properties.

    Raises:
        ConfigError: ``level`` is not an int from 1 to 6.
    """
    if isinstance(level, bool) or level not in _HEADING_LEVELS:
        raise ConfigError(f"Expected heading level from 1 to 6, but got {level!r}.")
    kwargs = _typeset(kwargs, size, align, "pr.heading")
    return element(f"h{level}", children, kwargs, base_class=f"pr-heading pr-h{level}")


def text(*children: Child, size: Any = None, align: Any = None, **kwargs: Any) -> Component:
    """A paragraph of text (``<p>``).

    Args:
        children: Text, Vars or components.
        size: A step of the type scale, "1" (12px) to "9" (60px), or a CSS size.
        align: ``text-align``.
        kwargs: Props and CSS properties.
    """
    return element("p", children, _typeset(kwargs, size, align, "pr.text"), base_class="pr-text")


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
