"""A small app for the contract's end-to-end tests: a counter, and a substate whose var the browser keeps."""

from __future__ import annotations

from pathlib import Path

import pyreact_asgi as pr


class Shell(pr.State):
    count: int = 0

    @pr.event
    def increment(self) -> None:
        self.count += 1


class Look(pr.State, parent=Shell, name="look"):
    """A substate: its name is the dotted path "shell.look", so its stored var's key is "shell.look.theme"."""

    theme: str = pr.local_storage("light")

    @pr.event
    def dark(self) -> None:
        self.theme = "dark"


def index() -> pr.Component:
    return pr.vstack(
        pr.text(Shell.count, id="count"),
        pr.button("+1", on_click=Shell.increment, id="increment"),
        pr.text(Look.theme, id="theme"),
        pr.button("Dark", on_click=Look.dark, id="dark"),
    )


def make_contract_ui(build_dir: Path, **config: object) -> pr.PyApp:
    return pr.PyApp({"/": index}, config=pr.Config(title="Contract", build_dir=build_dir, **config))  # type: ignore[arg-type]
