from __future__ import annotations

import base64
import re
from typing import Any, Literal

import msgspec

from pyreact_asgi.exceptions import ActionError
from pyreact_asgi.state import EventSpec

__all__ = [
    "Action",
    "Download",
    "Redirect",
    "RunScript",
    "ScrollTo",
    "SetFocus",
    "SetValue",
    "Toast",
    "call_script",
    "download",
    "redirect",
    "scroll_to",
    "set_focus",
    "set_value",
    "toast",
]

ToastLevel = Literal["info", "success", "warning", "error"]

_ELEMENT_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_:.\-]{0,199}$")
_EXTERNAL = re.compile(r"^https?://[^\s/]+", re.IGNORECASE)
# Browsers read a backslash as "/" and drop tabs and newlines inside a URL, so "/\\evil.example" and
# "/\t/evil.example" both mean "//evil.example": another site. No location may hold them.
_MISREAD = re.compile(r"[\x00-\x1f\x7f\\]")


class Action(msgspec.Struct, frozen=True, tag_field="kind"):
    """Something the browser does after an event: a handler returns or yields it (``return pr.toast("Saved")``).

    Actions reach the browser after the event's delta, in the order the handler produced them.
    """


class Redirect(Action, frozen=True, tag="redirect"):
    to: str
    replace: bool = False


class Toast(Action, frozen=True, tag="toast"):
    message: str
    level: ToastLevel = "info"
    duration: float = 4.0


class SetFocus(Action, frozen=True, tag="focus"):
    target: str


class SetValue(Action, frozen=True, tag="set_value"):
    target: str
    value: str


class RunScript(Action, frozen=True, tag="script"):
    code: str
    callback: str | None = None


class Download(Action, frozen=True, tag="download"):
    filename: str
    url: str | None = None
    data: str | None = None  # base64
    media_type: str = "application/octet-stream"


class ScrollTo(Action, frozen=True, tag="scroll"):
    target: str
    smooth: bool = True


def _element_id(target: str) -> str:
    if not isinstance(target, str) or not _ELEMENT_ID.match(target):
        raise ActionError(f'Expected an element id such as "name-input", but got {target!r}.')
    return target


def _location(to: str) -> str:
    if not isinstance(to, str):
        raise ActionError(f"Expected a path or URL to go to, but got {to!r}.")
    if not _MISREAD.search(to) and ((to.startswith("/") and not to.startswith("//")) or _EXTERNAL.match(to)):
        return to
    raise ActionError(
        f'Expected a path inside the app such as "/reports" (relative to the mount path) or an http(s) URL, '
        f"but got {to!r}."
    )


def redirect(to: str, *, replace: bool = False) -> Redirect:
    """Sends the browser to another page.

    Args:
        to: A path inside the app (``"/reports?year=2026"``), taken relative to the app's mount path, so the
            same code works at any mount; or an absolute ``http(s)://`` URL to leave the app.
        replace: Replace the current history entry instead of adding one.

    Raises:
        ActionError: ``to`` is neither (a ``javascript:`` URL, a protocol-relative ``//host``...).
    """
    return Redirect(_location(to), replace)


def toast(message: str, *, level: ToastLevel = "info", duration: float = 4.0) -> Toast:
    """Shows a short notification in the corner of the page.

    Args:
        message: The text, shown as text (never as HTML).
        level: "info", "success", "warning" or "error": the toast's colour and its ARIA role.
        duration: Seconds before it goes away by itself; 0 keeps it until closed.
    """
    if level not in ("info", "success", "warning", "error"):
        raise ActionError(f'Expected toast level "info", "success", "warning" or "error", but got {level!r}.')
    return Toast(str(message), level, float(duration))


def set_focus(target: str) -> SetFocus:
    """Moves keyboard focus to the element with this id."""
    return SetFocus(_element_id(target))


def set_value(target: str, value: str) -> SetValue:
    """Sets the value of the input with this id, as if the user had typed it (its on_change handler runs)."""
    return SetValue(_element_id(target), str(value))


def scroll_to(target: str, *, smooth: bool = True) -> ScrollTo:
    """Scrolls the element with this id into view."""
    return ScrollTo(_element_id(target), smooth)


def call_script(code: str, *, callback: EventSpec | None = None) -> RunScript:
    """Runs JavaScript in the page; its value (awaited if a promise) can be sent back to a handler.

    Args:
        code: A JavaScript function body; ``return`` its result: ``"return window.innerWidth"``.
        callback: A handler that takes one argument (``Layout.got_width``), called with the result.
    """
    if callback is not None and not isinstance(callback, EventSpec):
        raise ActionError(f"Expected callback to be an event handler such as State.handler, but got {callback!r}.")
    return RunScript(str(code), None if callback is None else callback.path)


def download(
    *, filename: str, data: bytes | str | None = None, url: str | None = None, media_type: str | None = None
) -> Download:
    """Makes the browser save a file: bytes or text from the handler, or a URL to fetch.

    Args:
        filename: The name the browser saves it under.
        data: The content, sent with the action; for large files, use ``url`` instead.
        url: A path inside the app (relative to the mount path) or an http(s) URL to download from.
        media_type: The content's media type; text defaults to ``text/plain;charset=utf-8``.
    """
    if (data is None) == (url is None):
        raise ActionError("Expected exactly one of data= or url= for a download.")
    if data is not None:
        raw = data.encode() if isinstance(data, str) else bytes(data)
        kind = media_type or ("text/plain;charset=utf-8" if isinstance(data, str) else "application/octet-stream")
        return Download(str(filename), data=base64.b64encode(raw).decode(), media_type=kind)
    return Download(str(filename), url=_location(url or ""), media_type=media_type or "application/octet-stream")


def collect(result: Any) -> list[Action]:
    """Returns the actions in what a handler returned or yielded: one action, or a list or tuple of them."""
    if isinstance(result, Action):
        return [result]
    if isinstance(result, (list, tuple)):
        return [item for item in result if isinstance(item, Action)]
    return []
