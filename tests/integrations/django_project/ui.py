"""The project's UI: the demo counter, and a page that shows the Django user and session of the visitor."""

from __future__ import annotations

import os
from pathlib import Path

import pyreact_asgi as pr
import pyreact_django
from examples.counter import index


class Who(pr.State):
    username: str = ""
    flavour: str = ""

    @pr.event
    def load(self) -> None:
        user = pyreact_django.user(self)
        self.username = user.get_username() if user.is_authenticated else "anonymous"
        self.flavour = pyreact_django.session(self).get("flavour", "none")


def who_page() -> pr.Component:
    return pr.vstack(pr.text(Who.username, id="username"), pr.text(Who.flavour, id="flavour"))


def make_ui(build: pr.BuildMode | None = None) -> pr.PyApp:
    # The tests' fixture sets the build directory before any app is started; importing needs none.
    build_dir = os.environ.get("PYREACT_TEST_BUILD_DIR")
    return pr.PyApp(
        {"/": index, "/who": pr.page(who_page, title="Who", on_load=Who.load)},
        config=pr.Config(
            title="Django UI",
            build_dir=Path(build_dir) if build_dir else None,
            build=build or os.environ.get("PYREACT_TEST_BUILD", "auto"),  # type: ignore[arg-type]
        ),
    )


ui = make_ui()
