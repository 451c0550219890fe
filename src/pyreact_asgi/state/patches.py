from __future__ import annotations

from typing import Any

from pyreact_asgi._contract import PATCH_APPEND, PATCH_DEL, PATCH_PREFIX, PATCH_SET, PATCH_TRUNCATE
from pyreact_asgi.exceptions import ProtocolError
from pyreact_asgi.state.containers import TRACKED

__all__ = ["PatchError", "apply_delta", "apply_patch", "merge_delta"]


class PatchError(ProtocolError):
    """A patch in a delta does not fit the value it patches: the client must ask for the full state."""


def _int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _key(key: Any) -> str | None:
    if isinstance(key, str):
        return key
    if _int(key):
        return str(key)
    return None


def apply_patch(value: Any, ops: Any, *, json_keys: bool = True) -> Any:
    """Returns a new value: ``value`` changed by the patch ops of a delta (docs/protocol.md, "Patches").

    ``value`` itself is left as it was, as the browser runtime leaves its store. With ``json_keys``, ``value``
    and ``ops`` are as decoded from JSON: a dict's keys are strings (a key sent as an integer names the key it
    prints as); without, they are a var's own Python values.

    Raises:
        PatchError: The ops are malformed, or do not fit ``value`` (an index past its end, a key it lacks).
    """
    if not isinstance(ops, list):
        raise PatchError(f"Expected a list of patch ops, but got {ops!r}.", code="malformed")
    if isinstance(value, list):
        items = list(value)
        for op in ops:
            code = op[0] if isinstance(op, list) and op and _int(op[0]) else None
            if code == PATCH_SET and len(op) == 3 and _int(op[1]) and 0 <= op[1] < len(items):
                items[op[1]] = op[2]
            elif code == PATCH_APPEND:
                items.extend(op[1:])
            elif code == PATCH_TRUNCATE and len(op) == 2 and _int(op[1]) and 0 <= op[1] <= len(items):
                del items[op[1] :]
            else:
                raise PatchError(
                    f"Expected a patch op of a list of {len(items)} items, but got {op!r}.", code="malformed"
                )
        return items
    if isinstance(value, dict):
        mapping = dict(value)
        for op in ops:
            code = op[0] if isinstance(op, list) and op and _int(op[0]) else None
            # A JSON object's keys are strings: a number names the key it prints as, as in JavaScript.
            key = (_key(op[1]) if json_keys else op[1]) if code is not None and len(op) > 1 else None
            if code == PATCH_SET and len(op) == 3 and key is not None:
                mapping[key] = op[2]
            elif code == PATCH_DEL and len(op) == 2 and key in mapping:
                del mapping[key]
            else:
                raise PatchError(
                    f"Expected a patch op of a dict with keys {list(mapping)!r}, but got {op!r}.", code="malformed"
                )
        return mapping
    raise PatchError(f"Expected a list or a dict to patch, but got {value!r}.", code="malformed")


def apply_delta(store: dict[str, dict[str, Any]], delta: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Applies an update's delta to a client's store, as the browser runtime does, patches included.

    Args:
        store: State name → var name → value; changed in place.
        delta: The update's delta.

    Returns:
        The vars the delta changed, by state, with their new values (patched ones as values).

    Raises:
        PatchError: A patch does not fit the store's value; what came before it in the delta is applied.
    """
    changed: dict[str, dict[str, Any]] = {}
    for state, values in delta.items():
        target = store.setdefault(state, {})
        out = changed.setdefault(state, {})
        for key, value in values.items():
            if key.startswith(PATCH_PREFIX):
                name = key[len(PATCH_PREFIX) :]
                target[name] = out[name] = apply_patch(target.get(name), value)
            else:
                target[key] = out[key] = value
    return changed


def merge_delta(into: dict[str, dict[str, Any]], delta: dict[str, dict[str, Any]]) -> None:
    """Adds the delta of a later step of an event to the merged delta of the steps before it, so that one
    update carries both (an upload's reply does), patches included.

    The values in a delta are the vars' own objects, not yet encoded: a list or dict that records its
    changes is the var's value now, later changes included, so a later patch of it is dropped; a patch
    after a plain value (which the var held before it became a tracked copy) is applied to that value.
    """
    for state, values in delta.items():
        target = into.setdefault(state, {})
        for key, value in values.items():
            if not key.startswith(PATCH_PREFIX):
                target.pop(PATCH_PREFIX + key, None)
                target[key] = value
                continue
            name = key[len(PATCH_PREFIX) :]
            if key in target:
                target[key] = [*target[key], *value]
            elif name not in target:
                target[key] = list(value)
            elif not isinstance(target[name], TRACKED):
                target[name] = apply_patch(target[name], value, json_keys=False)
