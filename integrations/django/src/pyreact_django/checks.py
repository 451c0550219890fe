from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.checks import CheckMessage, Error

from pyreact_django.conf import AppSettingError, load_app

__all__ = ["check_app_setting", "check_auth_installed"]


def check_app_setting(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Reports a ``PYREACT_APP`` setting that does not name a PyApp (``pyreact_asgi.E001`` to ``E004``)."""
    try:
        load_app()
    except AppSettingError as exc:
        return [Error(str(exc), hint=exc.hint, id=exc.id)]
    return []


def check_auth_installed(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Reports that ``django.contrib.auth``, which gives handlers the user, is not installed (``pyreact_asgi.E005``)."""
    if apps.is_installed("django.contrib.auth"):
        return []
    return [
        Error(
            "pyreact_django reads the Django user, but django.contrib.auth is not installed.",
            hint='Add "django.contrib.auth" and "django.contrib.contenttypes" to INSTALLED_APPS.',
            id="pyreact_asgi.E005",
        )
    ]
