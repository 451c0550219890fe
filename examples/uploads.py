"""File upload: pick files, watch the progress bar, see them listed; each is kept in a folder on the server.

Run:  uvicorn examples.uploads:app   then open http://127.0.0.1:8000/files/
Files go to ./uploaded-files (PYREACT_UPLOADS to choose); each upload is at most 20 MB, 5 files at a time.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import anyio
from fastapi import FastAPI

import pyreact_asgi as pr

STORE = Path(os.environ.get("PYREACT_UPLOADS", "uploaded-files"))


def _keep(file: pr.UploadedFile) -> str:
    """Moves an upload into the store under a unique name; returns a line describing it. Runs in a thread."""
    STORE.mkdir(parents=True, exist_ok=True)
    with file.path.open("rb") as f:
        digest = hashlib.file_digest(f, "sha256").hexdigest()
    target = STORE / f"{digest[:12]}-{file.filename}"
    shutil.move(file.path, target)
    return f"{file.filename} ({file.size:,} bytes, sha256 {digest[:12]})"


class Files(pr.State):
    listing: str = ""  # one line per file kept
    total: int = 0

    @pr.event
    async def receive(self, files: list[pr.UploadedFile]) -> pr.Action:
        for file in files:
            line = await anyio.to_thread.run_sync(_keep, file)
            self.listing = f"{self.listing}\n{line}".strip()
            self.total += file.size
        return pr.toast(f"Uploaded {len(files)} file(s)", level="success")

    @pr.event
    def clear(self) -> None:
        self.listing = ""
        self.total = 0


def index() -> pr.Component:
    return pr.vstack(
        pr.heading("Files"),
        pr.upload(on_upload=Files.receive, multiple=True, id="upload"),
        pr.text("Received ", Files.total, " bytes in all.", id="total"),
        pr.box(Files.listing, id="kept", white_space="pre-line"),
        pr.button("Clear the list", on_click=Files.clear, id="clear", background="#6b7280"),
        max_width="40rem",
    )


ui = pr.PyApp(
    pages={"/": index},
    config=pr.Config(title="Files", max_upload_bytes=20 * 1024 * 1024, max_upload_files=5),
)

app = FastAPI(lifespan=ui.lifespan)
app.mount("/files", ui)
