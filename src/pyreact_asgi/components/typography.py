from __future__ import annotations

import re
from typing import Any

from pyreact_asgi.components.base import Child, Component, element
from pyreact_asgi.components.styling import font_size
from pyreact_asgi.exceptions import ConfigError
from pyreact_asgi.state.vars import Var

__all__ = ["code", "heading", "link", "markdown", "text"]

_HEADING_LEVELS = range(1, 7)
# Only these URL schemes become links in markdown; anything else ("javascript:") stays text.
_SAFE_URL = re.compile(r"^(https?://|mailto:|/|#|\./|\.\./|[A-Za-z0-9_\-./?=&%]+$)")


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


def markdown(source: str, **kwargs: Any) -> Component:
    """Markdown text, turned into components when the app is built (no markdown library in the browser).

    Supports headings (``#``), paragraphs, ``**bold**``, ``*italic*``, ```code```, links, bullet and
    numbered lists, block quotes, fenced code blocks and ``---`` rules. Raw HTML is shown as text, and only
    http(s), mailto and relative links become links.

    Args:
        source: The markdown text, known when the app is built.
        kwargs: Props and CSS properties of the wrapping ``<div>``.

    Raises:
        ConfigError: ``source`` is not a string (a Var's value only exists in the browser).
    """
    if not isinstance(source, str):
        raise ConfigError(
            f"Expected pr.markdown source to be a string known at build time, but got {source!r}; show a Var "
            "with pr.text instead."
        )
    return element("div", _blocks(source), kwargs, base_class="pr-markdown")


def _blocks(source: str) -> list[Component]:
    lines = source.strip("\n").splitlines()
    blocks: list[Component] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        if not stripped:
            i += 1
        elif stripped.startswith("```"):
            end = i + 1
            while end < len(lines) and not lines[end].strip().startswith("```"):
                end += 1
            blocks.append(
                Component(
                    "pre", {"class_name": "pr-code-block"}, (Component("code", {}, ("\n".join(lines[i + 1 : end]),)),)
                )
            )
            i = end + 1
        elif m := re.match(r"^(#{1,6})\s+(.*)$", stripped):
            level = len(m.group(1))
            blocks.append(Component(f"h{level}", {"class_name": f"pr-heading pr-h{level}"}, _inline(m.group(2))))
            i += 1
        elif re.match(r"^(-{3,}|\*{3,})$", stripped):
            blocks.append(Component("hr", {"class_name": "pr-divider"}))
            i += 1
        elif stripped.startswith(">"):
            quoted = []
            while i < len(lines) and lines[i].strip().startswith(">"):
                quoted.append(lines[i].strip()[1:].strip())
                i += 1
            blocks.append(Component("blockquote", {}, _blocks("\n".join(quoted))))
        elif re.match(r"^([-*+]|\d+[.)])\s+", stripped):
            ordered = bool(re.match(r"^\d", stripped))
            items = []
            while i < len(lines) and (m := re.match(r"^\s*([-*+]|\d+[.)])\s+(.*)$", lines[i])):
                items.append(Component("li", {}, _inline(m.group(2))))
                i += 1
            blocks.append(Component("ol" if ordered else "ul", {}, items))
        else:
            para = []
            while (
                i < len(lines)
                and lines[i].strip()
                and not re.match(r"^(#{1,6}\s|```|>|[-*+]\s|\d+[.)]\s)", lines[i].strip())
            ):
                para.append(lines[i].strip())
                i += 1
            blocks.append(Component("p", {}, _inline(" ".join(para))))
    return blocks


_INLINE = re.compile(r"`([^`]+)`|\*\*(.+?)\*\*|__(.+?)__|\*(.+?)\*|_(.+?)_|\[([^\]]+)\]\(([^)\s]+)\)")


def _inline(source: str) -> list[Child]:
    out: list[Child] = []
    pos = 0
    for m in _INLINE.finditer(source):
        if m.start() > pos:
            out.append(source[pos : m.start()])
        code_text, strong, strong2, em, em2, label, url = m.groups()
        if code_text is not None:
            out.append(Component("code", {"class_name": "pr-code"}, (code_text,)))
        elif strong is not None or strong2 is not None:
            out.append(Component("strong", {}, _inline(strong or strong2)))
        elif em is not None or em2 is not None:
            out.append(Component("em", {}, _inline(em or em2)))
        elif _SAFE_URL.match(url) and not url.lower().startswith(("javascript:", "data:", "vbscript:")):
            out.append(Component("Link", {"href": url, "class_name": "pr-link"}, _inline(label)))
        else:
            out.append(m.group(0))
        pos = m.end()
    if pos < len(source):
        out.append(source[pos:])
    return out
