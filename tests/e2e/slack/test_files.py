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


def test_my_data_goes_to_the_persons_direct_message_never_the_channel(
    slack: SlackClient,
) -> None:
    _start(slack)
    slack.command("gå med Fritidsbanken civilsamhälle", user="W222")
    slack.slack.wait_for("chat.postMessage", 2)
    before = len(slack.slack.calls_to("chat.postMessage"))
    slack.command("mina uppgifter", user="W222")

    [(announced, data)] = _uploaded(slack, 1)
    [opened] = slack.slack.calls_to("conversations.open")
    assert opened.body["users"] == "W222"
    [complete] = slack.slack.calls_to("files.completeUploadExternal")
    assert complete.body["channel_id"] == "DW222"  # the direct message Slack opened
    assert announced.body["filename"].startswith("mina-uppgifter-")
    assert announced.body["filename"].endswith("-sv.md")
    text = data.decode()
    assert text.startswith("# Mina uppgifter hos Samverkansboten")
    assert "- **user_id:** W222" in text and "- **organisation:** Fritidsbanken" in text
    # In the channel, only a note for W222 alone that the file is on its way.
    [note] = [
        c for c in slack.slack.calls_to("chat.postEphemeral") if "bara till dig" in c.body["text"]
    ]
    assert note.body["user"] == "W222" and note.body["channel"] == "C111"
    # Whatever else went out with it (the file's caption) went to the direct message too.
    since = slack.slack.calls_to("chat.postMessage")[before:]
    assert since and all(c.body["channel"] == "DW222" for c in since)


def test_forget_me_in_english_is_asked_first_and_then_done(slack: SlackClient) -> None:
    slack.slack.locales["W222"] = "en-GB"  # her Slack speaks English; the channel Swedish
    _start(slack)
    slack.command("join Fritidsbanken civil society", user="W222")
    slack.command("forget me", user="W222")
    asked = slack.slack.wait_for("chat.postEphemeral", 1)[-1]
    assert asked.body["user"] == "W222" and "Shall I forget you" in asked.body["text"]
    assert "forget me yes" in asked.body["text"]

    slack.command("forget me yes", user="W222")

    def said(words: str) -> list[Call]:
        ephemeral = slack.slack.calls_to("chat.postEphemeral")
        return [c for c in ephemeral if words in c.body["text"]]

    slack.slack.wait_until(lambda: bool(said("you are forgotten")), "chat.postEphemeral")
    before = len(slack.slack.calls_to("chat.postMessage"))
    slack.command("parter")
    [members] = slack.slack.wait_for("chat.postMessage", before + 1)[before:]
    assert "Fritidsbanken" not in members.body["text"]


def test_my_data_where_slack_will_not_open_a_direct_message_says_so(
    slack: SlackClient,
) -> None:
    slack.slack.fail_next("conversations.open", 200, error="missing_scope")
    _start(slack)
    slack.command("mina uppgifter", user="W222")
    slack.slack.wait_until(
        lambda: any(
            "installera om" in c.body["text"] for c in slack.slack.calls_to("chat.postEphemeral")
        ),
        "chat.postEphemeral",
    )
    [told] = [
        c for c in slack.slack.calls_to("chat.postEphemeral") if "installera om" in c.body["text"]
    ]
    assert told.body["user"] == "W222" and told.body["channel"] == "C111"
    assert slack.slack.calls_to("files.completeUploadExternal") == []
