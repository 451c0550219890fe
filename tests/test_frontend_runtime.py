from __future__ import annotations

import sys
from pathlib import Path

import pytest

from pyreact_asgi.build.pipeline import STATIC_DIR

ROOT = Path(__file__).parent.parent


def test_bundled_runtime_matches_frontend_sources() -> None:
    # Editable installs bundle frontend/ once; after editing it, `pip install -e .` bundles it again.
    if not (ROOT / "frontend").is_dir():
        pytest.skip("installed without the frontend sources")
    pytest.importorskip("hatchling")
    sys.path.insert(0, str(ROOT))
    try:
        import hatch_build
    finally:
        sys.path.remove(str(ROOT))
    assert STATIC_DIR == hatch_build.OUTPUT
    assert hatch_build.STAMP.read_text() == hatch_build._sources_digest(), (
        "src/pyreact_asgi/_static/ is older than frontend/: run `pip install -e .` again"
    )
