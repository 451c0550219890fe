"""An app whose handlers change a list and a dict in place, so that updates carry patches (docs/protocol.md)."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pyreact_asgi as pr

ITEMS = [f"item {i}" for i in range(40)]
TABLE = {f"k{i:02d}": f"v{i}" for i in range(40)}


def random_changes(seed: int, items: list[str], table: dict[str, str]) -> None:
    """Changes ``items`` and ``table`` in place by a few random ops drawn from ``seed``: mostly what goes as a
    patch (set, append, pop, dict set and delete), sometimes what goes whole (insert, sort, delete inside)."""
    rng = random.Random(seed)
    for _ in range(rng.randrange(1, 4)):
        choice = rng.randrange(10)
        word = f"w{rng.randrange(1000)}"
        if choice <= 2 and items:
            items[rng.randrange(len(items))] = word
        elif choice == 3:
            items.append(word)
        elif choice == 4 and items:
            items.pop()
        elif choice == 5:
            items.insert(rng.randrange(len(items) + 1), word)
        elif choice == 6 and rng.random() < 0.3:
            items.sort()
        elif choice == 7 and table:
            del table[rng.choice(sorted(table))]
        else:
            table[f"k{rng.randrange(60):02d}"] = word


class Board(pr.State):
    items: list[str] = list(ITEMS)  # noqa: RUF012 - a var's default, copied for each client
    table: dict[str, str] = dict(TABLE)  # noqa: RUF012
    rounds: int = 0

    @pr.event
    def set_item(self, index: int, value: str) -> None:
        self.items[index] = value

    @pr.event
    def append(self, value: str) -> None:
        self.items.append(value)

    @pr.event
    def pop(self) -> None:
        self.items.pop()

    @pr.event
    def put(self, key: str, value: str) -> None:
        self.table[key] = value

    @pr.event
    def drop(self, key: str) -> None:
        del self.table[key]

    @pr.event
    def step(self) -> None:
        self.rounds += 1
        random_changes(self.rounds, self.items, self.table)


def board_page() -> pr.Component:
    return pr.vstack(
        pr.text(Board.rounds, id="rounds"),
        pr.button("set", id="set", on_click=Board.set_item(2, "two")),
        pr.button("append", id="append", on_click=Board.append("added")),
        pr.button("pop", id="pop", on_click=Board.pop),
        pr.button("put", id="put", on_click=Board.put("k05", "five")),
        pr.button("drop", id="drop", on_click=Board.drop("k07")),
        pr.button("step", id="step", on_click=Board.step),
        pr.vstack(pr.foreach(Board.items, lambda item: pr.text(item)), id="items"),
        pr.vstack(pr.foreach(Board.table.items(), lambda pair: pr.text(pair[0], "=", pair[1])), id="table"),
    )


def make_patches_ui(build_dir: Path, **config: Any) -> pr.PyApp:
    return pr.PyApp({"/": board_page}, config=pr.Config(build_dir=build_dir / "patches", **config))
