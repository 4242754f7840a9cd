"""A document as a PDF to archive: PDF/A-2u (fonts embedded, Unicode text, sRGB output intent,
XMP metadata), A4, with the credit and the page number on every page.

Made with fpdf2: its text layout wraps Swedish text by words, it embeds the subset of DejaVu
Sans the document uses, and it writes the PDF/A metadata itself.
"""

from __future__ import annotations

from fpdf import FPDF
from fpdf.enums import Align

from bot.document import (
    AnswerBlock,
    Block,
    Document,
    Facts,
    Figure,
    Heading,
    Items,
    PageBreak,
    Paragraph,
    QuestionBlock,
)
from documents.flow import PT, Flow
from documents.fonts import dejavu
from documents.map_png import render_map

FAMILY = "DejaVu"
COMPLIANCE = "PDF/A-2U"
BODY = 10.5  # points
QUIET = 8.5
FOOT = 7.0
HEADING_SIZES = {1: 17.0, 2: 13.5, 3: 11.5}
GREY = (90, 90, 90)
INK = (20, 20, 20)
LINE = 5.0  # mm, one line of body text
INDENT = 6.0  # mm, an answer under its question
MAP_WIDTH = 120.0  # mm


class _RecordPDF(FPDF):
    """fpdf2's page, with our footer: the credit to MUCF and "page n of m"."""

    def __init__(self, document: Document) -> None:
        super().__init__(format="A4", enforce_compliance=COMPLIANCE)
        self.document = document
        fonts = dejavu()
        self.add_font(FAMILY, "", fonts.regular)
        self.add_font(FAMILY, "B", fonts.bold)
        self.set_margins(20, 18, 20)
        self.set_auto_page_break(True, margin=22)
        self.set_title(document.title)
        self.set_subject(document.subject)
        self.set_author(document.author)
        self.set_creator(document.author)
        self.set_lang(document.language)

    def footer(self) -> None:
        """The credit and "page n of m" (a cell: fpdf2 fills in the page count there)."""
        self.set_font(FAMILY, "", FOOT)
        self.set_text_color(*GREY)
        self.text(self.l_margin, self.h - 14, self.document.credit)
        self.set_xy(self.l_margin, self.h - 13)
        label = self.document.page_label.format(page=self.page_no(), pages="{nb}")
        self.cell(0, 4, label, align=Align.R)


def render_pdf(document: Document) -> bytes:
    """The document as PDF/A bytes."""
    pdf = _RecordPDF(document)
    pdf.add_page()
    flow = Flow(pdf, FAMILY)
    for block in document.blocks:
        _block(pdf, flow, block)
    return bytes(pdf.output())


def _room_for(pdf: FPDF, height: float) -> None:
    """A new page unless ``height`` mm still fit on this one (a heading keeps its text)."""
    if pdf.get_y() + height > pdf.page_break_trigger:
        pdf.add_page()


def _block(pdf: FPDF, flow: Flow, block: Block) -> None:
    match block:
        case Heading(text=text, level=level):
            _room_for(pdf, 30)
            pdf.ln(4 if level > 1 else 1)
            flow.paragraph(text, HEADING_SIZES.get(level, BODY), "B", INK, leading=1.25)
            pdf.ln(1.5)
        case Paragraph(text=text, quiet=quiet):
            flow.paragraph(text, QUIET if quiet else BODY, "", GREY if quiet else INK)
            pdf.ln(1.5)
        case Facts():
            _facts(pdf, block)
        case Items(items=items):
            for item in items:
                flow.paragraph("•", BODY, "", INK)
                pdf.set_y(pdf.y - BODY * PT * 1.35)  # the item's first line beside its bullet
                flow.paragraph(item, BODY, "", INK, indent=5)
            pdf.ln(2)
        case QuestionBlock(text=text):
            _room_for(pdf, 15)
            pdf.ln(1.5)
            flow.paragraph(text, BODY, "B", INK)
            pdf.ln(0.5)
        case AnswerBlock():
            _answer(pdf, flow, block)
        case Figure():
            _figure(pdf, block)
        case PageBreak():
            pdf.add_page()


def _facts(pdf: FPDF, facts: Facts) -> None:
    pdf.set_font(FAMILY, "", BODY)
    pdf.set_text_color(*INK)
    pdf.ln(2)
    with pdf.table(
        col_widths=(45, 125),
        first_row_as_headings=False,
        borders_layout="NONE",
        text_align="LEFT",
        line_height=LINE,
    ) as table:
        for fact in facts.rows:
            row = table.row()
            pdf.set_font(FAMILY, "B", BODY)
            row.cell(fact.label)
            pdf.set_font(FAMILY, "", BODY)
            row.cell(fact.value)
    pdf.ln(3)


def _answer(pdf: FPDF, flow: Flow, answer: AnswerBlock) -> None:
    _room_for(pdf, 12)
    flow.paragraph(answer.byline, QUIET, "", GREY, indent=INDENT)
    flow.paragraph(answer.text, BODY, "", INK, indent=INDENT)
    if answer.earlier:
        flow.paragraph(answer.earlier_label + ":", QUIET, "", GREY, indent=INDENT * 2)
        for version in answer.earlier:
            flow.paragraph(f"{version.byline}: {version.text}", QUIET, "", GREY, indent=INDENT * 2)
    pdf.ln(2)


def _figure(pdf: FPDF, figure: Figure) -> None:
    png = render_map(figure.picture)
    height = MAP_WIDTH * png.height / png.width
    _room_for(pdf, height + 4)
    x = (pdf.w - MAP_WIDTH) / 2
    pdf.image(png.stream(), x=x, y=pdf.y, w=MAP_WIDTH, h=height, alt_text=figure.picture.alt_text)
    pdf.set_y(pdf.y + height + 4)
