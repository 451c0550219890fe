from __future__ import annotations

import difflib
import hashlib
from collections.abc import Mapping
from typing import Any

from pyreact_asgi.components._css_properties import CSS_PROPERTIES, VENDOR_PREFIXES
from pyreact_asgi.exceptions import ConfigError
from pyreact_asgi.state.vars import Var

__all__ = [
    "BREAKPOINTS",
    "PSEUDO_STATES",
    "RADIX_COLORS",
    "SPACE_SCALE",
    "check_property",
    "css_value",
    "font_size",
    "space",
    "split_style",
]

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
        "line_clamp",
        "webkit_line_clamp",
    }
)
# The spacing scale of Radix Themes (and so of Reflex): gap="4" or spacing="4" is the 4th step. A page is built
# before it knows the app's theme, so a step becomes a CSS variable that `pr.Theme(space=...)` may redefine,
# with the default as its fallback.
SPACE_SCALE = ("0", "4px", "8px", "12px", "16px", "24px", "32px", "40px", "48px", "64px")
_SPACED = frozenset({"gap", "row_gap", "column_gap"}) | {
    f"{box}{side}"
    for box in ("padding", "margin")
    for side in ("", "_top", "_right", "_bottom", "_left", "_block", "_inline")
}
# Step 9 of each Radix colour scale: color_scheme="red" gives a component that colour as its accent.
RADIX_COLORS = {
    "gray": "#8d8d8d", "mauve": "#8e8c99", "slate": "#8b8d98", "sage": "#868e8b", "olive": "#898e87",
    "sand": "#8d8d86", "tomato": "#e54d2e", "red": "#e5484d", "ruby": "#e54666", "crimson": "#e93d82",
    "pink": "#d6409f", "plum": "#ab4aba", "purple": "#8e4ec6", "violet": "#6e56cf", "iris": "#5b5bd6",
    "indigo": "#3e63dd", "blue": "#0090ff", "cyan": "#00a2c7", "teal": "#12a594", "jade": "#29a383",
    "green": "#30a46c", "grass": "#46a758", "brown": "#ad7f58", "orange": "#f76b15", "sky": "#7ce2fe",
    "mint": "#86ead4", "lime": "#bdee63", "yellow": "#ffe629", "amber": "#ffc53d", "gold": "#978365",
    "bronze": "#a18072",
}  # fmt: skip
# Keywords of Reflex and Radix that are not CSS: what they are called here. spacing, align, justify and
# color_scheme are translated (`_translate`); size and variant are props of some components only.
_NOT_CSS = {
    "size": 'size is a prop of pr.container, pr.icon, pr.avatar, pr.text and pr.heading (a scale "1" to "9"); '
    "elsewhere use font_size, or width and height",
    "variant": 'variant is a prop of pr.button ("solid", "outline", "ghost", "danger"); elsewhere use CSS '
    "keywords such as background and border",
    "loading": "show a pr.spinner() with pr.cond(State.busy, ...), and pass disabled=State.busy",
    "bg": "use background",
    "high_contrast": "use color and background",
    "radius": "use border_radius",
    "trim": "use margin",
    "weight": "use font_weight",
    "as_": "use the component of that element (pr.text, pr.heading(level=...), pr.link)",
    "as_child": "compose the components instead",
}
_FONT_SCALE = {"1": "12px", "2": "14px", "3": "16px", "4": "18px", "5": "20px", "6": "24px", "7": "28px",
               "8": "35px", "9": "60px"}  # fmt: skip
# Radix's short values of the alignment properties that CSS spells otherwise ("start" and "end" are CSS).
_ALIGN = {"between": "space-between", "around": "space-around", "evenly": "space-evenly"}
_ALIGNED = frozenset({"align_items", "align_content", "justify_content", "justify_items"})
# Radix Themes' layout props and the x/y spellings, as the CSS they stand for (spacing steps apply).
_LAYOUT = {
    "p": "padding", "px": "padding_inline", "py": "padding_block", "pt": "padding_top", "pr": "padding_right",
    "pb": "padding_bottom", "pl": "padding_left", "m": "margin", "mx": "margin_inline", "my": "margin_block",
    "mt": "margin_top", "mr": "margin_right", "mb": "margin_bottom", "ml": "margin_left",
    "padding_x": "padding_inline", "padding_y": "padding_block", "margin_x": "margin_inline",
    "margin_y": "margin_block",
}  # fmt: skip
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


