"""The code a build came from, so that a server start finds its build current without compiling every page.

Why it is sound. A build is a function of (1) the code that ran while compiling, (2) the arguments of the
compile (the pages' routes and settings, the theme, the event path), (3) the browser runtime and the library's
version, and (4) whatever else a page function reads while it runs: a data file, an environment variable, the
clock. The old check recompiled to cover all four; this one covers (1) to (3) without compiling:

- (1) Every module loaded once the pages were compiled is recorded with its file. A page's code, the states'
  code, everything they import (inside the project or installed, lazily inside a page function too) and the
  library itself are among them, since compiling ran them. The project's files, and every file outside the
  interpreter's installation, count by their content; the interpreter's and installed packages' files by size and
  mtime, which any install, upgrade or editable-install rebuild changes (content hashing those would cost
  more than the compile it saves).
- (2) and (3) are hashed as given (`inputs`), with the interpreter's version.
- Page functions and states are recorded by module and qualified name, and used only when that name, looked
  up again, is the very object: a lambda, a closure, a ``functools.partial`` or a class made inside a
  function depends on more than its module's source, so an app with one is always compiled.
- A file changed while the build was being made is caught: the fingerprint is taken before the compile and
  again after it, and recorded only if the two agree.

(4) is outside any source check: a page that renders an environment variable or a file's content at build
time keeps the value it was built with until its code changes. docs/cli.md says so, with the fixes
(``pyreact build --force``, or ``Config(build="always")``).
"""

from __future__ import annotations

import hashlib
import os
import sys
import sysconfig
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import msgspec

from pyreact_asgi.build.manifest import CodeRecord
from pyreact_asgi.page import Page
from pyreact_asgi.state.base import State
from pyreact_asgi.theme import Theme

__all__ = [
    "Snapshot",
    "app_inputs",
    "current_states",
    "fingerprint",
    "loaded_files",
    "name_of",
    "record_code",
    "resolve",
    "snapshot",
]

# Files under these directories change only when something is installed: checked by size and mtime.
_INSTALLED = tuple(
    {
        str(Path(p).resolve()) + "/"
        for key in ("stdlib", "platstdlib", "purelib", "platlib")
        if (p := sysconfig.get_path(key))
    }
)


def name_of(obj: Any) -> str | None:
    """``"module:qualname"`` of a module-level function or class, or None for anything else (see the module doc)."""
    module, qualname = getattr(obj, "__module__", None), getattr(obj, "__qualname__", None)
    if not isinstance(module, str) or not isinstance(qualname, str) or "<" in qualname:
        return None
    return f"{module}:{qualname}" if resolve(f"{module}:{qualname}") is obj else None


def resolve(name: str) -> Any:
    """The object named ``"module:qualname"`` in a loaded module, or None."""
    module_name, _, qualname = name.partition(":")
    value: Any = sys.modules.get(module_name)
    for part in qualname.split("."):
        value = getattr(value, part, None)
    return value


def loaded_files() -> list[str]:
    """The source files of every loaded module, sorted."""
    files = set()
    for module in list(sys.modules.values()):
        file = getattr(module, "__file__", None) if isinstance(module, ModuleType) else None
        if isinstance(file, str) and file:
            files.add(file)
    return sorted(files)


def fingerprint(inputs: bytes, files: Iterable[str]) -> str | None:
    """The hash of ``inputs`` and of ``files`` (content, or size and mtime when installed); None if one is gone."""
    h = hashlib.sha256()
    h.update(sys.version.encode() + b"\0" + len(inputs).to_bytes(8, "big") + inputs)
    for file in files:
        h.update(file.encode() + b"\0")
        # os rather than pathlib: hundreds of files per start, and Path objects cost half the time here.
        try:
            if file.startswith(_INSTALLED):
                stat = os.stat(file)
                h.update(b"s%d:%d" % (stat.st_size, stat.st_mtime_ns))
            else:
                with open(file, "rb") as f:
                    content = f.read()
                h.update(b"c%d:" % len(content) + hashlib.sha256(content).digest())
        except OSError:
            return None
    return h.hexdigest()


def current_states(
    record: CodeRecord | None, inputs: bytes
) -> tuple[dict[str, type[State]], dict[str, frozenset[str]]] | None:
    """The states of a build whose recorded code is still the code on disk, or None if anything differs."""
    if record is None or fingerprint(inputs, record.files) != record.fingerprint:
        return None
    states = {}
    for state_name, name in record.states.items():
        cls = resolve(name)
        if not (isinstance(cls, type) and issubclass(cls, State) and cls.state_name() == state_name):
            return None  # the module is not loaded (yet) in this process, or names something else now
        states[state_name] = cls
    return states, {route: frozenset(names) for route, names in record.page_states.items()}


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The files loaded before a compile, and their fingerprint then."""

    files: tuple[str, ...]
    fingerprint: str | None


def snapshot(inputs: bytes, extra: Iterable[str] = ()) -> Snapshot:
    """Takes the fingerprint of the loaded files (and ``extra`` ones) before a compile, for `record_code`."""
    files = tuple(sorted({*loaded_files(), *extra}))
    return Snapshot(files, fingerprint(inputs, files))


def record_code(
    inputs: bytes,
    before: Snapshot,
    states: Mapping[str, type[State]],
    page_states: Mapping[str, frozenset[str]],
    extra: Iterable[str] = (),
) -> CodeRecord | None:
    """What to keep of the code the pages were just compiled from, or None when a start must compile anyway.

    Args:
        inputs: The compile's arguments (`app_inputs`).
        before: The `snapshot` taken before the compile.
        states: The compiled states.
        page_states: The compiled pages' states.
        extra: Files the build reads besides modules (the browser runtime).
    """
    names = {state_name: name_of(cls) for state_name, cls in states.items()}
    if before.fingerprint is None or any(name is None for name in names.values()):
        return None
    # A file saved while the pages compiled: which version ran is unknown, so nothing is recorded.
    if fingerprint(inputs, before.files) != before.fingerprint:
        return None
    files = sorted({*loaded_files(), *extra})  # with the modules the compile imported
    after = fingerprint(inputs, files)
    if after is None:
        return None
    return CodeRecord(
        fingerprint=after,
        files=files,
        states={state_name: name for state_name, name in names.items() if name is not None},
        page_states={route: sorted(names) for route, names in page_states.items()},
    )


def app_inputs(pages: Mapping[str, Page], theme: Theme | None, event_path: str) -> bytes | None:
    """The arguments of an app's compile, as bytes; None when a page is not a module-level function."""
    described: list[Any] = [event_path, None if theme is None else msgspec.to_builtins(theme)]
    for route, page in pages.items():
        fn = name_of(page.fn)
        loads = []
        for spec in page.on_load:
            if not all(isinstance(arg, (str, int, float, bool, type(None))) for arg in spec.args or ()):
                return None  # a Var or an object: its meaning is not in the source alone
            loads.append([spec.path, list(spec.args or ())])
        if fn is None:
            return None
        described.append([route, fn, page.title, page.description, loads])
    return msgspec.json.encode(described)
