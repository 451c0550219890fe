from __future__ import annotations

import copy
import enum
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import msgspec

from pyreact_asgi.state.containers import TRACKED, Link, Untrackable, adopt, plain_copy, restore

if TYPE_CHECKING:
    from pyreact_asgi.state.computed import ComputedVar
    from pyreact_asgi.state.tree import StateTree

__all__ = ["MIN_PATCH_ITEMS", "SCALARS", "Tracked", "Tracker", "encode", "plain", "tracker"]

# Immutable values need no copy per client, and an assignment of an equal value is no change.
SCALARS = (int, float, str, bool, bytes, type(None))
# Containers are compared and restored through their msgpack encoding: far cheaper than deepcopy, and it
# sees every change inside nested lists, dicts, sets and msgspec Structs.
_snapshot_encoder = msgspec.msgpack.Encoder()
# A var changed in place is sent as a patch only when it has this many items or more, and the patch changes
# at most a quarter of them: below that the whole value is about as small, and simpler for every client.
MIN_PATCH_ITEMS = 16
# An undo log keeps this many steps per container (plus one per 8 items) before a copy of it replaces them.
_COMPACT = 8
_NONE: Any = object()


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

    Lists, dicts and sets a handler reads are tracked (`containers`): they tell their tracker when they
    change, with a patch to send (`patch`) and how to undo it, so a container read but not changed costs
    nothing at the commit. Values that may change in place unseen (msgspec Structs, or containers holding
    them) are compared through their msgpack encoding instead, taken when first read.

    Args:
        values: Var name → value.
        types: Returns the declared type of every var, to restore containers with their own types.
        computed: The computed vars of the state's class, by name.
    """

    __slots__ = (
        "cache",
        "computed",
        "deps",
        "dirty",
        "links",
        "snapshots",
        "touched",
        "tree",
        "types",
        "undo",
        "values",
    )

    def __init__(
        self, values: dict[str, Any], types: Callable[[], dict[str, Any]], computed: dict[str, ComputedVar]
    ) -> None:
        self.values = values
        self.types = types
        self.computed = computed
        # Since the last commit: var → value before its first assignment, and var → encoding of an untracked
        # container before it was first read or assigned (None when msgspec cannot encode it).
        self.dirty: dict[str, Any] = {}
        self.snapshots: dict[str, bytes | None] = {}
        # Since the last commit, for tracked containers: var changed in place → its patch ops (None: send it
        # whole), and id of a changed container → [container, undo steps or None, its content before or None].
        self.touched: dict[str, list[list[Any]] | None] = {}
        self.undo: dict[int, list[Any]] = {}
        # Var → what its tracked containers share.
        self.links: dict[str, Link] = {}
        # Computed var → (value the client has, its encoding), and the (state, var) pairs it read last time.
        self.cache: dict[str, tuple[Any, bytes | None]] = {}
        self.deps: dict[str, frozenset[tuple[type, str]]] = {}
        self.tree: StateTree | None = None

    def copy(self) -> Tracker:
        """Returns a tracker of a deep copy of the values, with no changes, in no tree."""
        return Tracker(copy.deepcopy(self.values), self.types, self.computed)

    def read(self, name: str) -> Any:
        """Returns a var that is not a scalar, as a handler gets it: a container that records its changes.

        A list, dict or set is replaced by a tracked copy the first time it is read after being assigned
        (not in the event that assigned it: the handler may still hold and change the object it assigned).
        """
        value = self.values[name]
        if value.__class__ in TRACKED:
            link = value._pr_link
            if link is not None and link.top is value and link.tracker is self and link.name == name:
                if link.stale and name not in self.dirty and name not in self.snapshots:
                    self._adopt(name, value)
                return value
        if name in self.dirty or name in self.snapshots:
            return value
        return self._adopt(name, value)

    def _adopt(self, name: str, value: Any) -> Any:
        link = self.links.get(name)
        if link is None:
            link = self.links[name] = Link(self, name)
        try:
            adopted = adopt(value, link)
        except Untrackable:
            # Its changes can only be found by comparing: remember how it looked, as it may change in place.
            self.snapshots[name] = encode(value)
            return value
        if link.stale and name in self.touched:
            # Containers put in it during this event became tracked copies: the patch would name the originals.
            self.touched[name] = None
        link.top = adopted
        link.stale = False
        self.values[name] = adopted
        return adopted

    def changed_in_place(
        self, container: Any, undo: Callable[..., Any] | None, args: tuple[Any, ...], op: list[Any] | None
    ) -> None:
        """Records that a tracked container of a var is about to change (its `containers` method calls this).

        Args:
            container: The container, not yet changed.
            undo: A function that undoes the change when called as ``undo(container, *args)``; None when
                the change is not undone so simply (its content is saved instead).
            args: Its arguments.
            op: The change as a patch op of the var, or None when the var must be sent whole.
        """
        key = id(container)
        entry = self.undo.get(key)
        if entry is None:
            self.undo[key] = (
                [container, None, plain_copy(container)] if undo is None else [container, [(undo, args)], None]
            )
        else:
            steps = entry[1]
            if steps is not None:
                if undo is None or len(steps) >= _COMPACT + len(container) // 8:
                    # Past a few steps, one copy of the content before the event bounds the memory an event
                    # that changes a container many times can take.
                    saved = plain_copy(container)
                    for step, step_args in reversed(steps):
                        step(saved, *step_args)
                    entry[1] = None
                    entry[2] = saved
                else:
                    steps.append((undo, args))
        link = container._pr_link
        name = link.name
        ops = self.touched.get(name, _NONE)
        if ops is None:
            return
        if op is None or self.values.get(name) is not link.top or name in self.dirty:
            self.touched[name] = None
        elif ops is _NONE:
            self.touched[name] = [op]
        elif len(ops) >= len(container):
            self.touched[name] = None
        else:
            ops.append(op)

    def write(self, name: str, value: Any) -> None:
        """Assigns a var, remembering its value at the last commit."""
        if isinstance(value, str) and value.__class__ is not str:  # inline: this runs for every assignment
            value = plain(value)
        if name not in self.dirty:
            old = self.values[name]
            if not isinstance(old, SCALARS):
                if value is old and self._live(name, old):
                    return  # ``self.items += [x]``: the list changed in place (and told), the var is the same
                if name not in self.snapshots and not self._live(name, old):
                    self.snapshots[name] = encode(old)
            self.dirty[name] = old
        self.values[name] = value

    def _live(self, name: str, value: Any) -> bool:
        # A tracked container of this var: its changes since the last commit are in the undo log.
        link = getattr(value, "_pr_link", None) if value.__class__ in TRACKED else None
        return link is not None and link.tracker is self and link.top is value and link.name == name

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

    def unchanged(self) -> bool:
        """Whether no var can have changed since the last commit: none assigned, changed in place, or read
        without tracking (a container compared by its encoding)."""
        return not (self.dirty or self.touched or self.snapshots)

    def growth(self) -> int | None:
        """Returns at least how many bytes the msgpack encoding of the values grew since the last commit, when
        only scalars were assigned and tracked containers changed by patch ops (so no container needs
        encoding); else None."""
        if self.snapshots:
            return None
        bound = 0
        values = self.values
        for name in self.dirty:
            value = values[name]
            if not isinstance(value, SCALARS):
                return None
            # At most the new value's encoding, which replaces the old one's.
            bound += len(_snapshot_encoder.encode(value))
        for ops in self.touched.values():
            if ops is None:
                return None
            for op in ops:
                size = encode(op)
                if size is None:
                    return None
                # An op's encoding holds its new items (a key, a value) and more; a list or map header grows
                # by 4 bytes at most.
                bound += len(size) + 4
        return bound

    def changes(self) -> dict[str, Any]:
        """Returns every var (backend-only ones too) whose value differs from the last commit.

        A var counts as changed when it was reassigned to a different value, when a tracked container in it
        changed, or when an untracked container read since the last commit now encodes differently. Opaque
        values that msgspec cannot encode count only when reassigned.
        """
        values = self.values
        snapshots = self.snapshots
        touched = self.touched
        changed: dict[str, Any] = {}
        for name, old in self.dirty.items():
            new = values[name]
            if isinstance(new, SCALARS) and isinstance(old, SCALARS):
                if type(new) is not type(old) or new != old:
                    changed[name] = new
                continue
            if name in touched:
                changed[name] = new
                continue
            before = snapshots[name] if name in snapshots else encode(old)
            after = encode(new)
            if before is None or after is None or before != after:
                changed[name] = new
        if touched:
            for name in touched:
                if name not in changed:
                    changed[name] = values[name]
        for name, before in snapshots.items():
            if name in self.dirty or before is None:
                continue
            if encode(values[name]) != before:
                changed[name] = values[name]
        return changed

    def patch(self, name: str) -> list[list[Any]] | None:
        """Returns the patch ops that turn the var's value at the last commit into its value now, when it
        was changed in place only and a patch is worth sending (`MIN_PATCH_ITEMS`); else None."""
        ops = self.touched.get(name)
        if ops is None or name in self.dirty:
            return None
        size = len(self.values[name])
        if size < MIN_PATCH_ITEMS or 4 * sum(len(op) - 1 for op in ops) > size:
            return None
        return ops

    def commit(self) -> None:
        """Makes the current values the baseline that changes and rollbacks refer to."""
        self.dirty.clear()
        self.snapshots.clear()
        self.touched.clear()
        self.undo.clear()

    def take_delta(self) -> dict[str, Any]:
        """Returns the public vars changed since the last commit, and commits."""
        changed = self.changes()
        self.commit()
        return {name: value for name, value in changed.items() if not name.startswith("_")}

    def rollback(self) -> None:
        """Restores every var to its value at the last commit, containers changed in place included."""
        for container, steps, saved in self.undo.values():
            if steps is None:
                restore(container, saved)
            else:
                for step, args in reversed(steps):
                    step(container, *args)
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
        self.touched.clear()
        self.undo.clear()
