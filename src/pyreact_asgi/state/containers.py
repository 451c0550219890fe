from __future__ import annotations

import copy
import datetime
import decimal
import enum
import uuid
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, SupportsIndex

from pyreact_asgi._contract import PATCH_APPEND, PATCH_DEL, PATCH_SET, PATCH_TRUNCATE

if TYPE_CHECKING:
    from pyreact_asgi.state.tracking import Tracker

__all__ = ["TRACKED", "Link", "TrackedDict", "TrackedList", "TrackedSet", "Untrackable", "adopt"]

# Values that cannot change in place: a container holding only these (and tracked containers) needs no
# snapshot to find its changes.
_LEAVES = (int, float, str, bool, bytes, type(None), enum.Enum, datetime.date, datetime.time, datetime.timedelta)
_LEAVES_EXTRA = (decimal.Decimal, uuid.UUID, frozenset)
_MISSING: Any = object()


class Untrackable(Exception):
    """A value holds something whose in-place changes cannot be seen (a msgspec Struct, an opaque object)."""


class Link:
    """What every tracked container of one var's value shares: the tracker and var it belongs to.

    ``top`` is the var's value itself; a container whose top is no longer the var's value (it was reassigned,
    or the container was kept outside the state) changes without telling anyone. ``stale`` says that a plain
    container was put somewhere inside the value since it was adopted, to be adopted at the next read.
    """

    __slots__ = ("name", "stale", "top", "tracker")

    def __init__(self, tracker: Tracker, name: str) -> None:
        self.tracker = tracker
        self.name = name
        self.top: Any = None
        self.stale = False


def _leaf(value: Any) -> bool:
    if isinstance(value, _LEAVES) or isinstance(value, _LEAVES_EXTRA):
        return True
    return type(value) is tuple and all(_leaf(item) for item in value)


def adopt(value: Any, link: Link) -> Any:
    """Returns ``value`` with every list, dict and set in it tracked for ``link`` (copies where needed).

    Containers already tracked for ``link`` are kept (and searched for plain ones put in them since).

    Raises:
        Untrackable: ``value`` holds something else that may change in place.
    """
    kind = type(value)
    if kind is TrackedList or kind is TrackedDict or kind is TrackedSet:
        if value._pr_link is link:
            if kind is TrackedList:
                for index, item in enumerate(value):
                    if not _leaf(item):
                        adopted = adopt(item, link)
                        if adopted is not item:
                            list.__setitem__(value, index, adopted)
            elif kind is TrackedDict:
                for key, item in dict.items(value):
                    if not _leaf(item):
                        adopted = adopt(item, link)
                        if adopted is not item:
                            dict.__setitem__(value, key, adopted)
            return value
    if isinstance(value, list):
        out_list = TrackedList(item if _leaf(item) else adopt(item, link) for item in value)
        out_list._pr_link = link
        return out_list
    if isinstance(value, dict):
        out_dict = TrackedDict()
        for key, item in value.items():
            if not _leaf(key):
                raise Untrackable
            dict.__setitem__(out_dict, key, item if _leaf(item) else adopt(item, link))
        out_dict._pr_link = link
        return out_dict
    if isinstance(value, set):
        if not all(_leaf(item) for item in value):
            raise Untrackable
        out_set = TrackedSet(value)
        out_set._pr_link = link
        return out_set
    if _leaf(value):
        return value
    raise Untrackable


def _recording(container: Any) -> Tracker | None:
    # The tracker to tell of a change to ``container``, if it still belongs to a var's value: the current one,
    # or the one it had at the last commit (reassigned since; its changes are only undone, never sent).
    link: Link | None = container._pr_link
    if link is None:
        return None
    tracker = link.tracker
    top = link.top
    if tracker.values.get(link.name, _MISSING) is top or tracker.dirty.get(link.name, _MISSING) is top:
        return tracker
    return None


def _inserted(container: Any, value: Any) -> None:
    # A container put into a tracked one stays the object the handler holds (it may still change it, and
    # sees the change through the var); it is adopted (tracked, as a copy) at the next read of the var.
    if not _leaf(value):
        container._pr_link.stale = True


class _Tracked:
    # Shared by the three containers: pickling and copying give plain containers, which belong to no state.
    __slots__ = ()
    _pr_link: Link | None

    def _record(self, undo: Callable[..., Any] | None, args: tuple[Any, ...], op: list[Any] | None) -> None:
        tracker = _recording(self)
        if tracker is not None:
            tracker.changed_in_place(self, undo, args, op)


