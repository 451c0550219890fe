"""The pytest plugin of pyreact_asgi (entry point ``pytest11``): the ``pyreact_app`` and ``pyreact_client`` fixtures.

::

    async def test_increment(pyreact_client: AppClient) -> None:
        tab = await pyreact_client.open("/")
        await tab.call(Counter.increment)
        assert tab.vars(Counter)["count"] == 1

``pyreact_app`` returns the ``[tool.pyreact] app`` of the nearest pyproject.toml above pytest's root
directory; define a fixture of that name in a conftest.py to test another app. ``pyreact_client`` is async
(pytest-asyncio): mark the tests ``@pytest.mark.asyncio``, or set ``asyncio_mode = "auto"``.
"""

from __future__ import annotations

import importlib.util
from collections.abc import AsyncIterator

import pytest

from pyreact_asgi.app import PyApp
from pyreact_asgi.testing import AppClient

__all__ = ["pyreact_app", "pyreact_client"]


@pytest.fixture
def pyreact_app(request: pytest.FixtureRequest) -> PyApp:
    """The app under test: the ``[tool.pyreact] app`` of the project; override it in a conftest.py."""
    from pyreact_asgi.cli.project import CliError, find_project, load_pyapp  # only when the fixture is used

    try:
        return load_pyapp(None, find_project(request.config.rootpath))[1]
    except CliError as exc:
        pytest.fail(f"{exc.format_message()} Or define a pyreact_app fixture that returns the PyApp.", pytrace=False)


async def _client(pyreact_app: PyApp) -> AsyncIterator[AppClient]:
    """An `AppClient` of ``pyreact_app``, started for the test and stopped after it."""
    async with AppClient(pyreact_app) as client:
        yield client


def _needs_pytest_asyncio() -> None:
    pytest.fail("The pyreact_client fixture needs pytest-asyncio: pip install pytest-asyncio.", pytrace=False)


# pytest-asyncio is in pyreact_asgi's test extra, not its dependencies: without it, the plugin still loads (a
# failing import here would stop every pytest run of the user's), and only the async fixture says what is missing.
if importlib.util.find_spec("pytest_asyncio") is not None:
    import pytest_asyncio

    pyreact_client = pytest_asyncio.fixture(_client, name="pyreact_client")
else:  # pragma: no cover - the test extra installs pytest-asyncio
    pyreact_client = pytest.fixture(_needs_pytest_asyncio, name="pyreact_client")
