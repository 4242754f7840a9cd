"""The model's map as a PNG, drawn with Pillow: the preconditions, then three phases of three
steps, as in MUCF's own picture of the model, each step coloured by its state and marked with a
symbol and a word too (so colour is never the only sign).

Portrait and large type, to be read on a phone. The layout is computed first (:func:`layout`,
in pixels from the top left) and drawn from it, so a test can look at a step's colour where
the layout says the step is. The PNG carries the text alternative as its Description. Pillow
draws with the DejaVu files the project installs (:mod:`documents.fonts`); a plotting library
would cost a third more memory and time for twelve rectangles and their words.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont

from bot.document import TILE_SYMBOLS, ModelPicture, Tile, TileState
from documents.drawing import Box, font, png_bytes

WIDTH = 1080
MARGIN = 36
GAP = 18
TILE_HEIGHT = 200
ROW_LABEL = 54  # the band above a row of tiles, with the phase's name
TOP = 150  # the title and the round
LEGEND = 190

FILLS: dict[TileState, str] = {
    "done": "#b9e4bd",
    "skipped": "#d6d6d6",
    "focus": "#ffd45c",
    "started": "#b8dcfb",
    "untouched": "#ffffff",
}
SYMBOLS = TILE_SYMBOLS
EDGE = "#4a4a4a"
INK = "#161616"
ROW_INK = "#1f3b5c"
QUIET = "#555555"


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


def _wrap(text: str, width_px: float, face: ImageFont.FreeTypeFont) -> str:
    """``text`` broken at spaces into lines that fit ``width_px`` in ``face``, measured with
    the font's own metrics (a longer word keeps its line)."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        joined = f"{line} {word}" if line else word
        if line and face.getlength(joined) > width_px:
            lines.append(line)
            line = word
        else:
            line = joined
    return "\n".join([*lines, line])


def render_map(picture: ModelPicture) -> RenderedMap:
    """The map as an RGB PNG (no transparency, so a PDF/A may hold it)."""
    at = layout(picture)
    names = dict(picture.legend)
    image = Image.new("RGB", (at.width, at.height), "white")
    draw = ImageDraw.Draw(image)
    draw.text((MARGIN, 62), picture.title, fill=INK, font=font(42, bold=True), anchor="lm")
    draw.text((MARGIN, 116), picture.subtitle, fill=ROW_INK, font=font(28), anchor="lm")
    for row, band in zip(picture.rows, at.rows, strict=True):
        middle = band.y + band.h / 2
        draw.text((band.x, middle), row.title, fill=ROW_INK, font=font(26, True), anchor="lm")
        for tile in row.tiles:
            _tile(draw, at.tiles[tile.step_id], tile, names[tile.state])
    for (state, name), swatch in zip(picture.legend, at.legend, strict=True):
        _swatch(draw, swatch, state, name)
    draw.text((MARGIN, at.height - 22), picture.credit, fill=QUIET, font=font(18), anchor="lm")
    return RenderedMap(_png(image, picture), at.width, at.height, at)


def _tile(draw: ImageDraw.ImageDraw, box: Box, tile: Tile, state_name: str) -> None:
    """One step: its name, its state as a symbol and a word, and its answered questions."""
    focus = tile.state == "focus"
    corners = (box.x, box.y, box.x + box.w, box.y + box.h)
    draw.rectangle(corners, fill=FILLS[tile.state], outline=EDGE, width=5 if focus else 2)
    title_font = font(26, bold=True)
    title = _wrap(tile.title, box.w - 32, title_font)
    draw.multiline_text((box.x + 16, box.y + 16), title, fill=INK, font=title_font, spacing=6)
    low = box.y + box.h
    draw.text((box.x + 16, low - 56), SYMBOLS[tile.state], fill=INK, font=font(28), anchor="lm")
    state_font = font(22, bold=focus)
    draw.text((box.x + 50, low - 56), state_name, fill=INK, font=state_font, anchor="lm")
    draw.text((box.x + 16, low - 22), tile.note, fill=INK, font=font(21), anchor="lm")


def _swatch(draw: ImageDraw.ImageDraw, box: Box, state: TileState, name: str) -> None:
    corners = (box.x, box.y, box.x + box.w, box.y + box.h)
    draw.rectangle(corners, fill=FILLS[state], outline=EDGE, width=2)
    middle = (box.x + box.w / 2, box.y + box.h / 2)
    draw.text(middle, SYMBOLS[state], fill=INK, font=font(22), anchor="mm")
    draw.text((box.x + box.w + 12, middle[1]), name, fill=INK, font=font(24), anchor="lm")


def _png(image: Image.Image, picture: ModelPicture) -> bytes:
    return png_bytes(image, picture.title, picture.alt_text, picture.credit)
