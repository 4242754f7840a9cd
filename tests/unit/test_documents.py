"""The rendering ring: the record as a PDF/A and as Markdown, the map as a PNG. The files are
read back with libraries of their own (pypdf, Pillow), never by looking at our code."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from PIL import Image
from pypdf import PdfReader

from bot.document import Heading, TileState
from bot.map import ModelMap
from documents import attachment
from documents.map_png import FILLS, layout, render_map
from documents.markdown import literal, render_markdown
from documents.pdf import render_pdf
from model_content.loader import default_model
from tests.chat import ANNA, Chat
from tests.record_scenario import (
    CONFIRMED,
    EDITED,
    FIRST,
    SECOND,
    export_of,
    map_of,
    map_picture,
    record_chat,
)

MODEL = ModelMap(default_model())
CREDIT = "Modellen: Samverkansmodell – för offentliga aktörer och civilsamhället, MUCF"


def flat(text: str) -> str:
    """Text with its line breaks and runs of spaces as single spaces (a PDF wraps lines)."""
    return re.sub(r"\s+", " ", text)


@pytest.fixture(scope="module")
def chat() -> Chat:
    return record_chat()


@pytest.fixture(scope="module")
def pdf(chat: Chat) -> PdfReader:
    return PdfReader(io.BytesIO(render_pdf(export_of(chat).document)))


@pytest.fixture(scope="module")
def pdf_text(pdf: PdfReader) -> str:
    return flat(" ".join(page.extract_text() for page in pdf.pages))


# -- PDF -------------------------------------------------------------------------------------------
def test_every_page_carries_the_credit_and_its_number(pdf: PdfReader) -> None:
    pages = len(pdf.pages)
    assert pages > 3
    for number, page in enumerate(pdf.pages, start=1):
        text = flat(page.extract_text())
        assert CREDIT in text and "https://www.mucf.se/" in text
        assert f"Sida {number} av {pages}" in text


def test_the_first_page_holds_the_facts(pdf: PdfReader) -> None:
    first = flat(pdf.pages[0].extract_text())
    for fact in (
        "Läxhjälp i Rosengård",
        "Diarienummer KS 2026/123",
        "Exporterad 2026-11-24 kl. 10:00 (Europe/Stockholm)",
        "Period 2026-11-23 – 2026-11-24",
        "Samordnare Anna (Malmö stad)",
        "Fritidsbanken (civilsamhälle): Omar",
        "Malmö stad (offentlig): Anna",
    ):
        assert fact in first, fact


def test_every_answered_question_is_there_verbatim_with_its_answers(pdf_text: str) -> None:
    status = MODEL.step("status")
    for question in status.questions[:2]:  # the two the scenario answered
        assert flat(question.text.sv) in pdf_text
    assert flat(EDITED) in pdf_text and flat(SECOND) in pdf_text
    assert "Omar, Fritidsbanken · 2026-11-24" in pdf_text


def test_an_edited_answers_history_is_there(pdf_text: str) -> None:
    assert f"Tidigare versioner: 2026-11-23: {flat(FIRST)}" in pdf_text


def test_a_confirmed_decision_names_its_confirmer(pdf_text: str) -> None:
    assert f"Beslut 1 {CONFIRMED}" in pdf_text
    assert "bekräftat av Anna (Malmö stad) 2026-11-24" in pdf_text


def test_the_fonts_are_embedded_and_the_file_declares_pdf_a(pdf: PdfReader) -> None:
    fonts: dict[str, Any] = {}
    for page in pdf.pages:
        resources: Any = page["/Resources"]
        for ref in resources["/Font"].values():
            font: Any = ref.get_object()
            descendant = font["/DescendantFonts"][0].get_object()
            fonts[str(font["/BaseFont"])] = descendant["/FontDescriptor"].get_object()
    assert fonts and all("DejaVu" in name for name in fonts)
    assert all("/FontFile2" in descriptor for descriptor in fonts.values())
    xmp = pdf.xmp_metadata
    assert xmp is not None
    packet = xmp.stream.get_data().decode()
    assert re.search(r"pdfaid:part[^0-9]*2", packet) and re.search(
        r"pdfaid:conformance[^A-Z]*U", packet
    )


def test_the_pdf_a_requirements_a_pdf_library_can_see(pdf: PdfReader) -> None:
    """What veraPDF would check first, as far as pypdf can see it (veraPDF itself is not
    installable here): an RGB output intent with its ICC profile, no encryption, an XMP
    title (the same as the document information's, if there is any), text mapped to
    Unicode, transparency only as PDF/A-2 allows it, and nothing embedded or scripted that
    PDF/A-2 forbids."""
    assert not pdf.is_encrypted and "/Encrypt" not in pdf.trailer
    root: Any = pdf.trailer["/Root"]
    [intent] = [i.get_object() for i in root["/OutputIntents"]]
    assert intent["/S"] == "/GTS_PDFA1"
    profile = intent["/DestOutputProfile"].get_object()
    assert profile["/N"] == 3 and profile.get_data()[36:40] == b"acsp"  # an ICC profile, RGB
    names: Any = root.get("/Names") or {}
    assert "/JavaScript" not in names and "/EmbeddedFiles" not in names and "/AA" not in root
    opening: Any = root.get("/OpenAction")
    assert opening is None or isinstance(opening, list)  # a place to open at, not an action
    xmp = pdf.xmp_metadata
    assert xmp is not None and xmp.dc_title and all(xmp.dc_title.values())
    if pdf.metadata is not None:  # fpdf2 writes none; one there must say what the XMP says
        assert pdf.metadata.title in xmp.dc_title.values()
    for page in pdf.pages:
        group: Any = page.get("/Group")  # PDF/A-2 allows transparency with a blending space
        assert group is None or group["/CS"] == "/DeviceRGB"  # the RGB of the output intent
        resources: Any = page["/Resources"]
        for ref in resources["/Font"].values():
            assert "/ToUnicode" in ref.get_object()
        for ref in (resources.get("/XObject") or {}).values():
            assert "/SMask" not in ref.get_object()  # the map has no see-through pixels


def test_the_first_page_holds_the_map(chat: Chat, pdf: PdfReader) -> None:
    [image] = pdf.pages[0].images
    drawn = render_map(map_picture(chat))
    assert image.image is not None and image.image.size == (drawn.width, drawn.height)


# -- Markdown --------------------------------------------------------------------------------------
def test_the_markdown_has_no_escapes_in_plain_prose(chat: Chat) -> None:
    text = render_markdown(export_of(chat, "md").document)
    assert "\\" not in text
    assert FIRST in text and EDITED in text and SECOND in text
    assert "(idéburet offentligt partnerskap)" in text


def test_the_markdown_has_the_pdfs_structure(chat: Chat, pdf_text: str) -> None:
    document = export_of(chat, "md").document
    text = render_markdown(document)
    headings = [b for b in document.blocks if isinstance(b, Heading)]
    marked = [line for line in text.splitlines() if line.startswith("#")]
    assert marked == [f"{'#' * h.level} {h.text}" for h in headings]
    # The same headings come in the same order in the PDF.
    at = 0
    for heading in headings:
        at = pdf_text.find(flat(heading.text), at)
        assert at >= 0, heading.text
    assert MODEL.step("status").questions[0].text.sv in text


@pytest.mark.parametrize(
    ("written", "markdown"),
    [
        ("gratis.", "gratis."),
        ("1. Kommunen (idéburet)", "1\\. Kommunen (idéburet)"),
        ("# rubrik", "\\# rubrik"),
        ("*fet* och _kursiv_", "\\*fet\\* och \\_kursiv\\_"),
        ("ett_ord_med_understreck", "ett_ord_med_understreck"),
        ("<b>html</b> & [länk](x)", "\\<b>html\\</b> & \\[länk\\](x)"),
        ("- inte en lista", "\\- inte en lista"),
        ("Vi har 2. våningen!", "Vi har 2. våningen!"),
    ],
)
def test_a_persons_text_is_escaped_only_where_markdown_would_read_it(
    written: str, markdown: str
) -> None:
    assert literal(written) == markdown


# -- the map ---------------------------------------------------------------------------------------
def _pixel_states(chat: Chat) -> tuple[dict[str, TileState], dict[str, tuple[int, int, int]]]:
    picture = map_picture(chat)
    rendered = render_map(picture)
    image = Image.open(io.BytesIO(rendered.data)).convert("RGB")
    assert image.size == (rendered.width, rendered.height)
    states = {t.step_id: t.state for row in picture.rows for t in row.tiles}
    seen = {step: image.getpixel(box.probe()) for step, box in layout(picture).tiles.items()}
    return states, seen  # type: ignore[return-value]


def _rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_map_shows_each_steps_state_by_its_colour(language: str) -> None:
    chat = record_chat(language)
    chat.say(ANNA, "gå till målgrupp" if language == "sv" else "goto target group")
    chat.say(ANNA, "hoppa över" if language == "sv" else "skip")
    states, seen = _pixel_states(chat)
    assert set(states.values()) >= {"done", "skipped", "focus", "untouched"}
    for step, state in states.items():
        assert seen[step] == _rgb(FILLS[state]), (step, state)


ALT_STARTS = {
    "sv": ("Karta över ”Läxhjälp i Rosengård” enligt MUCF:s", "Status: klart, 2 av 14 frågor"),
    "en": ("Map of “Läxhjälp i Rosengård” following MUCF's", "Status: done, 2 of 14 questions"),
}


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_png_is_phone_sized_and_carries_its_text_alternative(language: str) -> None:
    chat = record_chat(language)
    reply = map_of(chat)
    file = attachment(reply)
    image = Image.open(io.BytesIO(file.data))
    assert image.format == "PNG" and image.mode == "RGB"  # no transparency: fine in a PDF/A
    assert image.size[0] == 1080 and 1.2 < image.size[1] / image.size[0] < 1.5
    assert image.text["Description"] == reply.picture.alt_text  # type: ignore[attr-defined]
    heading, status = ALT_STARTS[language]
    assert file.alt_text.startswith(heading) and status in file.alt_text
