"""The one gate for every file a renderer loads: images, stylesheets and fonts.

WeasyPrint asks its URL fetcher for everything a document refers to. This fetcher serves
``file:`` URLs that resolve (symbolic links followed) to an image file validation checked or
to a file of the renderer's own ``css/`` and ``fonts/``, and refuses anything else: other
files, ``http:``, ``data:``. It never touches the network. Refusals are recorded
so the build can report them (P104) instead of printing an incomplete PDF silently.
"""

from __future__ import annotations

import logging
import mimetypes
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from weasyprint.urls import URLFetcher, URLFetcherResponse  # type: ignore[import-untyped]

from pipeline.render.gate import ASSET_DIRS, ASSETS, allowed_file, load

__all__ = ["ASSETS", "ASSET_DIRS", "Fetcher", "RefusedFetchError"]
LOGGER = logging.getLogger(__name__)


class RefusedFetchError(ValueError):
    """A URL outside the allowed folders was asked for."""


class Fetcher(URLFetcher):  # type: ignore[misc]
    """Serve ``files`` and the renderer's assets; refuse and record the rest."""

    def __init__(self, files: Mapping[Path, str]) -> None:
        super().__init__(allowed_protocols=("file",), allow_redirects=False)
        self.files = dict(files)
        """Each checked image file and the SHA-256 validation recorded for it."""
        self.refused: list[str] = []

    def fetch(self, url: str, headers: Any = None) -> Any:
        """Return the file ``url`` names, or raise ``RefusedFetchError`` if it is not allowed."""
        path = self.allowed_path(url)
        data = None if path is None else load(path, self.files)
        if path is None or data is None:
            self.refused.append(url)
            LOGGER.warning("refused to load %s: not a checked image or an asset", url)
            raise RefusedFetchError(f"refused to load {url}")
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), data, {"Content-Type": kind})

    def allowed_path(self, url: str) -> Path | None:
        """Return the file ``url`` points to if it may be loaded, else None."""
        return allowed_file(url, self.files, ASSET_DIRS)
