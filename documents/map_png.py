"""The model's map as a PNG, drawn with matplotlib: the preconditions, then three phases of
three steps, as in MUCF's own picture of the model, each step coloured by its state and marked
with a symbol too (so the colours are never the only sign).

Portrait and large type, to be read on a phone. The layout is computed first (:func:`layout`,
in pixels from the top left) and drawn from it, so a test can look at a step's colour where
the layout says the step is. The PNG carries the text alternative as its Description.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import cache

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from PIL import Image, ImageFont
from PIL.PngImagePlugin import PngInfo

from bot.document import ModelPicture, Tile, TileState
from documents.fonts import dejavu

WIDTH = 1080
MARGIN = 36
GAP = 18
TILE_HEIGHT = 200
ROW_LABEL = 54  # the band above a row of tiles, with the phase's name
TOP = 150  # the title and the round
LEGEND = 190
DPI = 100
PX_PER_PT = DPI / 72

FILLS: dict[TileState, str] = {
    "done": "#b9e4bd",
    "skipped": "#d6d6d6",
    "focus": "#ffd45c",
    "started": "#b8dcfb",
    "untouched": "#ffffff",
}
SYMBOLS: dict[TileState, str] = {
    "done": "✓",
    "skipped": "–",
    "focus": "●",
    "started": "◐",
    "untouched": "○",
}
EDGE = "#4a4a4a"
INK = "#161616"
ROW_INK = "#1f3b5c"


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


@dataclass(frozen=True)
class Layout:
    width: int
    height: int
    rows: tuple[Box, ...]  # each row's label band
    tiles: dict[str, Box]  # by step id
    legend: tuple[Box, ...]  # each state's swatch, in the legend's order


@dataclass(frozen=True)
class RenderedMap:
    data: bytes
    width: int
    height: int
    layout: Layout

    def stream(self) -> io.BytesIO:
        return io.BytesIO(self.data)


def layout(picture: ModelPicture) -> Layout:
    """Where every part of the map goes."""
    columns = max(len(row.tiles) for row in picture.rows)
    tile_w = (WIDTH - 2 * MARGIN - (columns - 1) * GAP) / columns
    rows, tiles = [], {}
    y = float(TOP)
    for row in picture.rows:
        rows.append(Box(MARGIN, y, WIDTH - 2 * MARGIN, ROW_LABEL))
        y += ROW_LABEL
        for i, tile in enumerate(row.tiles):
            tiles[tile.step_id] = Box(MARGIN + i * (tile_w + GAP), y, tile_w, TILE_HEIGHT)
        y += TILE_HEIGHT + GAP
    legend = []
    per_row = 3
    swatch_w = (WIDTH - 2 * MARGIN) / per_row
    for i, _ in enumerate(picture.legend):
        col, line = i % per_row, i // per_row
        legend.append(Box(MARGIN + col * swatch_w, y + 24 + line * 52, 40, 40))
    height = int(y + LEGEND)
    return Layout(WIDTH, height, tuple(rows), tiles, tuple(legend))


def _wrap(text: str, width_px: float, size_pt: float) -> str:
    """``text`` broken at spaces into lines that fit ``width_px`` in DejaVu Sans Bold at
    ``size_pt``, measured with the font's own metrics (a longer word keeps its line)."""
    font = _bold(round(size_pt * PX_PER_PT))
    lines: list[str] = []
    line = ""
    for word in text.split():
        joined = f"{line} {word}" if line else word
        if line and font.getlength(joined) > width_px:
            lines.append(line)
            line = word
        else:
            line = joined
    return "\n".join([*lines, line])


@cache
def _bold(size_px: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(dejavu().bold), size_px)


def render_map(picture: ModelPicture) -> RenderedMap:
    """The map as an RGB PNG (no transparency, so a PDF/A may hold it)."""
    at = layout(picture)
    names = dict(picture.legend)
    figure = Figure(figsize=(at.width / DPI, at.height / DPI), dpi=DPI, facecolor="white")
    axes = figure.add_axes((0, 0, 1, 1))
    axes.set_xlim(0, at.width)
    axes.set_ylim(at.height, 0)
    axes.set_axis_off()
    axes.text(MARGIN, 62, picture.title, fontsize=30, weight="bold", color=INK, va="center")
    axes.text(MARGIN, 116, picture.subtitle, fontsize=20, color=ROW_INK, va="center")
    for row, band in zip(picture.rows, at.rows, strict=True):
        middle = band.y + band.h / 2
        axes.text(band.x, middle, row.title, fontsize=19, weight="bold", color=ROW_INK, va="center")
        for tile in row.tiles:
            _tile(axes, at.tiles[tile.step_id], tile, names[tile.state])
    for (state, name), swatch in zip(picture.legend, at.legend, strict=True):
        _swatch(axes, swatch, state, name)
    axes.text(MARGIN, at.height - 22, picture.credit, fontsize=13, color="#555555", va="center")
    return RenderedMap(_png(figure, picture, (at.width, at.height)), at.width, at.height, at)


def _tile(axes: Axes, box: Box, tile: Tile, state_name: str) -> None:
    """One step: its name, its state as a symbol and a word, and its answered questions."""
    focus = tile.state == "focus"
    edge = 4 if focus else 1.5
    axes.add_patch(
        Rectangle(
            (box.x, box.y),
            box.w,
            box.h,
            facecolor=FILLS[tile.state],
            edgecolor=EDGE,
            linewidth=edge,
        )
    )
    title = _wrap(tile.title, box.w - 32, 19)
    axes.text(
        box.x + 16,
        box.y + 16,
        title,
        fontsize=19,
        weight="bold",
        color=INK,
        va="top",
        linespacing=1.15,
    )
    low = box.y + box.h
    axes.text(box.x + 16, low - 56, SYMBOLS[tile.state], fontsize=20, color=INK, va="center")
    axes.text(
        box.x + 48,
        low - 56,
        state_name,
        fontsize=16,
        color=INK,
        va="center",
        weight="bold" if focus else "normal",
    )
    axes.text(box.x + 16, low - 22, tile.note, fontsize=15, color=INK, va="center")


def _swatch(axes: Axes, box: Box, state: TileState, name: str) -> None:
    axes.add_patch(
        Rectangle(
            (box.x, box.y), box.w, box.h, facecolor=FILLS[state], edgecolor=EDGE, linewidth=1.5
        )
    )
    axes.text(
        box.x + box.w / 2,
        box.y + box.h / 2,
        SYMBOLS[state],
        fontsize=16,
        ha="center",
        va="center",
        color=INK,
    )
    axes.text(box.x + box.w + 12, box.y + box.h / 2, name, fontsize=17, va="center", color=INK)


def _png(figure: Figure, picture: ModelPicture, size: tuple[int, int]) -> bytes:
    """The drawing as an RGB PNG carrying the picture's title, text alternative and source."""
    raw = io.BytesIO()
    figure.savefig(raw, format="rgba", dpi=DPI)
    image = Image.frombytes("RGBA", size, raw.getvalue()).convert("RGB")
    info = PngInfo()
    info.add_itxt("Title", picture.title)
    info.add_itxt("Description", picture.alt_text)
    info.add_itxt("Source", picture.credit)
    out = io.BytesIO()
    image.save(out, format="PNG", pnginfo=info)
    return out.getvalue()
