from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import msgspec

from pyreact_asgi._contract import reserved_name
from pyreact_asgi.components.base import COMMON_PROPS, Child, Component
from pyreact_asgi.exceptions import ConfigError
from pyreact_asgi.state import EventSpec
from pyreact_asgi.state.vars import Var

__all__ = ["CustomElement", "ReactComponent", "react_component"]

_NAME = re.compile(r"^[A-Z][A-Za-z0-9]*$")
_IMPORT = re.compile(r"^\s*(import|export)\b", re.MULTILINE)


class ReactComponent:
    """A React component of your own, from a local ``.jsx`` file; made by `react_component`.

    Calling it makes an element: ``Sparkline(points=Stats.points, on_pick=Stats.pick)``.
    """

    def __init__(self, name: str, path: Path, props: Mapping[str, Any], events: Iterable[str]) -> None:
        self.name = name
        self.path = path
        self.props = dict(props)
        self.events = frozenset(events)

    def __repr__(self) -> str:
        return f"ReactComponent({self.name!r}, path={str(self.path)!r})"

    def source(self) -> str:
        """Returns the file's JSX, checked to define the component and to import nothing.

        Raises:
            ConfigError: The file is unreadable, imports or exports something, or does not define the component.
        """
        try:
            text = self.path.read_text(encoding="utf-8")
        except OSError as exc:
            raise ConfigError(f"Cannot read the React component file {str(self.path)!r}: {exc}") from exc
        if _IMPORT.search(text):
            raise ConfigError(
                f"{self.path.name}: a component file cannot import or export (there is no bundler at run time); "
                "React is in scope as `React`, and the file defines the component as a plain function."
            )
        if not re.search(rf"\b(function|const|let|class)\s+{self.name}\b", text):
            raise ConfigError(
                f"{self.path.name} must define the component {self.name!r}: `function {self.name}(props) {{...}}`."
            )
        return text

    def __call__(self, *children: Child, **kwargs: Any) -> CustomElement:
        props: dict[str, Any] = {}
        for key, value in kwargs.items():
            if key.startswith("on_"):
                if key not in self.events:
                    raise ConfigError(f"{self.name} has no event {key!r}; it has {sorted(self.events)}.")
                if not isinstance(value, EventSpec):
                    raise ConfigError(
                        f"Expected an event handler such as State.handler for {key!r}, but got {value!r}."
                    )
            elif key in self.props:
                if not isinstance(value, Var):
                    try:
                        msgspec.convert(value, self.props[key], strict=False)
                    except msgspec.ValidationError as exc:
                        raise ConfigError(f"Prop {key!r} of {self.name}: {exc}") from None
            elif key not in COMMON_PROPS:
                raise ConfigError(f"{self.name} has no prop {key!r}; it takes {sorted(self.props)}.")
            props[key] = value
        return CustomElement(self, props, children)


class CustomElement(Component):
    """An element of a `ReactComponent` in a page."""

    __slots__ = ("definition",)

    def __init__(self, definition: ReactComponent, props: Mapping[str, Any], children: Iterable[Child]) -> None:
        super().__init__(definition.name, props, children)
        self.definition = definition


def react_component(
    name: str, *, path: str | Path, props: Mapping[str, Any] | None = None, events: Iterable[str] = ()
) -> ReactComponent:
    """Wraps a React component written in a local ``.jsx`` file, compiled with the app (no Node.js at run time).

    The file defines the component as a plain function that takes props (camelCase, as in React), with
    ``React`` in scope and no imports. Events are props too: ``on_pick`` arrives as ``onPick``, a function
    the component calls with one value, which the handler receives.

    Example::

        Sparkline = pr.react_component(
            "Sparkline", path=HERE / "sparkline.jsx", props={"points": list[int]}, events=["on_pick"]
        )
        Sparkline(points=Stats.points, on_pick=Stats.picked)

    Args:
        name: The component's name in the file, CapWords.
        path: The ``.jsx`` file.
        props: Prop name (snake_case) → type; literal values are checked against it when a page is built.
        events: Event prop names, each starting with ``on_``.

    Raises:
        ConfigError: A bad name, a missing file, or an event name without ``on_``.
    """
    if not isinstance(name, str) or not _NAME.match(name):
        raise ConfigError(f"Expected a CapWords component name such as 'Sparkline', but got {name!r}.")
    if reserved_name(name):
        # The compiled app module imports or defines this name itself: the build would fail much later.
        raise ConfigError(
            f"Expected a CapWords component name not used by pyreact_asgi, but got {name!r}, which the compiled "
            "app takes from the browser runtime; rename your component."
        )
    file = Path(path)
    if not file.is_file():
        raise ConfigError(f"Expected the React component file {str(file)!r} to exist.")
    events = tuple(events)
    for event in events:
        if not isinstance(event, str) or not re.match(r"^on_[a-z][a-z0-9_]*$", event):
            raise ConfigError(f"Expected event names like 'on_pick', but got {event!r}.")
    return ReactComponent(name, file, props or {}, events)
