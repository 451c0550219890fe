from __future__ import annotations

import sys
import warnings
from collections.abc import Callable
from typing import cast

from pyreact_asgi.exceptions import BuildError

__all__ = ["transform"]


def _load() -> Callable[[str], str]:
    # esbuild_py imports distutils at import time (removed in Python 3.12; setuptools provides a shim, and
    # without it 3.11 warns). Silence only that warning, and import lazily so `import pyreact_asgi` stays
    # cheap. Python's own module cache keeps the loaded library: nothing of ours is held between builds, and
    # the process-wide warning filters are touched only on that first import.
    loaded = sys.modules.get("esbuild_py")
    if loaded is not None:
        return cast("Callable[[str], str]", loaded.transform)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*distutils.*", category=DeprecationWarning)
        try:
            import esbuild_py
        except ImportError as exc:  # pragma: no cover - a broken install
            raise BuildError(
                f"Cannot load esbuild-py ({exc}); on Python 3.12+ install setuptools, which it needs."
            ) from exc
    return cast("Callable[[str], str]", esbuild_py.transform)


def transform(source: str, *, name: str) -> str:
    """Compiles JSX to JavaScript (``React.createElement`` calls; ES module syntax is kept).

    Blocking: call it from a worker thread.

    Args:
        source: JSX source.
        name: What the source is (a page route or file name), for the error message.

    Raises:
        BuildError: esbuild returned nothing for non-empty input, which is how esbuild-py reports a syntax error.
    """
    if not source.strip():
        return ""
    output = _load()(source)
    if not output:
        raise BuildError(
            f"esbuild returned no output for {name!r} (likely a syntax error); "
            'fix the source, or set build="never" to keep serving the last bundle.'
        )
    return str(output)
