"""A todo list: substates, lists and Structs changed in place, computed counts, foreach and cond.

Run:  uvicorn examples.todos:app   then open http://127.0.0.1:8000/todos/
"""

from __future__ import annotations

import msgspec
from fastapi import FastAPI

import pyreact_asgi as pr


class Task(msgspec.Struct):
    title: str
    done: bool = False


class Board(pr.State):
    """The app's root state: what every page shows."""

    name: str = "My tasks"


class Tasks(pr.State, parent=Board):
    """A substate: an event on the tasks loads, diffs and stores only this state (and what reads it)."""

    items: list[Task] = []
    draft: str = pr.field("", setter=True)

    @pr.computed
    def remaining(self) -> int:  # recomputed only when `items` changed, sent only when the count changed
        return sum(not task.done for task in self.items)

    @pr.computed
    def summary(self) -> str:
        done = len(self.items) - self.remaining
        return f"{self.remaining} to do, {done} done"

    @pr.event
    def add(self) -> pr.Action | None:
        title = self.draft.strip()
        if not title:
            return pr.toast("Type a task first", level="warning")
        self.items.append(Task(title))  # changed in place: no reassignment needed
        self.draft = ""
        return pr.set_focus("draft")

    @pr.event
    def toggle(self, index: int) -> None:
        if 0 <= index < len(self.items):
            self.items[index].done = not self.items[index].done  # a field of a Struct in a list

    @pr.event
    def remove(self, index: int) -> None:
        if 0 <= index < len(self.items):
            del self.items[index]

    @pr.event
    def clear_done(self) -> None:
        self.items[:] = [task for task in self.items if not task.done]


def row(task: pr.Var, index: pr.Var) -> pr.Component:
    return pr.hstack(
        pr.button(pr.cond(task["done"], "☑", "☐"), on_click=Tasks.toggle(index), background="#6b7280"),
        pr.text(task["title"], text_decoration=pr.cond(task["done"], "line-through", "none")),
        pr.button("Remove", on_click=Tasks.remove(index), background="#b91c1c"),
        class_name="task",
    )


def index() -> pr.Component:
    return pr.vstack(
        pr.heading(Board.name),
        pr.hstack(
            pr.input(value=Tasks.draft, on_change=Tasks.set_draft, placeholder="A new task", id="draft"),
            pr.button("Add", on_click=Tasks.add, id="add"),
        ),
        pr.foreach(Tasks.items, row),
        pr.cond(Tasks.remaining, pr.text(Tasks.summary, id="summary"), pr.text("All done!", id="summary")),
        pr.button("Clear done", on_click=Tasks.clear_done, id="clear-done"),
        max_width="36rem",
    )


ui = pr.PyApp(pages={"/": index}, config=pr.Config(title="Todos"))

app = FastAPI(lifespan=ui.lifespan)
app.mount("/todos", ui)