def _index(index: SupportsIndex, size: int) -> int:
    i = index.__index__()
    return i + size if i < 0 else i


class TrackedList(list[Any], _Tracked):
    """A list of a state's var that records its changes: a patch to send, and how to undo them."""

    __slots__ = ("_pr_link",)

    def __init__(self, items: Iterable[Any] = ()) -> None:
        super().__init__(items)
        self._pr_link = None

    def __reduce_ex__(self, protocol: SupportsIndex) -> Any:
        return (list, (list(self),))

    def __copy__(self) -> list[Any]:
        return list(self)

    def __deepcopy__(self, memo: dict[int, Any]) -> list[Any]:
        return [copy.deepcopy(item, memo) for item in self]

    def _top_op(self, op: list[Any]) -> list[Any] | None:
        link = self._pr_link
        return op if link is not None and link.top is self else None

    def __setitem__(self, index: Any, value: Any) -> None:
        if self._pr_link is None:
            list.__setitem__(self, index, value)
            return
        if isinstance(index, slice):
            self._record(None, (), None)
            values = list(value)
            list.__setitem__(self, index, values)
            for item in values:
                _inserted(self, item)
            return
        old = list.__getitem__(self, index)  # IndexError, TypeError before anything is recorded
        i = _index(index, len(self))
        self._record(list.__setitem__, (i, old), self._top_op([PATCH_SET, i, value]))
        list.__setitem__(self, i, value)
        _inserted(self, value)

    def __delitem__(self, index: Any) -> None:
        if self._pr_link is None:
            list.__delitem__(self, index)
            return
        if isinstance(index, slice):
            self._record(None, (), None)
            list.__delitem__(self, index)
            return
        old = list.__getitem__(self, index)
        size = len(self)
        i = _index(index, size)
        self._record(list.insert, (i, old), self._top_op([PATCH_TRUNCATE, i]) if i == size - 1 else None)
        list.__delitem__(self, i)

    def append(self, value: Any) -> None:
        if self._pr_link is not None:
            self._record(list.__delitem__, (len(self),), self._top_op([PATCH_APPEND, value]))
            _inserted(self, value)
        list.append(self, value)

    def extend(self, values: Iterable[Any]) -> None:
        if self._pr_link is None:
            list.extend(self, values)
            return
        items = list(values)
        if items:
            self._record(list.__delitem__, (slice(len(self), None),), self._top_op([PATCH_APPEND, *items]))
            list.extend(self, items)
            for item in items:
                _inserted(self, item)

    def __iadd__(self, values: Iterable[Any]) -> TrackedList:  # type: ignore[misc]
        self.extend(values)
        return self

    def __imul__(self, times: SupportsIndex) -> TrackedList:
        if self._pr_link is not None:
            self._record(None, (), None)
        list.__imul__(self, times)
        return self

    def insert(self, index: SupportsIndex, value: Any) -> None:
        if self._pr_link is None:
            list.insert(self, index, value)
            return
        size = len(self)
        i = min(max(_index(index, size), 0), size)
        if i == size:
            self.append(value)
            return
        self._record(list.__delitem__, (i,), None)
        list.insert(self, i, value)
        _inserted(self, value)

    def pop(self, index: SupportsIndex = -1) -> Any:
        if self._pr_link is None:
            return list.pop(self, index)
        value = list.__getitem__(self, index)  # IndexError, TypeError before anything is recorded
        size = len(self)
        i = _index(index, size)
        self._record(list.insert, (i, value), self._top_op([PATCH_TRUNCATE, i]) if i == size - 1 else None)
        list.__delitem__(self, i)
        return value

    def remove(self, value: Any) -> None:
        if self._pr_link is None:
            list.remove(self, value)
            return
        del self[self.index(value)]

    def clear(self) -> None:
        if self._pr_link is not None and self:
            self._record(None, (), self._top_op([PATCH_TRUNCATE, 0]))
        list.clear(self)

    def sort(self, *, key: Callable[[Any], Any] | None = None, reverse: bool = False) -> None:
        if self._pr_link is not None:
            self._record(None, (), None)
        list.sort(self, key=key, reverse=reverse)

    def reverse(self) -> None:
        if self._pr_link is not None:
            self._record(None, (), None)
        list.reverse(self)


