# Its own module, so that modules inside the package can read the version without importing the package
# (whose __init__ imports them); hatch reads it from here too ([tool.hatch.version] in pyproject.toml).
from __future__ import annotations

__version__ = "0.1.0"
