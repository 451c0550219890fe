from __future__ import annotations

from typing import Literal

import msgspec

from pyreact_asgi.components.styling import css_value
from pyreact_asgi.exceptions import ConfigError

__all__ = ["ColorMode", "Theme"]

ColorMode = Literal["system", "light", "dark"]


class Theme(msgspec.Struct, kw_only=True, frozen=True, forbid_unknown_fields=True):
    """The look every built-in component takes: CSS variables set once for the whole app.

    Colours other than the accent come from the light or dark palette. The page follows the system's colour
    scheme (``prefers-color-scheme``) until the user picks one with ``pr.color_mode_toggle()``; the choice is
    kept in the browser's localStorage.

    Attributes:
        accent: Colour of buttons, links, focus rings and selected items.
        accent_foreground: Text colour on the accent.
        radius: Corner radius of controls and panels.
        font_family: The font of the page; the system's UI font by default.
        color_mode: The mode before the user picks one: "system" follows the operating system.
    """

    accent: str = "#4f46e5"
    accent_foreground: str = "#ffffff"
    radius: str = "8px"
    font_family: str | None = None
    color_mode: ColorMode = "system"

    def __post_init__(self) -> None:
        for name in ("accent", "accent_foreground", "radius", "font_family"):
            value = getattr(self, name)
            if value is not None:
                css_value(name, value, "pr.Theme")
        if self.color_mode not in ("system", "light", "dark"):
            raise ConfigError(f'Expected color_mode to be "system", "light" or "dark", but got {self.color_mode!r}.')

    def css(self) -> str:
        """Returns the CSS that sets the theme's variables, after the runtime's defaults."""
        default = Theme()
        declarations = [
            f"{var}:{getattr(self, name)}"
            for name, var in (
                ("accent", "--pr-accent"),
                ("accent_foreground", "--pr-accent-fg"),
                ("radius", "--pr-radius"),
                ("font_family", "--pr-font"),
            )
            if getattr(self, name) is not None and getattr(self, name) != getattr(default, name)
        ]
        return f":root{{{';'.join(declarations)}}}" if declarations else ""