class TrackedDict(dict[Any, Any], _Tracked):
    """A dict of a state's var that records its changes: a patch to send, and how to undo them."""

    __slots__ = ("_pr_link",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pr_link = None

    def __reduce_ex__(self, protocol: SupportsIndex) -> Any:
        return (dict, (dict(self),))

    def __copy__(self) -> dict[Any, Any]:
        return dict(self)

    def __deepcopy__(self, memo: dict[int, Any]) -> dict[Any, Any]:
        return {copy.deepcopy(key, memo): copy.deepcopy(value, memo) for key, value in dict.items(self)}

    def _top_op(self, op: list[Any]) -> list[Any] | None:
        link = self._pr_link
        return op if link is not None and link.top is self else None

    def __setitem__(self, key: Any, value: Any) -> None:
        if self._pr_link is None:
            dict.__setitem__(self, key, value)
            return
        old = dict.get(self, key, _MISSING)
        if old is _MISSING:
            self._record(dict.__delitem__, (key,), self._top_op([PATCH_SET, key, value]))
        else:
            self._record(dict.__setitem__, (key, old), self._top_op([PATCH_SET, key, value]))
        dict.__setitem__(self, key, value)
        _inserted(self, value)

    def __delitem__(self, key: Any) -> None:
        if self._pr_link is None:
            dict.__delitem__(self, key)
            return
        old = dict.__getitem__(self, key)  # KeyError before anything is recorded
        if next(reversed(self)) == key:
            # Undone by setting it again, which puts it back last, where it was.
            self._record(dict.__setitem__, (key, old), self._top_op([PATCH_DEL, key]))
        else:
            self._record(None, (), self._top_op([PATCH_DEL, key]))
        dict.__delitem__(self, key)

    def pop(self, key: Any, default: Any = _MISSING) -> Any:
        if key in self:
            value = dict.__getitem__(self, key)
            del self[key]
            return value
        if default is _MISSING:
            raise KeyError(key)
        return default

    def popitem(self) -> tuple[Any, Any]:
        if not self:
            raise KeyError("popitem(): dictionary is empty")
        key = next(reversed(self))
        return key, self.pop(key)

    def setdefault(self, key: Any, default: Any = None) -> Any:
        if key not in self:
            self[key] = default
        return dict.__getitem__(self, key)

    def update(self, *args: Any, **kwargs: Any) -> None:
        for key, value in dict(*args, **kwargs).items():
            self[key] = value

    def __ior__(self, other: Any) -> TrackedDict:  # type: ignore[misc]
        self.update(other)
        return self

    def clear(self) -> None:
        if self._pr_link is not None and self:
            self._record(None, (), None)
        dict.clear(self)


def _set_method(name: str) -> Callable[..., Any]:
    base = getattr(set, name)

    def method(self: TrackedSet, *args: Any) -> Any:
        if self._pr_link is not None:
            self._record(None, (), None)
        result = base(self, *args)
        return self if name.startswith("__i") else result

    method.__name__ = name
    return method


class TrackedSet(set[Any], _Tracked):
    """A set of a state's var that records its changes (a set is always sent whole), and how to undo them."""

    __slots__ = ("_pr_link",)

    def __init__(self, items: Iterable[Any] = ()) -> None:
        super().__init__(items)
        self._pr_link = None

    def __reduce_ex__(self, protocol: SupportsIndex) -> Any:
        return (set, (set(self),))

    def __copy__(self) -> set[Any]:
        return set(self)

    def __deepcopy__(self, memo: dict[int, Any]) -> set[Any]:
        return {copy.deepcopy(item, memo) for item in self}

    add = _set_method("add")
    discard = _set_method("discard")
    remove = _set_method("remove")
    pop = _set_method("pop")
    clear = _set_method("clear")
    update = _set_method("update")
    difference_update = _set_method("difference_update")
    intersection_update = _set_method("intersection_update")
    symmetric_difference_update = _set_method("symmetric_difference_update")
    __ior__ = _set_method("__ior__")
    __iand__ = _set_method("__iand__")
    __isub__ = _set_method("__isub__")
    __ixor__ = _set_method("__ixor__")


TRACKED = (TrackedList, TrackedDict, TrackedSet)


def restore(container: Any, saved: Any) -> None:
    """Puts back the content ``saved`` (a plain copy) into a tracked container, without recording it."""
    if isinstance(container, list):
        list.__setitem__(container, slice(None), saved)
    elif isinstance(container, dict):
        dict.clear(container)
        dict.update(container, saved)
    else:
        set.clear(container)
        set.update(container, saved)


def plain_copy(container: Any) -> Any:
    """Returns a plain shallow copy of a tracked container's content."""
    if isinstance(container, list):
        return list(container)
    if isinstance(container, dict):
        return dict(container)
    return set(container)
