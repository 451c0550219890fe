from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping

from pyreact_asgi.exceptions import ConfigError
from pyreact_asgi.state.base import State

__all__ = ["registered_states"]


def registered_states(
    used: Mapping[str, type[State]], modules: Iterable[str], explicit: Iterable[type[State]] = ()
) -> dict[str, type[State]]:
    """Returns the states an app receives events for, by state name.

    Those its pages use, those given explicitly (``PyApp(states=[...])``), and every State class defined in
    ``modules`` (the modules of the app's page functions and of the code that created it), so that a state no
    page reads still takes events chained to it. Found per app, from its own pages: no registry is shared
    by the apps of a process. Component states are registered by the pages that use them, never as templates.

    Raises:
        ConfigError: Two different State classes share a name, or an explicit state is not a State class.
    """
    found = dict(used)
    candidates: list[type[State]] = []
    for cls in explicit:
        if not (isinstance(cls, type) and issubclass(cls, State)):
            raise ConfigError(f"Expected states= to list State classes, but got {cls!r}.")
        candidates.append(cls)
    for name in dict.fromkeys(modules):
        module = sys.modules.get(name)
        if module is None:
            continue
        for value in list(vars(module).values()):
            # Defined there, not imported: a module that imports another app's states does not take them.
            if (
                isinstance(value, type)
                and issubclass(value, State)
                and value.__module__ == name
                and not value.template()
            ):
                candidates.append(value)
    for cls in candidates:
        other = found.setdefault(cls.state_name(), cls)
        if other is not cls:
            raise ConfigError(
                f'Two states are named "{cls.state_name()}": {other.__module__}.{other.__qualname__} and '
                f'{cls.__module__}.{cls.__qualname__}; pass name="..." to one of them.'
            )
    return found
