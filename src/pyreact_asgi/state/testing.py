"""Helpers for tests of a State used on its own, outside an app, as the engine sees it after an event.

::

    counter = Counter()
    counter.increment()
    assert take_delta(counter) == {"count": 1}
"""

from __future__ import annotations

from typing import Any

from pyreact_asgi.state.base import State
from pyreact_asgi.state.tracking import tracker

__all__ = ["changes", "commit", "public_values", "restore", "rollback", "take_delta"]


def take_delta(state: State) -> dict[str, Any]:
    """Returns the public vars changed since the last commit (what a client would be sent), and commits."""
    return tracker(state).take_delta()


def changes(state: State) -> dict[str, Any]:
    """Returns every var, backend-only ones included, whose value differs from the last commit."""
    return tracker(state).changes()


def commit(state: State) -> None:
    """Makes the current values the baseline that changes and rollbacks refer to."""
    tracker(state).commit()


def rollback(state: State) -> None:
    """Restores every var to its value at the last commit, as when a handler raises."""
    tracker(state).rollback()


def public_values(state: State) -> dict[str, Any]:
    """Returns every var a client may see, computed vars left out."""
    return tracker(state).public()


def restore(state: State, name: str, raw: Any) -> bool:
    """Sets a stored var to a value the browser sent, as on connect; returns whether it had the var's type."""
    return tracker(state).restore(name, raw)
