from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from asgiref.sync import sync_to_async

T = TypeVar("T")


def _with_connections(fn: Callable[..., T], *args: object) -> T:
    from django.db import close_old_connections

    # What Django does around each request (request_started/finished): a connection past CONN_MAX_AGE, or
    # broken, is not reused or left open. Channels' database_sync_to_async does the same.
    close_old_connections()
    try:
        return fn(*args)
    finally:
        close_old_connections()


async def in_thread(fn: Callable[..., T], *args: object) -> T:
    """Runs blocking Django code (the ORM, sessions) off the event loop, as Django runs sync views."""
    return await sync_to_async(_with_connections, thread_sensitive=True)(fn, *args)
