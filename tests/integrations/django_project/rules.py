"""Access rules the tests serve the UI with, by name (``PYREACT_TEST_ACCESS`` for servers in a subprocess)."""

from __future__ import annotations

from typing import Any

import pyreact_django


def in_editors(request: Any) -> bool:
    # A plain function: it runs in a worker thread, so the ORM may be used as in a sync view.
    return bool(request.user.groups.filter(name="editors").exists())


class InGroup:
    """An object with an async ``__call__``: awaited in the event loop, so it uses the async ORM."""

    def __init__(self, name: str) -> None:
        self.name = name

    async def __call__(self, request: Any) -> bool:
        return bool(await request.user.groups.filter(name=self.name).aexists())


RULES: dict[str, pyreact_django.Access | None] = {
    "none": None,
    "login": pyreact_django.login_required,
    "staff": pyreact_django.staff_required,
    "permission": pyreact_django.permission_required("auth.view_user"),
    "sync-callable": in_editors,
    "async-callable": InGroup("reviewers"),
    "user-test": pyreact_django.user_passes_test(lambda user: user.is_superuser),
}
