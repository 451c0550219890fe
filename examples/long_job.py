"""A long job with a progress bar and a cancel button, run as a background task.

Run:  uvicorn examples.long_job:app   then open http://127.0.0.1:8000/jobs/

The job keeps running if you close the tab; open the page again (same tab, or reload) and it shows where the
job is. Other buttons stay responsive while it runs.
"""

from __future__ import annotations

import os

import anyio
from fastapi import FastAPI

import pyreact_asgi as pr

STEPS = 50
STEP_SECONDS = float(os.environ.get("PYREACT_JOB_STEP", "0.1"))  # the "work" each step stands for


class Job(pr.State):
    percent: int = 0
    status: str = "idle"
    running: bool = False
    _cancel: bool = False

    @pr.event(background=True)
    async def start(self) -> pr.Action | None:
        async with self:  # takes this client's lock: other events of the client wait only for this block
            if self.running:
                return None
            self.running, self.percent, self.status, self._cancel = True, 0, "running", False
        for step in range(1, STEPS + 1):
            await anyio.sleep(STEP_SECONDS)  # the work, done without holding the lock
            async with self:  # its changes reach the browser when the block ends
                if self._cancel:
                    self.running, self.status = False, "cancelled"
                    return pr.toast("Job cancelled", level="warning")
                self.percent = round(100 * step / STEPS)
        async with self:
            self.running, self.status = False, "done"
        return pr.toast("Job finished", level="success")

    @pr.event
    def cancel(self) -> None:
        if self.running:
            self._cancel = True


def index() -> pr.Component:
    return pr.vstack(
        pr.heading("Long job"),
        pr.progress(Job.percent, id="progress"),
        pr.text(Job.percent, "% — ", Job.status, id="status"),
        pr.hstack(
            pr.button("Start", on_click=Job.start, id="start"),
            pr.button("Cancel", on_click=Job.cancel, id="cancel", background="#b91c1c"),
        ),
    )


ui = pr.PyApp(pages={"/": index}, config=pr.Config(title="Long job"))

app = FastAPI(lifespan=ui.lifespan)
app.mount("/jobs", ui)
