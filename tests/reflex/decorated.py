"""A module written the Reflex way: pages decorated with @pr.page, and the app created without pages."""

from __future__ import annotations

import pyreact_asgi as pr


class Blog(pr.State):
    loads: int = 0

    @pr.event
    def load(self) -> None:
        self.loads += 1


@pr.page(route="/", title="Home")
def index() -> pr.Component:
    return pr.heading("Home")


@pr.page(title="About us", on_load=Blog.load)
def about_us() -> pr.Component:
    return pr.text("About", Blog.loads)


def make_app(**kwargs: object) -> pr.PyApp:
    return pr.PyApp(**kwargs)  # type: ignore[arg-type]
