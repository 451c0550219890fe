from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from asgiref.sync import iscoroutinefunction

from pyreact_asgi import ConfigError
from pyreact_django._db import in_thread

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
    from django.http import HttpRequest

__all__ = ["Access", "login_required", "permission_required", "staff_required", "user_passes_test"]

Access = Callable[["HttpRequest"], bool | Awaitable[bool]]
"""Who may use the app: a function of the Django request (with ``.user`` and ``.session``) returning a bool.

Async functions are awaited. Plain functions run in a worker thread with Django's database connection
handling, so they may use the ORM (``request.user.groups.filter(...).exists()``).
"""


async def login_required(request: HttpRequest) -> bool:
    """Allows users who are logged in, like Django's ``login_required``.

    Args:
        request: The request, with ``.user`` set.
    """
    return bool(request.user.is_authenticated)


async def staff_required(request: HttpRequest) -> bool:
    """Allows active staff users (``is_staff``), like the Django admin's ``staff_member_required``.

    Args:
        request: The request, with ``.user`` set.
    """
    return bool(request.user.is_active and request.user.is_staff)


def permission_required(*perms: str) -> Access:
    """Returns a rule that allows users who have every one of the permissions, like Django's ``permission_required``.

    Args:
        perms: Permissions as ``"app_label.codename"``, for example ``"polls.change_poll"``.

    Raises:
        ConfigError: No permission is given, or one is not a string like ``"app_label.codename"``.
    """
    if not perms:
        raise ConfigError('Expected at least one permission like "polls.change_poll", but got none.')
    for perm in perms:
        if not isinstance(perm, str) or perm.count(".") != 1 or perm.startswith(".") or perm.endswith("."):
            raise ConfigError(f'Expected permissions like "polls.change_poll", but got {perm!r}.')

    async def has_permissions(request: HttpRequest) -> bool:
        return bool(await request.user.ahas_perms(perms))

    has_permissions.__qualname__ = has_permissions.__name__ = f"permission_required{perms!r}"
    return has_permissions


def user_passes_test(test: Callable[[AbstractBaseUser | AnonymousUser], bool | Awaitable[bool]]) -> Access:
    """Returns a rule that allows users for whom ``test(user)`` is True, like Django's ``user_passes_test``.

    Args:
        test: A function of the user; async functions are awaited, plain ones run in a worker thread.
    """
    if not callable(test):
        raise ConfigError(f"Expected a function of the user, but got {test!r}.")

    async def passes(request: HttpRequest) -> bool:
        return await decide(test, request.user)

    passes.__qualname__ = passes.__name__ = f"user_passes_test({getattr(test, '__qualname__', test)!r})"
    return passes


async def decide(rule: Callable[[Any], bool | Awaitable[bool]], subject: Any) -> bool:
    result: object
    if iscoroutinefunction(rule) or iscoroutinefunction(getattr(rule, "__call__", None)):  # noqa: B004
        result = rule(subject)
        if inspect.isawaitable(result):
            result = await result
    else:
        result = await in_thread(rule, subject)
    if not isinstance(result, bool):
        raise TypeError(f"Expected the access rule {rule!r} to return True or False, but got {result!r}.")
    return result
