"""Starts a component package from the template in packages/daypicker (see docs/components-packages.md).

Usage: python scripts/new_component_package.py NAME DEST
    NAME  the package's short name: lowercase letters, digits and "_" ("mapview")
    DEST  the new folder ("../pyreact-mapview")

It copies the template's sources (never node_modules or a build), renaming pyreact_daypicker, pyreact-daypicker
and daypicker to pyreact_NAME, pyreact-NAME and NAME. Then: edit frontend/package.json and src/index.jsx to wrap
your npm library, `npm install` in frontend/ to write its lockfile, and `pip install -e DEST`.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

TEMPLATE = Path(__file__).resolve().parent.parent / "packages" / "daypicker"
SKIP = {"node_modules", "_static", "__pycache__", ".egg-info"}


def main(argv: list[str]) -> int:
    if len(argv) != 2 or not re.fullmatch(r"[a-z][a-z0-9_]{0,39}", argv[0]):
        sys.stderr.write(__doc__ or "")
        return 2
    name, dest = argv[0], Path(argv[1])
    if dest.exists():
        sys.stderr.write(f"{dest} exists already; pick a new folder.\n")
        return 1
    for source in sorted(TEMPLATE.rglob("*")):
        relative = source.relative_to(TEMPLATE)
        if any(part in SKIP or part.endswith(".egg-info") for part in relative.parts) or source.is_dir():
            continue
        if relative.name == "package-lock.json":
            continue  # the new package's dependencies differ: `npm install` writes its own
        target = dest / str(relative).replace("pyreact_daypicker", f"pyreact_{name}").replace("daypicker", name)
        target.parent.mkdir(parents=True, exist_ok=True)
        text = source.read_text(encoding="utf-8")
        for old, new in (
            ("pyreact_daypicker", f"pyreact_{name}"),
            ("pyreact-daypicker", f"pyreact-{name}"),
            ("daypicker", name),
        ):
            text = text.replace(old, new)
        target.write_text(text, encoding="utf-8")
    shutil.copymode(TEMPLATE / "hatch_build.py", dest / "hatch_build.py")
    sys.stdout.write(f"Created {dest}; next: cd {dest}/frontend && npm install\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
