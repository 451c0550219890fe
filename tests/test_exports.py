from __future__ import annotations

import importlib
import pkgutil
import types

import pytest

import pyreact_asgi

SUBPACKAGES = [
    "pyreact_asgi.build",
    "pyreact_asgi.cli",
    "pyreact_asgi.components",
    "pyreact_asgi.discovery",
    "pyreact_asgi.runtime",
    "pyreact_asgi.state",
    "pyreact_asgi.table",
]


def _public_modules() -> list[str]:
    names = []
    for info in pkgutil.walk_packages(pyreact_asgi.__path__, "pyreact_asgi."):
        if not any(part.startswith("_") for part in info.name.split(".")):
            names.append(info.name)
    return sorted(names)


def test_exports_all_is_sorted() -> None:
    assert pyreact_asgi.__all__ == sorted(pyreact_asgi.__all__)


def test_exports_all_has_no_duplicates() -> None:
    assert len(set(pyreact_asgi.__all__)) == len(pyreact_asgi.__all__)


def test_exports_every_name_in_all_is_importable() -> None:
    namespace: dict[str, object] = {}
    exec("from pyreact_asgi import *", namespace)
    assert set(pyreact_asgi.__all__) <= set(namespace)


def test_exports_every_public_object_is_listed() -> None:
    public = {
        name
        for name, value in vars(pyreact_asgi).items()
        if not name.startswith("_") and not isinstance(value, types.ModuleType)
    }
    assert public == set(pyreact_asgi.__all__) - {"__version__"}


def test_exports_version_is_a_string() -> None:
    assert isinstance(pyreact_asgi.__version__, str)
    assert pyreact_asgi.__version__.count(".") == 2


def test_exports_public_objects_keep_their_names() -> None:
    for name in pyreact_asgi.__all__:
        value = getattr(pyreact_asgi, name)
        if isinstance(value, type | types.FunctionType):
            assert value.__name__ == name


@pytest.mark.parametrize("name", SUBPACKAGES)
def test_exports_subpackage_declares_all(name: str) -> None:
    module = importlib.import_module(name)
    exported = module.__all__
    assert exported == sorted(exported)
    for attr in exported:
        assert hasattr(module, attr), f"{name}.__all__ lists {attr!r}, which does not exist"


def test_exports_subpackages_are_all_covered() -> None:
    packages = {name for name in _public_modules() if hasattr(importlib.import_module(name), "__path__")}
    assert packages == set(SUBPACKAGES)


@pytest.mark.parametrize("name", _public_modules())
def test_exports_every_public_module_declares_a_valid_all(name: str) -> None:
    module = importlib.import_module(name)
    assert hasattr(module, "__all__"), f"{name} has no __all__"
    for attr in module.__all__:
        assert hasattr(module, attr), f"{name}.__all__ lists {attr!r}, which does not exist"
