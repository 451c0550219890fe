from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import msgspec

from pyreact_asgi.components.base import COMMON_PROPS, Child, Component
from pyreact_asgi.exceptions import ConfigError
from pyreact_asgi.state import EventSpec
from pyreact_asgi.state.vars import Var

__all__ = ["BUILTIN", "ComponentPackage", "PackageComponent", "PackageElement", "component_package"]

# Marks a package whose module is one of the runtime's own lazy entries (frontend/build.mjs), not a file.
BUILTIN = "builtin:"
_PACKAGE_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_EXPORT = re.compile(r"^[A-Z][A-Za-z0-9]*$")
_EVENT = re.compile(r"^on_[a-z][a-z0-9_]*$")


class ComponentPackage:
    """React components shipped as one prebuilt ES module, loaded only by the pages that use them.

    Made by `component_package`. The module is built once by the package's author (esbuild or any bundler,
    with ``react``, ``react-dom`` and ``react/jsx-runtime`` left as bare imports): the page's import map
    resolves those to the app's own React, so a package never brings a second copy.

    Attributes:
        name: A short lowercase name, unique within an app; it names the module's file in the build.
        module: The prebuilt ``.js`` file, or ``"builtin:<entry>"`` for one of pyreact_asgi's own.
    """

    def __init__(self, name: str, module: Path | str) -> None:
        self.name = name
        self.module = module

    def __repr__(self) -> str:
        return f"ComponentPackage({self.name!r}, module={str(self.module)!r})"

    @property
    def builtin(self) -> str | None:
        """The runtime entry of a built-in package; None for a package from a file."""
        if isinstance(self.module, str) and self.module.startswith(BUILTIN):
            return self.module[len(BUILTIN) :]
        return None

    def read(self) -> bytes:
        """Returns the module's JavaScript.

        Raises:
            ConfigError: The file is missing or unreadable.
        """
        assert self.builtin is None, "built-in packages are read from the runtime bundle"
        try:
            return Path(self.module).read_bytes()
        except OSError as exc:
            raise ConfigError(
                f"Expected the component package {self.name!r} to ship its built module {str(self.module)!r}, but "
                f"it cannot be read ({exc}); reinstall the package (its build step makes the file)."
            ) from exc

    def component(
        self, export: str, *, props: Mapping[str, Any] | None = None, events: Iterable[str] = ()
    ) -> PackageComponent:
        """Declares one component the module exports.

        Args:
            export: The name the module exports it under, CapWords.
            props: Prop name (snake_case) → type; literal values are checked against it when a page is built.
                The component receives them camelCased, as React props.
            events: Event prop names, each starting with ``on_``; the component calls them with one value.

        Raises:
            ConfigError: A bad export or event name.
        """
        if not isinstance(export, str) or not _EXPORT.match(export):
            raise ConfigError(f"Expected a CapWords export name such as 'DatePicker', but got {export!r}.")
        events = tuple(events)
        for event in events:
            if not isinstance(event, str) or not _EVENT.match(event):
                raise ConfigError(f"Expected event names like 'on_select', but got {event!r}.")
        return PackageComponent(self, export, props or {}, events)


class PackageComponent:
    """A component of a `ComponentPackage`; calling it makes an element of a page."""

    def __init__(self, package: ComponentPackage, export: str, props: Mapping[str, Any], events: Iterable[str]) -> None:
        self.package = package
        self.export = export
        self.props = dict(props)
        self.events = frozenset(events)

    def __repr__(self) -> str:
        return f"PackageComponent({self.package.name!r}, {self.export!r})"

    @property
    def ident(self) -> str:
        """The JavaScript name the compiled app module gives this component."""
        return f"Pkg_{self.package.name}_{self.export}"

    def __call__(self, *children: Child, **kwargs: Any) -> PackageElement:
        props: dict[str, Any] = {}
        for key, value in kwargs.items():
            if key.startswith("on_"):
                if key not in self.events:
                    raise ConfigError(f"{self.export} has no event {key!r}; it has {sorted(self.events)}.")
                if not isinstance(value, EventSpec):
                    raise ConfigError(
                        f"Expected an event handler such as State.handler for {key!r}, but got {value!r}."
                    )
            elif key in self.props:
                if not isinstance(value, Var) and value is not None:
                    try:
                        msgspec.convert(value, self.props[key], strict=False)
                    except msgspec.ValidationError as exc:
                        raise ConfigError(f"Prop {key!r} of {self.export}: {exc}") from None
            elif key not in COMMON_PROPS:
                raise ConfigError(f"{self.export} has no prop {key!r}; it takes {sorted(self.props)}.")
            props[key] = value
        return PackageElement(self, props, children)


class PackageElement(Component):
    """An element of a `PackageComponent` in a page."""

    __slots__ = ("definition",)

    def __init__(self, definition: PackageComponent, props: Mapping[str, Any], children: Iterable[Child]) -> None:
        super().__init__(definition.ident, props, children)
        self.definition = definition


def component_package(name: str, *, module: str | Path) -> ComponentPackage:
    """Declares a component package: React components from npm, prebuilt into one ES module.

    A component package is an ordinary Python package that ships that module (built by its author with
    Node once; users only ``pip install`` it). See docs/components-packages.md.

    Example::

        PICKER = pr.component_package("daypicker", module=Path(__file__).parent / "daypicker.js")
        DatePicker = PICKER.component("DatePicker", props={"selected": str}, events=["on_select"])

    Args:
        name: Lowercase letters, digits and "_", starting with a letter; unique within an app.
        module: The prebuilt ES module file.

    Raises:
        ConfigError: A bad name, or the file does not exist.
    """
    if not isinstance(name, str) or not _PACKAGE_NAME.match(name):
        raise ConfigError(f"Expected a package name of lowercase letters, digits and '_', but got {name!r}.")
    path = Path(module)
    if not path.is_file():
        raise ConfigError(
            f"Expected the built module of component package {name!r} at {str(path)!r}, but there is no such file; "
            "reinstall the package (its build step makes the file)."
        )
    return ComponentPackage(name, path)
