"""Files in Slack: the record and the map go up with Slack's external upload flow
(files.getUploadURLExternal → the upload URL → files.completeUploadExternal) to the stand-in
Web API, which checks the announced length, the alt text and the workspace's limits."""

from __future__ import annotations

import io
import json

from PIL import Image
from pypdf import PdfReader

from standins.slack_api import Call
from tests.e2e.slack.conftest import SlackClient


def _start(slack: SlackClient, name: str = "Läxhjälp & co") -> None:
    slack.command(f"starta {name}")
    slack.slack.wait_for("chat.postMessage")


def _uploaded(slack: SlackClient, count: int) -> list[tuple[Call, bytes]]:
    """The first ``count`` files shared, each as its announcement and its bytes."""
    completes = slack.slack.wait_for("files.completeUploadExternal", count)
    asked = slack.slack.calls_to("files.getUploadURLExternal")
    files = []
    for announced, complete in zip(asked, completes, strict=False):
        [shared] = json.loads(complete.body["files"])
        files.append((announced, slack.slack.uploads[shared["id"]]))
    return files


def test_the_export_uploads_the_pdf_and_its_markdown_twin(slack: SlackClient) -> None:
    _start(slack)
    before = len(slack.slack.calls_to("chat.postMessage"))
    slack.command("exportera")

    (pdf_call, pdf), (md_call, md) = _uploaded(slack, 2)
    assert pdf_call.body["filename"].startswith("läxhjälp-co-dokumentation-")
    assert pdf_call.body["filename"].endswith("-sv.pdf")
    assert md_call.body["filename"] == pdf_call.body["filename"].removesuffix(".pdf") + ".md"
    assert int(pdf_call.body["length"]) == len(pdf) and pdf.startswith(b"%PDF-")
    first_page = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Läxhjälp & co" in first_page and "MUCF" in first_page
    text = md.decode()
    assert text.startswith("# Läxhjälp & co") and "MUCF" in text
    for complete in slack.slack.calls_to("files.completeUploadExternal"):
        assert complete.body["channel_id"] == "C111"
    # One caption for the two files.
    captions = slack.slack.calls_to("chat.postMessage")[before:]
    assert len(captions) == 1 and "Läxhjälp &amp; co" in captions[0].body["text"]


def test_the_map_is_uploaded_as_an_image_with_its_text_alternative(slack: SlackClient) -> None:
    _start(slack)
    slack.command("karta")
    [(announced, png)] = _uploaded(slack, 1)
    assert announced.body["filename"].endswith(".png")
    assert Image.open(io.BytesIO(png)).format == "PNG"
    alt = announced.body["alt_txt"]
    assert alt.startswith("Karta över ”Läxhjälp & co”") and len(alt) <= 1000
    assert "Status: i fokus, 0 av 14 frågor besvarade" in alt


def test_a_file_the_workspace_does_not_take_becomes_a_note(slack: SlackClient) -> None:
    slack.slack.upload_limit = 10_000  # an admin restricted uploads to 10 kB
    _start(slack)
    before = len(slack.slack.calls_to("chat.postMessage"))
    slack.command("exportera pdf")
    posted = slack.slack.wait_for("chat.postMessage", before + 2)[before:]
    [asked] = slack.slack.calls_to("files.getUploadURLExternal")
    assert int(asked.body["length"]) > 10_000
    assert slack.slack.calls_to("files.completeUploadExternal") == []
    note = posted[-1].body["text"]
    assert "är större än vad plattformen tar emot" in note and "exportera md" in note
