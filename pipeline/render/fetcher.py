"""The one gate for every file a PDF loads: checked images, stylesheets and fonts.

WeasyPrint asks its URL fetcher for everything a document refers to. This fetcher serves a
figure's image from the bytes validation checked (never from disk: the response carries no
``file:`` address, which WeasyPrint would otherwise open again while writing) and files of the
renderer's own ``css/`` and ``fonts/`` (``gate.asset_file``), and refuses anything else:
other files, ``http:``, ``data:``. It never touches the network. Refusals are recorded so
the build can report them (P104) instead of printing an incomplete PDF silently.
"""

from __future__ import annotations

import logging
import mimetypes
from collections.abc import Mapping
from typing import Any

from weasyprint.urls import URLFetcher, URLFetcherResponse  # type: ignore[import-untyped]

from pipeline.model import Figure
from pipeline.render.annotate import overlay_svg
from pipeline.render.gate import ASSET_DIRS, ASSETS, asset_file
from pipeline.render.plan import overlay_uri

__all__ = ["ASSETS", "ASSET_DIRS", "Fetcher", "RefusedFetchError"]
LOGGER = logging.getLogger(__name__)
SVG = "image/svg+xml"


class RefusedFetchError(ValueError):
    """A URL outside the allowed folders was asked for."""


class Fetcher(URLFetcher):  # type: ignore[misc]
    """Serve the document's checked images and the renderer's assets; refuse and record the rest."""

    def __init__(self, figures: Mapping[str, Figure]) -> None:
        super().__init__(allowed_protocols=("file",), allow_redirects=False)
        self.images = {url: f.image for url, f in figures.items() if f.image}
        """Each checked image of the document, by the address the document gives it."""
        self.overlays = {
            overlay_uri(url): overlay_svg(f, url)
            for url, f in figures.items()
            if f.image and f.annotations
        }
        """The SVG of each annotated figure: its markers drawn over the image (at ``url``)."""
        self.refused: list[str] = []

    def fetch(self, url: str, headers: Any = None) -> Any:
        """Return what ``url`` names, or raise ``RefusedFetchError`` if it is not allowed."""
        overlay = self.overlays.get(url)
        if overlay is not None:
            return URLFetcherResponse(f"checked-overlay:{url}", overlay, {"Content-Type": SVG})
        image = self.images.get(url)
        if image is not None:
            # Not a file: address, or WeasyPrint would read the file again when it writes.
            address = f"checked-image:{image.sha256}"
            return URLFetcherResponse(address, image.data, {"Content-Type": image.media_type})
        path = asset_file(url)
        if path is None:
            self.refused.append(url)
            LOGGER.warning("refused to load %s: not a checked image or an asset", url)
            raise RefusedFetchError(f"refused to load {url}")
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": kind})
