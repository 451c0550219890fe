from __future__ import annotations

import multiprocessing
import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

__all__ = ["worker_count"]

_SERVERS = ("uvicorn", "gunicorn", "hypercorn", "granian", "daphne")


def worker_count(environ: Mapping[str, str] | None = None, parent_cmdline: Sequence[str] | None = None) -> int:
    """Returns how many worker processes the server that runs this process starts, as far as can be told.

    The signals, each reliable for the servers that set it: ``WEB_CONCURRENCY`` (uvicorn and gunicorn read
    it as their default worker count, and platforms such as Heroku set it), and the command line of the
    parent process when it is a server's supervisor (``uvicorn --workers 4``, ``gunicorn -w 4``). 1 when
    none says more.

    Args:
        environ: The environment; ``os.environ`` by default.
        parent_cmdline: The parent's command line; read from ``/proc`` by default (Linux), where the parent
            is a supervisor: a ``multiprocessing`` parent (uvicorn) or a forking server (gunicorn).
    """
    environ = os.environ if environ is None else environ
    counts = [_int(environ.get("WEB_CONCURRENCY"))]
    if parent_cmdline is None:
        parent_cmdline = _parent_cmdline()
    if any(server in arg for arg in parent_cmdline[:3] for server in _SERVERS):
        counts.append(_workers_option(parent_cmdline))
    return max(1, *counts)


def _parent_cmdline() -> list[str]:
    parent = multiprocessing.parent_process()
    pid = parent.pid if parent is not None else os.getppid()
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return []
    return [arg.decode(errors="replace") for arg in raw.split(b"\0") if arg]


def _workers_option(argv: Sequence[str]) -> int:
    for i, arg in enumerate(argv):
        match = re.fullmatch(r"(?:--workers|-w)(?:=|)(\d*)", arg)
        if match is None:
            continue
        value = match[1] or (argv[i + 1] if i + 1 < len(argv) else "")
        return _int(value)
    return 1


def _int(value: str | None) -> int:
    try:
        return int(value or 1)
    except ValueError:
        return 1