def space(value: Any) -> Any:
    """Returns a spacing value with a step of the spacing scale ("0" to "9") turned into its CSS variable."""
    if isinstance(value, str) and len(value) == 1 and value.isdigit():
        step = int(value)
        return "0" if step == 0 else f"var(--pr-space-{step},{SPACE_SCALE[step]})"
    return value


def _translate(name: str, value: Any, where: str) -> tuple[str, Any]:
    # Reflex and Radix spellings of CSS properties, mapped to the CSS they stand for.
    if name == "spacing":
        return "gap", value
    name = _LAYOUT.get(name, name)
    if name in ("align", "justify"):
        name = "align_items" if name == "align" else "justify_content"
    if name in _ALIGNED:
        return name, _ALIGN.get(value, value) if isinstance(value, str) else value
    if name == "color_scheme" and not isinstance(value, Var):
        if value not in RADIX_COLORS and value not in ("light", "dark", "light dark", "normal"):
            raise ConfigError(
                f"Expected color_scheme of {where} to be a Radix colour ({', '.join(RADIX_COLORS)}), but got "
                f'{value!r}; for any other colour pass style={{"--pr-accent": "#0a7"}} or background=...'
            )
        if value in RADIX_COLORS:
            # The built-in components draw with the accent: giving this element its own recolours it.
            return "--pr-accent", RADIX_COLORS[value]
    return name, value


def check_property(name: str, where: str) -> None:
    """Raises a ConfigError naming the supported spelling unless ``name`` is a CSS property in snake_case.

    Raises:
        ConfigError: ``name`` is neither a CSS property, a vendor-prefixed one nor a custom property (``--x``).
    """
    if name in CSS_PROPERTIES or name.startswith(("--", *VENDOR_PREFIXES)):
        return
    hint = _NOT_CSS.get(name)
    if hint is None:
        close = difflib.get_close_matches(name, CSS_PROPERTIES | {"spacing", "align", "justify"}, n=1)
        hint = f"did you mean {close[0]!r}" if close else "the component's docstring lists its props"
    raise ConfigError(f"Expected a CSS property or a prop of {where}, but got the keyword {name!r}; {hint}.")


def font_size(value: Any, where: str) -> Any:
    """Returns the font size of a step of the Radix type scale ("1" to "9"); other values must be CSS sizes.

    Raises:
        ConfigError: ``value`` is a number or string that is neither a step nor a CSS size.
    """
    if isinstance(value, Var):
        return value
    if isinstance(value, (list, tuple)):
        return [None if v is None else font_size(v, where) for v in value]
    if isinstance(value, Mapping):
        return {k: None if v is None else font_size(v, where) for k, v in value.items()}
    if isinstance(value, str) and value in _FONT_SCALE:
        return _FONT_SCALE[value]
    if isinstance(value, str) and not value.isdigit():
        return value
    raise ConfigError(
        f'Expected size of {where} to be a step of the type scale, "1" to "9", or a CSS size such as "1.5rem", '
        f"but got {value!r}."
    )


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
        if not name.startswith("_"):
            name, value = _translate(name, value, where)
            check_property(name, where)
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
                prop, inner = _translate(str(prop), inner, where)
                check_property(prop, f"{name} of {where}")
                _static(rules, PSEUDO_STATES[name], prop, inner, f"{name} of {where}")
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
    if name in _SPACED:
        value = space(value)
    prop = name if name.startswith("--") else name.replace("_", "-")
    if name.startswith(VENDOR_PREFIXES):
        prop = "-" + prop
    rules.setdefault((pseudo, media), []).append(f"{prop}:{css_value(name, value, where)}")
