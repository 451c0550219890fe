"""examples/chat.py: a reply that streams in, one update per token."""

from __future__ import annotations

import itertools
from types import ModuleType

import pytest

from pyreact_asgi import PyApp
from pyreact_asgi.testing import AppClient

pytestmark = pytest.mark.asyncio


@pytest.fixture
def pyreact_app(example: ModuleType, monkeypatch: pytest.MonkeyPatch) -> PyApp:
    monkeypatch.setattr(example, "TOKEN_SECONDS", 0)
    return example.ui  # type: ignore[no-any-return]


async def test_chat_reply_streams_in(example: ModuleType, pyreact_client: AppClient) -> None:
    tab = await pyreact_client.open("/")
    await tab.call(example.Chat.set_prompt, "hello")
    reply = await tab.call(example.Chat.send)
    words = "You said: hello. Here is a reply that arrives one token at a time, as from a language model."
    assert [m["role"] for m in tab.vars(example.Chat)["messages"]] == ["user", "assistant"]
    assert tab.vars(example.Chat)["messages"][1]["text"].strip() == words
    assert tab.vars(example.Chat)["busy"] is False
    assert tab.vars(example.Chat)["prompt"] == ""
    # The answer grows in one update per token, after the one that shows the question.
    answers = [
        u["delta"]["chat"]["messages"][1]["text"]
        for u in reply.updates
        if "messages" in u.get("delta", {}).get("chat", {})
    ]
    assert answers[0] == ""
    assert len(answers) == 1 + len(words.split(" "))
    assert all(longer.startswith(shorter) and longer != shorter for shorter, longer in itertools.pairwise(answers))
    assert [u.get("done", True) for u in reply.updates[:-1]] == [False] * (len(reply.updates) - 1)
    assert reply.actions == [{"kind": "scroll", "target": "prompt", "smooth": True}]


async def test_chat_ignores_an_empty_prompt(example: ModuleType, pyreact_client: AppClient) -> None:
    tab = await pyreact_client.open("/")
    reply = await tab.call(example.Chat.send)
    assert reply.delta == {}
    assert tab.vars(example.Chat)["messages"] == []
