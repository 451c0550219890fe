from __future__ import annotations

from typing import Literal

import msgspec

from pyreact_asgi.components.styling import SPACE_SCALE, css_value
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
        space: The spacing scale, steps "1" to "9": what ``spacing="4"``, ``gap="4"`` or ``padding="2"`` mean
            (Radix Themes' scale by default, 4px to 64px).
    """

    accent: str = "#4f46e5"
    accent_foreground: str = "#ffffff"
    radius: str = "8px"
    font_family: str | None = None
    color_mode: ColorMode = "system"
    space: tuple[str, ...] = SPACE_SCALE[1:]

    def __post_init__(self) -> None:
        for name in ("accent", "accent_foreground", "radius", "font_family"):
            value = getattr(self, name)
            if value is not None:
                css_value(name, value, "pr.Theme")
        if len(self.space) != len(SPACE_SCALE) - 1:
            raise ConfigError(
                f"Expected space to have 9 steps, from 1 to 9, but got {len(self.space)}: {self.space!r}."
            )
        for step in self.space:
            css_value("space", step, "pr.Theme")
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
        declarations += [
            f"--pr-space-{step}:{value}"
            for step, (value, default_value) in enumerate(zip(self.space, default.space, strict=True), start=1)
            if value != default_value
        ]
        return f":root{{{';'.join(declarations)}}}" if declarations else ""
