"""``python -m tests.editor.preview_picture``: docs/images/preview-finding.png, made again.

Serves a copy of the seed with one British spelling written into a Key Facts bullet
("oedema": Y102), and takes headless Chromium's screenshot of the chapter's preview at
1000 × 1400: the findings list at the top, the marker at the bullet. The PNG is reduced to
256 colours, as ``tests.pictures`` does, so a change in it is a small diff.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image

from tests.editor.test_preview import BRITISH, BULLET, CHAPTER, serving
from tests.helpers import edit, seed_copy
from tests.pictures import CHROMIUM, IMAGES, _save

NAME = "preview-finding"
SIZE = (1000, 1400)


def preview_picture(chromium: str) -> None:
    """Draw the preview of a chapter with one finding into ``docs/images/preview-finding.png``."""
    with tempfile.TemporaryDirectory() as scratch:
        root = seed_copy(Path(scratch))
        edit(root / "chapters" / f"{CHAPTER}.md", BULLET, BRITISH)
        shot = Path(scratch) / f"{NAME}.png"
        with serving(root) as url:
            flags = [*CHROMIUM, f"--user-data-dir={Path(scratch) / 'profile'}",
                     f"--window-size={SIZE[0]},{SIZE[1]}", f"--screenshot={shot}"]  # fmt: skip
            address = f"{url}chapter/{CHAPTER}"
            subprocess.run(
                [chromium, *flags, address], check=True, capture_output=True, timeout=120
            )
        _save(Image.open(shot), NAME)
    print(f"written to {IMAGES / (NAME + '.png')}")


def main() -> int:
    """Draw the picture with Debian's Chromium."""
    chromium = shutil.which("chromium")
    if chromium is None:
        raise SystemExit("needs Debian's chromium (requirements/system.txt)")
    preview_picture(chromium)
    return 0


if __name__ == "__main__":
    sys.exit(main())
