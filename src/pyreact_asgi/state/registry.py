from __future__ import annotations

from collections.abc import Iterable, Mapping

from pyreact_asgi.exceptions import ConfigError
from pyreact_asgi.state.base import State

__all__ = ["registered_states"]


def registered_states(used: Mapping[str, type[State]], explicit: Iterable[type[State]] = ()) -> dict[str, type[State]]:
    """Returns the states an app takes events for from its clients, by state name.

    Those its pages use (read, or send events to) and those it lists (``PyApp(states=[...])``): a state no page
    uses takes a client's events only when the app says so. Nothing is found by scanning modules or
    subclasses, so two apps in one process, even built in one module, share no state.

    Raises:
        ConfigError: Two different State classes share a name, or an explicit state is not a State class.
    """
    found = dict(used)
    for cls in explicit:
        if not (isinstance(cls, type) and issubclass(cls, State)) or cls.template():
            raise ConfigError(f"Expected states= to list State classes, but got {cls!r}.")
        other = found.setdefault(cls.state_name(), cls)
        if other is not cls:
            raise ConfigError(
                f'Two states are named "{cls.state_name()}": {other.__module__}.{other.__qualname__} and '
                f'{cls.__module__}.{cls.__qualname__}; pass name="..." to one of them.'
            )
    return found
