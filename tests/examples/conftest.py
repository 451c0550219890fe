from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def examples_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One working directory for the examples' tests, so each example builds once (into its .pyreact/)."""
    return tmp_path_factory.mktemp("examples")


@pytest.fixture(autouse=True)
def _in_examples_dir(examples_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(examples_dir)
