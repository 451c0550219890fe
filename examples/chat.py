"""A chat whose replies stream in token by token, as from an LLM (a stand-in model here: no network).

Run:  uvicorn examples.chat:app   then open http://127.0.0.1:8000/chat/

The handler is an async generator: every `yield` sends what changed so far, so the reply grows in the page
while the model is still producing it. Swap `fake_model` for your LLM client's streaming call.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator

import anyio
import msgspec
from fastapi import FastAPI

import pyreact_asgi as pr

TOKEN_SECONDS = float(os.environ.get("PYREACT_CHAT_TOKEN", "0.05"))


async def fake_model(prompt: str) -> AsyncIterator[str]:
    """Yields a reply a few characters at a time, as a streaming LLM API does."""
    reply = f"You said: {prompt}. Here is a reply that arrives one token at a time, as from a language model."
    for word in reply.split(" "):
        await anyio.sleep(TOKEN_SECONDS)
        yield word + " "


class Message(msgspec.Struct):
    role: str
    text: str


class Chat(pr.State):
    messages: list[Message] = []
    prompt: str = pr.field("", setter=True)
    busy: bool = False

    @pr.event
    async def send(self) -> AsyncIterator[pr.Action | None]:
        prompt = self.prompt.strip()
        if not prompt or self.busy:
            return
        self.messages.append(Message("user", prompt))
        self.messages.append(Message("assistant", ""))
        self.prompt, self.busy = "", True
        yield None  # the question, the empty answer and the cleared input reach the page now
        async for token in fake_model(prompt):
            self.messages[-1].text += token
            yield None  # each token: only the changed message text goes on the wire
        self.busy = False
        yield pr.scroll_to("prompt")


def bubble(message: pr.Var) -> pr.Component:
    return pr.box(
        pr.text(message["role"], class_name="role", font_size=".8rem", color="#6b7280"),
        pr.text(message["text"], class_name="text"),
        class_name="message",
        background="#f3f4f6",
        padding=".5rem .75rem",
        border_radius="8px",
        width="100%",
    )


def index() -> pr.Component:
    return pr.vstack(
        pr.heading("Chat"),
        pr.vstack(pr.foreach(Chat.messages, bubble), id="messages", width="100%"),
        pr.hstack(
            pr.input(value=Chat.prompt, on_change=Chat.set_prompt, placeholder="Ask something", id="prompt"),
            pr.button("Send", on_click=Chat.send, id="send", disabled=Chat.busy),
        ),
        max_width="40rem",
    )


ui = pr.PyApp(pages={"/": index}, config=pr.Config(title="Chat"))

app = FastAPI(lifespan=ui.lifespan)
app.mount("/chat", ui)
