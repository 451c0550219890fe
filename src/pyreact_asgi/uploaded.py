from __future__ import annotations

from pathlib import Path

import msgspec

__all__ = ["UploadedFile"]


class UploadedFile(msgspec.Struct, frozen=True):
    """A file the browser uploaded, already on the server's disk. An upload handler receives a list of them.

    The file is deleted when the handler returns: move or copy it (``shutil.move(f.path, dest)``) to keep it.

    Attributes:
        filename: The file's name as the browser sent it, reduced to a safe base name (no directories).
        content_type: The media type the browser claimed; not verified.
        size: Size in bytes.
        path: Where the file is on disk.
    """

    filename: str
    content_type: str
    size: int
    path: Path
