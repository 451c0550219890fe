from __future__ import annotations

import warnings

from pyreact_asgi.exceptions import BuildError

__all__ = ["transform"]

# esbuild_py imports distutils at import time (removed in Python 3.12; setuptools provides a shim, and
# without it 3.11 warns). Silence only that warning, and import lazily so `import pyreact_asgi` stays cheap.
_transform = None


def _load() -> object:
    global _transform
    if _transform is None:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=".*distutils.*", category=DeprecationWarning)
            try:
                import esbuild_py
            except ImportError as exc:  # pragma: no cover - a broken install
                raise BuildError(
                    f"Cannot load esbuild-py ({exc}); on Python 3.12+ install setuptools, which it needs."
                ) from exc
        _transform = esbuild_py.transform
    return _transform


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
    fn = _load()
    output = fn(source)  # type: ignore[operator]
    if not output:
        raise BuildError(
            f"esbuild returned no output for {name!r} (likely a syntax error); "
            'fix the source, or set build="never" to keep serving the last bundle.'
        )
    return str(output)
