"""An app that uses the whole state engine: substates, computed vars, containers, streaming and chaining."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import anyio
import msgspec

import pyreact_asgi as pr


class Task(msgspec.Struct):
    title: str
    done: bool = False


class Workspace(pr.State):
    """The root of the app's states; the others are its substates."""

    title: str = "Work"


class Todos(pr.State, parent=Workspace):
    tasks: list[Task] = []  # noqa: RUF012
    _added_ever: int = 0

    @pr.computed
    def remaining(self) -> int:
        return sum(not task.done for task in self.tasks)

    @pr.computed
    def _secret_total(self) -> int:
        return self._added_ever * 1000

    @pr.event
    def add(self, title: str) -> None:
        self.tasks.append(Task(title))
        self._added_ever += 1

    @pr.event
    def toggle(self, index: int) -> None:
        self.tasks[index].done = not self.tasks[index].done

    @pr.event
    def rename(self, index: int, title: str) -> None:
        self.tasks[index].title = title

    @pr.event
    def add_then_fail(self, title: str) -> None:
        self.tasks.append(Task(title))
        self.tasks[0].done = True
        raise RuntimeError("disk full")

    @pr.event
    def clear_done(self) -> Any:
        cleared = [task.title for task in self.tasks if task.done]
        self.tasks = [task for task in self.tasks if not task.done]
        return [Activity.record(f"cleared {title}") for title in cleared]


class Activity(pr.State, parent=Workspace):
    lines: list[str] = []  # noqa: RUF012

    @pr.computed
    def last(self) -> str:
        return self.lines[-1] if self.lines else ""

    @pr.event
    def record(self, line: str) -> None:
        self.lines.append(line)


class Chat(pr.State, parent=Workspace):
    """Streams a reply word by word, as an LLM streams tokens."""

    reply: str = ""

    @pr.computed
    def words(self) -> int:
        return len(self.reply.split())

    @pr.event
    async def ask(self, text: str) -> AsyncIterator[Any]:
        # Each word after the first waits until some client sends `chat.next_word`, so a test sees every
        # intermediate reply while the handler still runs, without sleeping.
        self.reply = ""
        for i, word in enumerate(text.split()):
            if i:
                await _next_word()
            self.reply = f"{self.reply} {word}" if i else word
            yield
        yield Activity.record(f"answered {text!r}")

    @pr.event
    async def next_word(self) -> None:  # async: it touches the event loop, which sync handlers (in a thread) must not
        _release_word()


class Elsewhere(pr.State):
    """A state of the other page only."""

    hits: int = 0

    @pr.event
    def hit(self) -> None:
        self.hits += 1


_words: dict[int, anyio.Event] = {}


def _release_word() -> None:
    _words.setdefault(threading.get_ident(), anyio.Event()).set()


async def _next_word() -> None:
    # One gate per server thread's event loop, replaced once used so each release lets one word through.
    key = threading.get_ident()
    await _words.setdefault(key, anyio.Event()).wait()
    _words[key] = anyio.Event()


class Worker(pr.State):
    """A background task that does one step per ticket any client hands out, so tests decide when it moves."""

    steps: int = 0
    running: bool = False

    @pr.event(background=True)
    async def run(self, steps: int) -> pr.Action:
        async with self:
            self.running = True
        for _ in range(steps):
            await _tickets().acquire()
            async with self:
                self.steps += 1
        async with self:
            self.running = False
        return pr.toast("Worker finished")

    @pr.event
    async def ticket(self) -> None:  # async, as next_word
        _tickets().release()


_semaphores: dict[int, asyncio.Semaphore] = {}


def _tickets() -> asyncio.Semaphore:
    # One per server thread's event loop.
    return _semaphores.setdefault(threading.get_ident(), asyncio.Semaphore(0))


def workspace_page() -> pr.Component:
    return pr.vstack(
        pr.heading(Workspace.title),
        pr.text(Todos.remaining, id="remaining"),
        pr.button("Add", on_click=Todos.add("write tests"), id="add"),
        pr.button("Ask", on_click=Chat.ask("streamed words reach the page"), id="ask"),
        pr.button("Next word", on_click=Chat.next_word, id="next-word"),
        pr.text(Chat.reply, id="reply"),
        pr.text(Chat.words, id="words"),
        pr.text(Activity.last, id="activity"),
    )


def elsewhere_page() -> pr.Component:
    return pr.vstack(pr.text(Elsewhere.hits, id="hits"), pr.button("Hit", on_click=Elsewhere.hit, id="hit"))


def worker_page() -> pr.Component:
    return pr.vstack(pr.text(Worker.steps, id="steps"), pr.button("Run", on_click=Worker.run(3), id="run"))


def make_engine_ui(build_dir: Path, **config: object) -> pr.PyApp:
    return pr.PyApp(
        pages={"/": workspace_page, "/elsewhere": elsewhere_page, "/worker": worker_page},
        config=pr.Config(title="Workspace", build_dir=build_dir, **config),  # type: ignore[arg-type]
    )
