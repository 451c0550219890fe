"""A FastAPI host that mounts the counter and never forwards lifespan to it: run by a real uvicorn process."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from fastapi import FastAPI

from tests.e2e.apps import make_ui

logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")

ui = make_ui(Path(os.environ["PYREACT_TEST_BUILD_DIR"]))
app = FastAPI()  # no lifespan=ui.lifespan: the first request has to start the app
app.mount("/admin", ui)
