"""Who is heard as a PNG: one stacked bar per row (all steps, then each step with answers),
each sector in its colour, with its count written in the segment when there is room.

Drawn with Pillow like the map, from a layout a test can read (:func:`layout`).
"""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image, ImageDraw

from bot.document import BalanceChart
from documents.drawing import Box, font, png_bytes
from documents.map_png import EDGE, INK, MARGIN, QUIET, WIDTH

# Public, civil society, target group, other: told apart by lightness as well as hue.
SERIES_FILLS = ("#2f5f8f", "#e39b2d", "#3f9b5a", "#9a9a9a")
LABEL_WIDTH = 380
BAR_HEIGHT = 44
ROW = 64
TOP = 120
LEGEND = 110


@dataclass(frozen=True)
class ChartLayout:
    width: int
    height: int
    segments: tuple[tuple[Box, ...], ...]  # each bar's segments, in series order
    legend: tuple[Box, ...]


def layout(chart: BalanceChart) -> ChartLayout:
    """Where each bar's segments go: widths in proportion to the counts."""
    full = WIDTH - MARGIN - LABEL_WIDTH - MARGIN
    bars = []
    for row, bar in enumerate(chart.bars):
        total = sum(bar.counts) or 1
        x, y = float(MARGIN + LABEL_WIDTH), TOP + row * ROW
        segments = []
        for count in bar.counts:
            width = full * count / total
            segments.append(Box(x, y, width, BAR_HEIGHT))
            x += width
        bars.append(tuple(segments))
    legend_y = TOP + len(chart.bars) * ROW + 20
    step = (WIDTH - 2 * MARGIN) / max(1, len(chart.series))
    legend = tuple(Box(MARGIN + i * step, legend_y, 32, 32) for i in range(len(chart.series)))
    return ChartLayout(WIDTH, int(legend_y + LEGEND), tuple(bars), legend)


def render_chart(chart: BalanceChart) -> bytes:
    at = layout(chart)
    image = Image.new("RGB", (at.width, at.height), "white")
    draw = ImageDraw.Draw(image)
    draw.text((MARGIN, 56), chart.title, fill=INK, font=font(32, bold=True), anchor="lm")
    for bar, segments in zip(chart.bars, at.segments, strict=True):
        middle = segments[0].y + BAR_HEIGHT / 2
        label = _fit(bar.label, LABEL_WIDTH - 16, 22)
        draw.text((MARGIN, middle), label, fill=INK, font=font(22), anchor="lm")
        for count, box, fill in zip(bar.counts, segments, SERIES_FILLS, strict=False):
            if count:
                corners = (box.x, box.y, box.x + box.w, box.y + box.h)
                draw.rectangle(corners, fill=fill, outline="white", width=1)
                if box.w >= 40:
                    centre = (box.x + box.w / 2, middle)
                    draw.text(centre, str(count), fill="white", font=font(20, True), anchor="mm")
    for name, box, fill in zip(chart.series, at.legend, SERIES_FILLS, strict=False):
        draw.rectangle((box.x, box.y, box.x + box.w, box.y + box.h), fill=fill, outline=EDGE)
        draw.text(
            (box.x + box.w + 10, box.y + box.h / 2), name, fill=QUIET, font=font(22), anchor="lm"
        )
    return png_bytes(image, chart.title, chart.alt_text, "")


def _fit(text: str, width: float, size: int) -> str:
    """``text`` cut with an ellipsis to fit ``width`` pixels (a long step name)."""
    face = font(size)
    if face.getlength(text) <= width:
        return text
    while text and face.getlength(text + "…") > width:
        text = text[:-1]
    return text.rstrip() + "…"
