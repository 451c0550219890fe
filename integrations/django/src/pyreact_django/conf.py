from __future__ import annotations

import re
from importlib import import_module

from pyreact_asgi import PyApp

__all__ = ["AppSettingError", "load_app"]

_TARGET = re.compile(r"^[A-Za-z_][\w.]*:[A-Za-z_][\w.]*$")
_EXAMPLE = 'PYREACT_APP = "myproject.ui:ui"'


class AppSettingError(Exception):
    """The ``PYREACT_APP`` setting does not name a PyApp; raised by `load_app`.

    Args:
        message: What is wrong.
        id: The system check id reporting it (``"pyreact_asgi.E001"``).
        hint: How to fix it.
    """

    def __init__(self, message: str, *, id: str, hint: str) -> None:
        super().__init__(message)
        self.id = id
        self.hint = hint

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.args[0]!r}, id={self.id!r})"


def load_app() -> PyApp:
    """Returns the PyApp named by ``settings.PYREACT_APP`` (``"module:attribute"``), importing its module.

    Raises:
        AppSettingError: The setting is missing or malformed, its module cannot be imported, or it does not
            name a PyApp. Its ``id`` and ``hint`` are those of the system check that reports the same problem.
    """
    from django.conf import settings

    target = getattr(settings, "PYREACT_APP", None)
    if target is None:
        raise AppSettingError(
            "The PYREACT_APP setting is missing.",
            id="pyreact_asgi.E001",
            hint=f"Name the PyApp to build in settings.py: {_EXAMPLE}",
        )
    if not isinstance(target, str) or not _TARGET.match(target):
        raise AppSettingError(
            f'Expected PYREACT_APP to be "module:attribute", but got {target!r}.',
            id="pyreact_asgi.E002",
            hint=f"For a PyApp called ui in myproject/ui.py: {_EXAMPLE}",
        )
    module_name, _, attribute = target.partition(":")
    try:
        module = import_module(module_name)
    except ImportError as exc:
        raise AppSettingError(
            f"Cannot import module {module_name!r} named by PYREACT_APP: {exc}",
            id="pyreact_asgi.E003",
            hint="Check the module path, and that the module imports without errors.",
        ) from exc
    value: object = module
    for name in attribute.split("."):
        value = getattr(value, name, None)
    if not isinstance(value, PyApp):
        raise AppSettingError(
            f"Expected PYREACT_APP {target!r} to name a pyreact_asgi.PyApp, but it is {value!r}.",
            id="pyreact_asgi.E004",
            hint=f"Point it at the PyApp your asgi.py serves: {_EXAMPLE}",
        )
    return value
