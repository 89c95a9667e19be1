"""Which files a renderer may load: the rule behind ``fetcher.Fetcher``, without WeasyPrint.

A ``file:`` URL is allowed when it resolves (symbolic links followed) to one of the files
validation checked (each figure's ``ImageFile.location``) or to a file inside one of the
renderer's asset folders; anything else (other files, other hosts, ``http:``, ``data:``, a
checked file that has since become a link elsewhere) is not. A checked file is loaded only
while its bytes still have the SHA-256 validation recorded (``load``). The PDF renderer
applies the rule through WeasyPrint's fetcher; the EPUB renderer, which never loads
WeasyPrint, applies it directly.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Iterable, Mapping
from pathlib import Path
from urllib.parse import unquote, urlsplit

ASSETS = Path(__file__).resolve().parent
ASSET_DIRS = (ASSETS / "css", ASSETS / "fonts")


def allowed_file(url: str, files: Collection[Path], roots: Iterable[Path] = ()) -> Path | None:
    """Return the file ``url`` points to if it is one of ``files`` or inside one of ``roots``."""
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return None
    path = Path(unquote(parts.path)).resolve()
    listed = path in files
    inside = any(path.is_relative_to(root.resolve()) for root in roots)
    return path if (listed or inside) and path.is_file() else None


def load(path: Path, checked: Mapping[Path, str]) -> bytes | None:
    """The bytes of ``path``; None when it is a checked file whose bytes changed since."""
    data = path.read_bytes()
    expected = checked.get(path)
    if expected is not None and hashlib.sha256(data).hexdigest() != expected:
        return None
    return data
