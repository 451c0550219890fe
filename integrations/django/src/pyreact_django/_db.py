from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from asgiref.sync import sync_to_async

T = TypeVar("T")


async def in_thread(fn: Callable[..., T], *args: object) -> T:
    """Runs blocking Django code (the ORM, sessions) off the event loop, as Django runs sync views."""
    return await sync_to_async(fn, thread_sensitive=True)(*args)


def close_old_connections() -> None:
    """Closes database connections that are broken or past ``CONN_MAX_AGE``, as Django does around each request."""
    from django.db import close_old_connections

    close_old_connections()
