from __future__ import annotations

import copy
import enum
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import msgspec

if TYPE_CHECKING:
    from pyreact_asgi.state.computed import ComputedVar
    from pyreact_asgi.state.tree import StateTree

__all__ = ["SCALARS", "Tracked", "Tracker", "encode", "plain", "tracker"]

# Immutable values need no copy per client, and an assignment of an equal value is no change.
SCALARS = (int, float, str, bool, bytes, type(None))
# Containers are compared and restored through their msgpack encoding: far cheaper than deepcopy, and it
# sees every change inside nested lists, dicts, sets and msgspec Structs.
_snapshot_encoder = msgspec.msgpack.Encoder()


def encode(value: Any) -> bytes | None:
    """Returns the msgpack encoding of ``value``, or None for values msgspec cannot encode (opaque objects)."""
    try:
        return _snapshot_encoder.encode(value)
    except (TypeError, msgspec.EncodeError):
        return None


def plain(value: Any) -> Any:
    """Returns a str of a str subclass that is not an enum (``self.router.page``), which msgspec cannot encode."""
    if value.__class__ is not str and isinstance(value, str) and not isinstance(value, enum.Enum):
        return str(value)
    return value


class Tracked:
    """The base of `State`: an object whose vars a `Tracker` holds."""

    __slots__ = ()
    _pr: Tracker


def tracker(state: Tracked) -> Tracker:
    """Returns the tracker of a state instance: its values and what changed in them."""
    return state._pr


class Tracker:
    """The values of one State instance and what changed in them since the last commit.

    This is the one interface to change tracking: the state tree, the engine and background tasks reach a
    state's values and changes only through it (`tracker`).

    Args:
        values: Var name → value.
        types: Returns the declared type of every var, to restore containers with their own types.
        computed: The computed vars of the state's class, by name.
    """

    __slots__ = ("cache", "computed", "deps", "dirty", "snapshots", "tree", "types", "values")

    def __init__(
        self, values: dict[str, Any], types: Callable[[], dict[str, Any]], computed: dict[str, ComputedVar]
    ) -> None:
        self.values = values
        self.types = types
        self.computed = computed
        # Since the last commit: var → value before its first assignment, and var → encoding of a container
        # before it was first read or assigned (None when msgspec cannot encode it).
        self.dirty: dict[str, Any] = {}
        self.snapshots: dict[str, bytes | None] = {}
        # Computed var → (value the client has, its encoding), and the (state, var) pairs it read last time.
        self.cache: dict[str, tuple[Any, bytes | None]] = {}
        self.deps: dict[str, frozenset[tuple[type, str]]] = {}
        self.tree: StateTree | None = None

    def copy(self) -> Tracker:
        """Returns a tracker of a deep copy of the values, with no changes, in no tree."""
        return Tracker(copy.deepcopy(self.values), self.types, self.computed)

    def write(self, name: str, value: Any) -> None:
        """Assigns a var, remembering its value at the last commit."""
        if isinstance(value, str) and value.__class__ is not str:  # inline: this runs for every assignment
            value = plain(value)
        if name not in self.dirty:
            old = self.values[name]
            if not isinstance(old, SCALARS) and name not in self.snapshots:
                self.snapshots[name] = encode(old)
            self.dirty[name] = old
        self.values[name] = value

    def restore(self, name: str, raw: Any) -> bool:
        """Sets a stored var to the value the browser sent, if it has the var's type; returns whether it did.

        The value is the baseline, not a change: the browser has it already.
        """
        try:
            value = msgspec.convert(raw, self.types()[name])
        except (msgspec.ValidationError, TypeError):
            return False
        self.values[name] = value
        return True

    def public(self) -> dict[str, Any]:
        """Returns every var a client may see (computed vars are the tree's)."""
        return {name: value for name, value in self.values.items() if not name.startswith("_")}

    def changes(self) -> dict[str, Any]:
        """Returns every var (backend-only ones too) whose value differs from the last commit.

        A var counts as changed when it was reassigned to a different value, or when a container read
        since the last commit now encodes differently (an in-place change). Opaque values that msgspec
        cannot encode count only when reassigned.
        """
        values = self.values
        snapshots = self.snapshots
        changed: dict[str, Any] = {}
        for name, old in self.dirty.items():
            new = values[name]
            if isinstance(new, SCALARS) and isinstance(old, SCALARS):
                if type(new) is not type(old) or new != old:
                    changed[name] = new
                continue
            before = snapshots[name] if name in snapshots else encode(old)
            after = encode(new)
            if before is None or after is None or before != after:
                changed[name] = new
        for name, before in snapshots.items():
            if name in self.dirty or before is None:
                continue
            if encode(values[name]) != before:
                changed[name] = values[name]
        return changed

    def commit(self) -> None:
        """Makes the current values the baseline that changes and rollbacks refer to."""
        self.dirty.clear()
        self.snapshots.clear()

    def take_delta(self) -> dict[str, Any]:
        """Returns the public vars changed since the last commit, and commits."""
        changed = self.changes()
        self.commit()
        return {name: value for name, value in changed.items() if not name.startswith("_")}

    def rollback(self) -> None:
        """Restores every var to its value at the last commit, containers changed in place included."""
        values = self.values
        types = None
        for name, before in self.snapshots.items():
            if before is None:
                continue
            if types is None:
                types = self.types()
            try:
                values[name] = msgspec.msgpack.decode(before, type=types[name])
            except (msgspec.ValidationError, TypeError):
                # The value did not fit its annotation: restore its content as plain msgpack types.
                values[name] = msgspec.msgpack.decode(before)
            self.dirty.pop(name, None)
        values.update(self.dirty)
        self.dirty.clear()
        self.snapshots.clear()
