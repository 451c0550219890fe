"""examples/long_job.py: a background task whose progress reaches the tab, and its cancel button."""

from __future__ import annotations

from types import ModuleType

import pytest

from pyreact_asgi import PyApp
from pyreact_asgi.testing import AppClient, Tab

pytestmark = pytest.mark.asyncio


@pytest.fixture
def pyreact_app(example: ModuleType, monkeypatch: pytest.MonkeyPatch) -> PyApp:
    monkeypatch.setattr(example, "STEP_SECONDS", 0.001)
    return example.ui  # type: ignore[no-any-return]


async def test_long_job_runs_to_the_end(example: ModuleType, pyreact_client: AppClient) -> None:
    tab = await pyreact_client.open("/")
    await tab.call(example.Job.start)  # acknowledged at once; the task's progress comes in updates of its own
    await tab.wait_for(lambda t: bool(_toasts(t)))  # the task's returned action comes last
    assert _toasts(tab) == ["Job finished"]
    assert tab.vars(example.Job)["status"] == "done"
    assert tab.vars(example.Job)["percent"] == 100
    assert tab.vars(example.Job)["running"] is False


async def test_long_job_cancel(example: ModuleType, pyreact_client: AppClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(example, "STEP_SECONDS", 0.05)  # 2.5 s in all: cancelled long before the end
    tab = await pyreact_client.open("/")
    await tab.call(example.Job.start)
    await tab.wait_for(lambda t: t.vars(example.Job)["percent"] > 0)
    other = await tab.call(example.Job.cancel)  # the other buttons answer while the job runs
    assert other.error is None
    await tab.wait_for(lambda t: bool(_toasts(t)))
    assert _toasts(tab) == ["Job cancelled"]
    assert tab.vars(example.Job)["status"] == "cancelled"
    assert tab.vars(example.Job)["running"] is False
    assert 0 < tab.vars(example.Job)["percent"] < 100


def _toasts(tab: Tab) -> list[str]:
    return [a["message"] for a in tab.actions if a["kind"] == "toast"]
