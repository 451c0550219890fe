from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType

import pytest

from pyreact_asgi import PyApp


@pytest.fixture(scope="session")
def examples_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One working directory for the examples' tests, so each example builds once (into its .pyreact/)."""
    return tmp_path_factory.mktemp("examples")


@pytest.fixture(autouse=True)
def _in_examples_dir(examples_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(examples_dir)


@pytest.fixture
def example(request: pytest.FixtureRequest) -> ModuleType:
    """The example a test module is named after (test_chat.py: examples/chat.py), as imported now: its classes
    are the ones its app uses, even if another test reloaded it."""
    return importlib.import_module("examples." + request.module.__name__.rpartition(".test_")[2])


@pytest.fixture
def pyreact_app(example: ModuleType) -> PyApp:
    """The example's app, for the test client's fixtures; a module overrides it to change a setting first."""
    return example.ui  # type: ignore[no-any-return]
