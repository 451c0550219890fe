from __future__ import annotations

from typing import Any

from pyreact_asgi.components.base import Child, Component, element
from pyreact_asgi.exceptions import ConfigError
from pyreact_asgi.vars import Var

__all__ = ["box", "button", "heading", "hstack", "input", "link", "progress", "text", "upload", "vstack"]

_HEADING_SIZES = {1: "2rem", 2: "1.5rem", 3: "1.25rem", 4: "1.1rem", 5: "1rem", 6: ".9rem"}


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


def heading(*children: Child, level: int = 1, **kwargs: Any) -> Component:
    """A heading (``<h1>`` to ``<h6>``).

    Args:
        children: Text, Vars or components.
        level: 1 for the most important heading, down to 6.
        kwargs: Props and CSS properties.
    """
    if isinstance(level, bool) or level not in _HEADING_SIZES:
        raise ConfigError(f"Expected heading level from 1 to 6, but got {level!r}.")
    kwargs.setdefault("font_size", _HEADING_SIZES[level])
    return element(f"h{level}", children, kwargs, base_class="pr-heading")


def text(*children: Child, **kwargs: Any) -> Component:
    """A paragraph of text (``<p>``)."""
    return element("p", children, kwargs, base_class="pr-text")


def button(*children: Child, **kwargs: Any) -> Component:
    """A button; attach a handler with ``on_click=State.handler``."""
    return element(
        "button",
        children,
        kwargs,
        props=frozenset({"disabled", "type", "name"}),
        base_class="pr-button",
        defaults={"type": "button"},
    )


def input(**kwargs: Any) -> Component:
    """A text input.

    Bind it to a var with ``value=State.var`` and ``on_change=State.set_var``: the handler receives the
    text. What the user types is never overwritten by a late server update.
    """
    return element(
        "Input",
        (),
        kwargs,
        props=frozenset(
            {
                "value",
                "placeholder",
                "type",
                "name",
                "disabled",
                "read_only",
                "auto_focus",
                "max_length",
                "auto_complete",
                "required",
            }
        ),
        base_class="pr-input",
    )


def upload(**kwargs: Any) -> Component:
    """A file picker that uploads the chosen files to an upload handler, showing progress and errors.

    The handler takes one parameter annotated ``list[pr.UploadedFile]``; the files are on the server's disk
    while it runs and deleted after it returns. Size and count limits are ``Config.max_upload_bytes`` and
    ``Config.max_upload_files``.

    Example: ``pr.upload(on_upload=Files.receive, multiple=True, accept=".csv,text/csv")``
    """
    if "on_upload" not in kwargs:
        raise ConfigError("Expected pr.upload(on_upload=State.handler) with an upload handler.")
    return element(
        "Upload", (), kwargs, props=frozenset({"multiple", "accept", "disabled", "name"}), base_class="pr-upload"
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


def link(*children: Child, href: Any, **kwargs: Any) -> Component:
    """A link. A path (``"/reports"``) is a page of this app, relative to its mount path, and a click opens it
    without reloading; any other URL (``"https://..."``) is an ordinary link.

    Example: ``pr.link("Reports", href="/reports")``

    Raises:
        ConfigError: ``href`` is neither a string nor a Var.
    """
    if not isinstance(href, (str, Var)):
        raise ConfigError(f'Expected link href to be a path such as "/reports" or a URL, but got {href!r}.')
    return element(
        "Link", children, {"href": href, **kwargs}, props=frozenset({"href", "target", "rel"}), base_class="pr-link"
    )
