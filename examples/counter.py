"""The README's demo: a counter and a text input, served alone or mounted in FastAPI.

Run alone:          uvicorn examples.counter:ui
Mounted at /admin:  uvicorn examples.counter:app   (then open http://127.0.0.1:8000/admin/)
"""

from __future__ import annotations

from fastapi import FastAPI

import pyreact_asgi as pr


class Counter(pr.State):
    count: int = 0
    name: str = pr.field("", setter=True)  # opt-in: the client may call Counter.set_name(value)
    _clicks_ever: int = 0  # backend-only: never sent to the browser

    @pr.event
    def increment(self, by: int = 1) -> None:
        self.count += by
        self._clicks_ever += 1

    @pr.event
    async def reset(self) -> None:
        self.count = 0


def index() -> pr.Component:
    return pr.vstack(
        pr.heading(Counter.count, id="count"),
        pr.hstack(
            pr.button("+1", on_click=Counter.increment, id="increment"),
            pr.button("+10", on_click=Counter.increment(10), id="increment-10"),
            pr.button("Reset", on_click=Counter.reset, id="reset", background="#6b7280"),
        ),
        pr.input(value=Counter.name, on_change=Counter.set_name, placeholder="Your name", id="name"),
        pr.text("Hello, ", Counter.name, id="greeting"),
        max_width="32rem",
    )


ui = pr.PyApp(pages={"/": index}, config=pr.Config(title="Counter"))

app = FastAPI(lifespan=ui.lifespan)
app.mount("/admin", ui)


@app.get("/")
def home() -> dict[str, str]:
    return {"ui": "/admin/"}
