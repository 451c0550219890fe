"""The ``pyreact`` command: ``pyreact init``, ``run``, ``build``, ``routes`` and ``check`` (docs/cli.md)."""

from pyreact_asgi.cli.main import cli, main

__all__ = ["cli", "main"]
