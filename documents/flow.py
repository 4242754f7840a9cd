"""Running text down PDF pages: words wrapped to a width, lines placed, a new page when full.

fpdf2's ``multi_cell`` measures a line again for every character it adds, which is quadratic
in the line's length: a record of 500 answers took over 8 seconds. Here each distinct word is
measured once (fpdf2's own ``get_string_width``, with the embedded font's metrics) and each
line is placed with fpdf2's ``text``, so the cost grows with the number of words.
"""

from __future__ import annotations

from fpdf import FPDF

PT = 25.4 / 72  # mm in a point
Colour = tuple[int, int, int]


class Flow:
    """Places paragraphs of one font family at the page's cursor (``pdf.y``)."""

    def __init__(self, pdf: FPDF, family: str) -> None:
        self.pdf = pdf
        self.family = family
        self._widths: dict[tuple[str, float, str], float] = {}

    def paragraph(
        self,
        text: str,
        size: float,
        style: str = "",
        colour: Colour = (0, 0, 0),
        indent: float = 0.0,
        leading: float = 1.35,
    ) -> None:
        """``text`` in lines no wider than the page's text width less ``indent`` (mm); each
        line break in ``text`` starts a new line."""
        pdf = self.pdf
        width = pdf.w - pdf.l_margin - pdf.r_margin - indent
        step = size * PT * leading
        for line in self.wrap(text, width, size, style):
            if pdf.y + step > pdf.page_break_trigger:
                pdf.add_page()
            pdf.set_font(self.family, style, size)
            pdf.set_text_color(*colour)
            pdf.text(pdf.l_margin + indent, pdf.y + size * PT * 0.95, line)
            pdf.set_y(pdf.y + step)

    def wrap(self, text: str, width: float, size: float, style: str) -> list[str]:
        """``text`` broken at spaces (a word wider than ``width`` at characters)."""
        lines: list[str] = []
        space = self._width(" ", size, style)
        for source in text.splitlines() or [""]:
            line, used = "", 0.0
            for word in source.split():
                wide = self._width(word, size, style)
                if line and used + space + wide <= width:
                    line, used = f"{line} {word}", used + space + wide
                    continue
                if line:
                    lines.append(line)
                pieces = self._split(word, width, size, style) if wide > width else [word]
                lines += pieces[:-1]
                line, used = pieces[-1], self._width(pieces[-1], size, style)
            lines.append(line)
        return lines

    def _split(self, word: str, width: float, size: float, style: str) -> list[str]:
        pieces, piece = [], ""
        for char in word:
            if piece and self._width(piece + char, size, style) > width:
                pieces.append(piece)
                piece = ""
            piece += char
        return [*pieces, piece]

    def _width(self, word: str, size: float, style: str) -> float:
        key = (word, size, style)
        found = self._widths.get(key)
        if found is None:
            self.pdf.set_font(self.family, style, size)
            found = self._widths[key] = self.pdf.get_string_width(word)
        return found
