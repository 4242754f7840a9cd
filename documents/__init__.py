"""The rendering ring: the core's documents and pictures turned into file bytes.

The core builds what a file says (:mod:`bot.document`); this ring decides how it looks — a
PDF/A with fpdf2, CommonMark, a PNG drawn with matplotlib — and the platforms send the bytes.
It imports the core's content types and nothing of the platforms or the database.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.document import BalanceChart, ModelPicture
from bot.replies import DocumentReply, FileReply, PictureReply


@dataclass(frozen=True)
class Attachment:
    """A file ready to send: its bytes, name and type; ``image`` asks to show it as a picture
    (Slack shows any image inline; Telegram's sendPhoto), with ``alt_text`` for screen readers."""

    filename: str
    data: bytes
    mime_type: str
    caption: str
    image: bool = False
    alt_text: str = ""


def attachment(reply: FileReply) -> Attachment:
    """``reply`` rendered. CPU work: call it in a worker thread from an event loop.

    The renderers are imported on the first file: fpdf2 and its imports weigh some 60 MB and
    a second or more to load, which a process that never sends a file (the web server, the
    clock) should not carry."""
    from documents.chart_png import render_chart
    from documents.map_png import render_map
    from documents.markdown import render_markdown
    from documents.pdf import render_pdf

    match reply:
        case DocumentReply(format="pdf"):
            data = render_pdf(reply.document)
            return Attachment(reply.filename, data, "application/pdf", reply.caption)
        case DocumentReply():
            text = render_markdown(reply.document)
            return Attachment(reply.filename, text.encode(), "text/markdown", reply.caption)
        case PictureReply(picture=ModelPicture() as picture):
            data = render_map(picture).data
            return Attachment(
                reply.filename, data, "image/png", reply.caption, True, picture.alt_text
            )
        case PictureReply(picture=BalanceChart() as chart):
            data = render_chart(chart)
            return Attachment(
                reply.filename, data, "image/png", reply.caption, True, chart.alt_text
            )
    raise TypeError(f"not a file: {reply!r}")
