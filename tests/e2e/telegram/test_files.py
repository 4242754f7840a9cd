"""Files in Telegram: the record as documents and the map as a photo, sent multipart to the
stand-in Bot API, which keeps the bytes and refuses what Telegram refuses (a document over
50 MB with HTTP 413, a photo over 10 MB or of impossible dimensions, a caption over 1024)."""

from __future__ import annotations

import io

from PIL import Image
from pypdf import PdfReader

from standins.telegram_api import BotApiStandIn
from tests.e2e.telegram.conftest import ANN, CHAT_ID, Telegram


def test_export_sends_the_pdf_and_the_markdown_as_documents(
    telegram: Telegram, standin: BotApiStandIn
) -> None:
    telegram.say("/start Fritid för alla")
    telegram.say("/export")
    pdf, markdown = standin.wait_for(
        lambda: len(standin.called("sendDocument")) == 2 and standin.called("sendDocument")
    )
    assert pdf.params["chat_id"] == str(CHAT_ID)
    pdf_file, md_file = pdf.files["document"], markdown.files["document"]
    assert pdf_file.filename.startswith("fritid-för-alla-dokumentation-")
    assert pdf_file.filename.endswith("-sv.pdf") and md_file.filename.endswith("-sv.md")
    first_page = PdfReader(io.BytesIO(pdf_file.data)).pages[0].extract_text()
    assert "Fritid för alla" in first_page
    assert md_file.data.decode().startswith("# Fritid för alla")
    assert "Fritid för alla" in pdf.params["caption"]
    assert "caption" not in markdown.params  # one caption for the two files


def test_the_map_is_a_photo_with_its_text_alternative_as_caption(
    telegram: Telegram, standin: BotApiStandIn
) -> None:
    telegram.say("/start Fritid för alla")
    telegram.say("/map")
    [photo] = standin.wait_for(lambda: standin.called("sendPhoto"))
    image = Image.open(io.BytesIO(photo.files["photo"].data))
    assert image.format == "PNG" and image.width + image.height <= 10_000
    caption = photo.params["caption"]
    assert caption.startswith("Kartan över ”Fritid för alla”.")
    assert "Status: i fokus, 0 av 14 frågor besvarade" in caption
    assert len(caption) <= 1024


def test_a_photo_telegram_will_not_take_goes_as_a_document(
    telegram: Telegram, standin: BotApiStandIn
) -> None:
    standin.photo_limit = 1_000  # refused as PHOTO_SAVE_FILE_INVALID
    telegram.say("/start Fritid för alla")
    telegram.say("/map")
    [document] = standin.wait_for(lambda: standin.called("sendDocument"))
    assert document.files["document"].filename.endswith(".png")
    [refused] = standin.called("sendPhoto")
    assert len(refused.files["photo"].data) > 1_000


def test_a_document_over_telegrams_limit_becomes_a_note(
    telegram: Telegram, standin: BotApiStandIn
) -> None:
    standin.document_limit = 5_000  # refused with HTTP 413
    telegram.say("/start Fritid för alla")
    before = len(standin.called("sendMessage"))
    telegram.say("/export pdf")
    notes = standin.wait_for(lambda: standin.called("sendMessage")[before:])
    assert "är större än vad plattformen tar emot" in notes[-1].params["text"]
    assert len(standin.called("sendDocument")) == 1  # a 413 is not tried again


def test_my_data_goes_to_the_persons_private_chat_with_the_bot(
    telegram: Telegram, standin: BotApiStandIn
) -> None:
    telegram.say("/start Fritid för alla")
    telegram.say("/join Fritidsbanken civilsamhälle")
    telegram.say("/my_data")
    [document] = standin.wait_for(lambda: standin.called("sendDocument"))
    assert document.params["chat_id"] == str(ANN["id"])  # her private chat, not the group
    file = document.files["document"]
    assert file.filename.startswith("mina-uppgifter-") and file.filename.endswith(".md")
    text = file.data.decode()
    assert "- **user_id:** 111" in text and "- **display_name:** Ann Berg" in text
    group = [c.params["text"] for c in standin.called("sendMessage")]
    assert any("bara till dig" in t for t in group)


def test_my_data_for_someone_who_never_wrote_to_the_bot_says_how(
    telegram: Telegram, standin: BotApiStandIn
) -> None:
    standin.strangers.add(str(ANN["id"]))
    telegram.say("/start Fritid för alla")
    telegram.say("/my_data")
    notes = standin.wait_for(
        lambda: [c for c in standin.called("sendMessage") if "skriv /start" in c.params["text"]]
    )
    assert notes[0].params["chat_id"] == str(CHAT_ID)
    [refused] = standin.called("sendDocument")
    assert refused.params["chat_id"] == str(ANN["id"])
