from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from pyreact_asgi.exceptions import ConfigError
from pyreact_asgi.state.vars import Var

__all__ = ["BREAKPOINTS", "PSEUDO_STATES", "css_value", "split_style"]

# Style keywords that start with "_" style the element in a state: pr.button(_hover={"background": "#000"}).
PSEUDO_STATES = {
    "_hover": ":hover",
    "_focus": ":focus",
    "_focus_visible": ":focus-visible",
    "_focus_within": ":focus-within",
    "_active": ":active",
    "_disabled": ":disabled",
    "_checked": ":checked",
    "_visited": ":visited",
    "_first": ":first-child",
    "_last": ":last-child",
    "_even": ":nth-child(even)",
    "_odd": ":nth-child(odd)",
    "_placeholder": "::placeholder",
}
# Mobile first: a responsive value applies from its breakpoint's min-width up.
BREAKPOINTS = {"base": None, "sm": "30em", "md": "48em", "lg": "62em", "xl": "80em"}
# Numbers for these are plain numbers; for every other property a number means pixels, as in React's inline styles.
_UNITLESS = frozenset(
    {
        "flex",
        "flex_grow",
        "flex_shrink",
        "font_weight",
        "line_height",
        "opacity",
        "order",
        "z_index",
        "zoom",
        "aspect_ratio",
        "grid_row",
        "grid_column",
    }
)
# A value is copied into a style sheet: these would end its declaration or rule and start the writer's own.
_FORBIDDEN = frozenset("{};<>\\")


def css_value(name: str, value: Any, where: str) -> str:
    """Returns a static style value as CSS text.

    Raises:
        ConfigError: The value is not a string or number, or holds characters that would escape its declaration.
    """
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise ConfigError(f'Expected CSS value of "{name}" for {where} to be a string or number, but got {value!r}.')
    if isinstance(value, str):
        if _FORBIDDEN & set(value):
            raise ConfigError(
                f'Expected CSS value of "{name}" for {where} without any of {{ }} ; < > \\, but got {value!r}.'
            )
        return value
    if value == 0 or name in _UNITLESS:
        return f"{value:g}"
    return f"{value:g}px"


def split_style(style: Mapping[str, Any], where: str) -> tuple[dict[str, Any], str | None, str]:
    """Splits CSS keywords into what the browser computes and what can be a class made at build time.

    Values that are Vars stay inline; every other value, pseudo-state and responsive value becomes one class
    whose name is a hash of its rules, so the same style always gives the same class.

    Args:
        style: CSS keywords by snake_case name.
        where: Names the component in error messages (``"<div>"``).

    Returns:
        The inline style, the class name (or None when every value is a Var) and the CSS text of the class.

    Raises:
        ConfigError: A value has a wrong type, an unknown pseudo-state or breakpoint, or a Var where only a
            static value can go.
    """
    inline: dict[str, Any] = {}
    # (pseudo selector, breakpoint) -> declarations
    rules: dict[tuple[str, str | None], list[str]] = {}
    for name, value in style.items():
        if name.startswith("_"):
            if name not in PSEUDO_STATES:
                known = ", ".join(sorted(PSEUDO_STATES))
                raise ConfigError(f"Expected a pseudo-state keyword for {where} ({known}), but got {name!r}.")
            if not isinstance(value, Mapping):
                raise ConfigError(
                    f'Expected {name} of {where} to be a dict of CSS properties such as {{"color": "red"}}, '
                    f"but got {value!r}."
                )
            for prop, inner in value.items():
                _static(rules, PSEUDO_STATES[name], str(prop), inner, f"{name} of {where}")
        elif isinstance(value, Var):
            inline[name] = value
        else:
            _static(rules, "", name, value, where)
    if not rules:
        return inline, None, ""
    order = list(BREAKPOINTS.values())
    blocks = []
    for (pseudo, breakpoint), declarations in sorted(rules.items(), key=lambda r: (order.index(r[0][1]), r[0][0])):
        rule = f"&{pseudo}{{{';'.join(declarations)}}}"
        blocks.append(rule if breakpoint is None else f"@media (min-width:{breakpoint}){{{rule}}}")
    text = "".join(blocks)
    class_name = "pr-" + hashlib.sha256(text.encode()).hexdigest()[:10]
    return inline, class_name, text.replace("&", f".{class_name}")


def _static(rules: dict[tuple[str, str | None], list[str]], pseudo: str, name: str, value: Any, where: str) -> None:
    if isinstance(value, Var):
        raise ConfigError(
            f'"{name}" of {where} is a Var; pseudo-state and responsive styles are built into CSS classes before '
            "any state exists, so set Vars only as plain style keywords."
        )
    if isinstance(value, (list, tuple)):
        if len(value) > len(BREAKPOINTS):
            raise ConfigError(
                f'Expected at most {len(BREAKPOINTS)} responsive values ({", ".join(BREAKPOINTS)}) for "{name}" '
                f"of {where}, but got {len(value)}."
            )
        value = dict(zip(BREAKPOINTS, value, strict=False))
    if isinstance(value, Mapping):
        for breakpoint, inner in value.items():
            if breakpoint not in BREAKPOINTS:
                raise ConfigError(
                    f'Expected breakpoints {", ".join(BREAKPOINTS)} for "{name}" of {where}, but got {breakpoint!r}.'
                )
            if inner is not None:
                _add(rules, pseudo, BREAKPOINTS[breakpoint], name, inner, where)
        return
    _add(rules, pseudo, None, name, value, where)


def _add(
    rules: dict[tuple[str, str | None], list[str]], pseudo: str, media: str | None, name: str, value: Any, where: str
) -> None:
    if isinstance(value, Var) or isinstance(value, (Mapping, list, tuple)):
        raise ConfigError(f'Expected a plain CSS value for "{name}" at a breakpoint of {where}, but got {value!r}.')
    prop = name if name.startswith("--") else name.replace("_", "-")
    rules.setdefault((pseudo, media), []).append(f"{prop}:{css_value(name, value, where)}")
