"""``python -m pyreact_asgi``: the ``pyreact`` command, for when the console script is not on PATH."""

import sys

from pyreact_asgi.cli import main

sys.exit(main())
