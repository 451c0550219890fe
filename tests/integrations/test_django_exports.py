"""pyreact_django's public surface, and that importing it (or pyreact_asgi) does not import Django."""

from __future__ import annotations

import subprocess
import sys
import types

import pytest

pyreact_django = pytest.importorskip("pyreact_django")


def test_django_exports_all_is_sorted_and_complete() -> None:
    assert pyreact_django.__all__ == sorted(pyreact_django.__all__)
    public = {
        name
        for name, value in vars(pyreact_django).items()
        if not name.startswith("_") and not isinstance(value, types.ModuleType)
    }
    assert public == set(pyreact_django.__all__) - {"__version__"}


def test_django_import_loads_no_django() -> None:
    # asgi.py imports pyreact_django before Django is set up; the core must never need Django at all.
    code = (
        "import sys, pyreact_asgi, pyreact_django; print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
