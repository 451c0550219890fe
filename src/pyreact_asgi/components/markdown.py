from __future__ import annotations

from typing import Any

from pyreact_asgi.components.base import Component
from pyreact_asgi.components.package import BUILTIN, ComponentPackage
from pyreact_asgi.exceptions import ConfigError
from pyreact_asgi.state.vars import Var

__all__ = ["MARKDOWN", "code_block", "markdown"]

# Rendered in the browser by markdown-it (frontend/src/lazy/markdown.js), loaded only by pages that use it:
# a var streamed into by a background task is re-rendered on every delta, and no HTML is ever built on the
# server from text a client may have influenced.
MARKDOWN = ComponentPackage("markdown", BUILTIN + "markdown")
_Markdown = MARKDOWN.component("Markdown", props={"source": str})
_CodeBlock = MARKDOWN.component("CodeBlock", props={"code": str, "language": str})


def markdown(source: str | Var, **kwargs: Any) -> Component:
    """Markdown text, fixed or from a Var, rendered in the browser as it changes (a streamed reply grows live).

    CommonMark plus tables and strikethrough, by markdown-it; fenced code is highlighted by highlight.js
    (python, javascript, typescript, bash, json, sql, css, html, yaml). Safe for text from anyone: raw HTML in
    the text is shown as text, and only http(s), mailto and relative URLs become links or images
    (``javascript:``, ``data:`` and every other scheme stay text).

    Args:
        source: The markdown text, or a Var holding it.
        kwargs: ``id``, ``class_name``, ``style`` and the other common props of the wrapping ``<div>``.

    Raises:
        ConfigError: ``source`` is neither text nor a Var.
    """
    if not isinstance(source, (str, Var)):
        raise ConfigError(f"Expected pr.markdown source to be text or a Var, but got {source!r}.")
    return _Markdown(source=source, **kwargs)


def code_block(code: str | Var, *, language: str | Var = "", **kwargs: Any) -> Component:
    """A block of code, highlighted in the browser.

    Args:
        code: The code, or a Var holding it.
        language: A highlight.js language name or alias ("python", "js", "sh"); unknown ones are shown plain.
        kwargs: ``id``, ``class_name``, ``style`` and the other common props.

    Raises:
        ConfigError: ``code`` or ``language`` is neither text nor a Var.
    """
    if not isinstance(code, (str, Var)):
        raise ConfigError(f"Expected pr.code_block code to be text or a Var, but got {code!r}.")
    if not isinstance(language, (str, Var)):
        raise ConfigError(f"Expected language of pr.code_block to be text or a Var, but got {language!r}.")
    return _CodeBlock(code=code, language=language, **kwargs)
