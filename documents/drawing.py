"""What the pictures share: a box in pixels, the typeface at a size, a PNG with its text."""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import cache

from PIL import Image, ImageFont
from PIL.PngImagePlugin import PngInfo

from documents.fonts import dejavu


@dataclass(frozen=True)
class Box:
    """A rectangle in pixels, from the image's top left corner."""

    x: float
    y: float
    w: float
    h: float

    def probe(self) -> tuple[int, int]:
        """A point inside the tile that no text or edge covers: shows the tile's fill."""
        return int(self.x + self.w - 10), int(self.y + 10)


@cache
def font(size_px: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    """DejaVu Sans (or its bold) at ``size_px`` pixels."""
    files = dejavu()
    return ImageFont.truetype(str(files.bold if bold else files.regular), size_px)


def png_bytes(image: Image.Image, title: str, description: str, source: str) -> bytes:
    """``image`` as a PNG carrying its title, text alternative (Description) and source."""
    info = PngInfo()
    info.add_itxt("Title", title)
    info.add_itxt("Description", description)
    if source:
        info.add_itxt("Source", source)
    out = io.BytesIO()
    image.save(out, format="PNG", pnginfo=info)
    return out.getvalue()
