from __future__ import annotations

from django.apps import AppConfig

__all__ = ["PyReactConfig"]


class PyReactConfig(AppConfig):  # type: ignore[misc]  # Django has no type hints
    """The ``pyreact_django`` app: the ``pyreact_build`` command and the system checks of its settings."""

    name = "pyreact_django"
    verbose_name = "pyreact_asgi"

    def ready(self) -> None:
        from django.core.checks import register

        from pyreact_django.checks import check_app_setting, check_auth_installed

        register(check_app_setting)
        register(check_auth_installed)
