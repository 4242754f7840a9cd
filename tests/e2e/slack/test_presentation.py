"""How the bot presents itself in Slack: App Home, literal user text, files, channels it is
not in, modals in the collaboration's language. Real app over HTTP, stand-in Web API."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

from bot.domain import ChannelRef
from standins.slack_api import Call
from tests.e2e.slack.conftest import SlackClient, block_actions, trigger_id

TRICKY = "*Viktigt* _nu_ ~inte~ `kod` <!channel> & <@U123>"


def _elements(blocks: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Every element under ``blocks``, however deeply nested."""
    for block in blocks:
        yield block
        yield from _elements(block.get("elements") or [])


def _literal_texts(blocks: list[dict[str, Any]]) -> list[str]:
    """The texts of rich text elements that Slack shows exactly as given (no style)."""
    return [e["text"] for e in _elements(blocks) if e.get("type") == "text" and not e.get("style")]


def _posted_after(slack: SlackClient, command: str, **form: str) -> Call:
    before = len(slack.slack.calls_to("chat.postMessage"))
    slack.command(command, **form)
    return slack.slack.wait_for("chat.postMessage", before + 1)[-1]


def _card_known(slack: SlackClient) -> bool:
    """Whether the core has stored the ts of the card it posted (it does so after posting)."""
    with slack.app.bot.uow_factory() as uow:
        collab = uow.collaborations.get_by_channel(ChannelRef("slack", "T111", "C111"))
        return collab is not None and bool(collab.cards)


def _command_with_response_url(slack: SlackClient, text: str, channel: str, n: int) -> None:
    form = {
        "token": "verification_token",
        "team_id": "T111",
        "team_domain": "test-domain",
        "channel_id": channel,
        "channel_name": "ej-inbjuden",
        "user_id": "W111",
        "user_name": "anna",
        "command": "/samverkan",
        "text": text,
        "response_url": f"{slack.slack.base_url}response/T111/{n}/hook",
        "trigger_id": trigger_id(),
    }
    response = slack.post(urlencode(form), "application/x-www-form-urlencoded")
    assert response.status_code == 200


def test_app_home_lists_the_persons_collaborations_and_not_another_channels(
    slack: SlackClient,
) -> None:
    _posted_after(slack, "starta Läxhjälp *fet*")  # W111 in C111
    _posted_after(slack, "starta Hemlig kör", user="W999", channel="C222")

    opened = {"type": "app_home_opened", "user": "W111", "channel": "D111", "tab": "home"}
    assert slack.event(opened).status_code == 200
    [published] = slack.slack.wait_for("views.publish")

    assert published.body["user_id"] == "W111"
    view = published.body["view"]
    assert view["type"] == "home"
    assert len(view["blocks"]) <= 100
    assert view["blocks"][0]["type"] == "header"
    assert len(view["blocks"][0]["text"]["text"]) <= 150
    shown = json.dumps(view, ensure_ascii=False)
    assert "Läxhjälp *fet*" in [e.get("text") for e in _elements(view["blocks"])]
    assert {"type": "channel", "channel_id": "C111"} in list(_elements(view["blocks"]))
    assert "samordnare" in shown
    assert "Hemlig kör" not in shown
    assert "C222" not in shown


def _open_home(slack: SlackClient, user: str = "W111", tries: int = 1) -> dict[str, Any]:
    """The view published when ``user`` opens the Home tab, at the last of ``tries`` (a try
    Slack refuses is followed by another)."""
    before = len(slack.slack.calls_to("views.publish"))
    opened = {"type": "app_home_opened", "user": user, "channel": "D111", "tab": "home"}
    assert slack.event(opened).status_code == 200
    slack.slack.wait_for("views.publish", before + tries)
    view: dict[str, Any] = slack.slack.calls_to("views.publish")[-1].body["view"]
    return view


def _images(view: dict[str, Any]) -> list[dict[str, Any]]:
    return [block for block in view["blocks"] if block["type"] == "image"]


def test_app_home_shows_each_map_as_an_image_uploaded_once_per_state(slack: SlackClient) -> None:
    _posted_after(slack, "starta Läxhjälp")
    first = _open_home(slack)
    [image] = _images(first)
    [upload] = slack.slack.calls_to("files.completeUploadExternal")
    assert "channel_id" not in upload.body and "channels" not in upload.body  # shared nowhere
    file_id = image["slack_file"]["id"]
    assert file_id in slack.slack.completed
    assert slack.slack.uploads[file_id].startswith(b"\x89PNG")
    assert image["alt_text"].startswith("Karta över ”Läxhjälp”")
    assert image["title"]["text"] == "Kartan, omgång 1"
    assert "○ " not in json.dumps(first, ensure_ascii=False)  # not in text as well

    again = _open_home(slack)  # nothing moved: the same file, no upload
    assert _images(again) == [image]
    assert len(slack.slack.calls_to("files.getUploadURLExternal")) == 1

    _posted_after(slack, "gå till målgrupp")
    moved = _open_home(slack)
    [new] = _images(moved)
    assert new["slack_file"]["id"] != file_id
    assert len(slack.slack.calls_to("files.completeUploadExternal")) == 2


def test_a_map_file_slack_no_longer_has_is_shown_in_text_then_uploaded_again(
    slack: SlackClient,
) -> None:
    _posted_after(slack, "starta Läxhjälp")
    [image] = _images(_open_home(slack))
    slack.slack.completed.clear()  # Slack no longer knows the file
    fallback = _open_home(slack, tries=2)
    refused = slack.slack.calls_to("views.publish")[-2]
    assert _images(refused.body["view"]) == [image]  # tried, and Slack said invalid_blocks
    assert _images(fallback) == []
    assert "○ " in json.dumps(fallback, ensure_ascii=False)  # the map in text
    [fresh] = _images(_open_home(slack))
    assert fresh["slack_file"]["id"] != image["slack_file"]["id"]


def test_a_workspace_that_takes_no_files_gets_the_map_in_text(slack: SlackClient) -> None:
    _posted_after(slack, "starta Läxhjälp")
    slack.slack.uploads_disabled = True
    view = _open_home(slack)
    assert _images(view) == []
    assert "○ " in json.dumps(view, ensure_ascii=False)


def test_app_home_of_someone_without_collaborations_says_how_to_begin(slack: SlackClient) -> None:
    opened = {"type": "app_home_opened", "user": "W444", "channel": "D444", "tab": "home"}
    slack.event(opened)
    [published] = slack.slack.wait_for("views.publish")
    assert "/samverkan starta <namn>" in json.dumps(published.body["view"], ensure_ascii=False)


def test_an_answer_with_markup_is_shown_literally_and_pings_nobody(slack: SlackClient) -> None:
    _posted_after(slack, "starta Läxhjälp")
    card = _posted_after(slack, "fråga")
    thread = f"1700000000.{slack.slack.calls_to('chat.postMessage').index(card) + 1:06d}"
    slack.slack.wait_until(lambda: _card_known(slack), "chat.postMessage")
    # Slack escapes &, < and > in the text of a message a person typed.
    typed = TRICKY.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    reply = {"type": "message", "user": "W222", "text": typed, "ts": "1700000100.5"}
    slack.event({**reply, "thread_ts": thread})
    slack.slack.wait_for("reactions.add")

    summary = _posted_after(slack, "sammanfatta")

    assert any(TRICKY in text for text in _literal_texts(summary.body["blocks"]))
    assert "<!channel>" not in summary.body["text"]
    assert "<@U123>" not in summary.body["text"]
    assert all(b["type"] != "section" for b in summary.body["blocks"])  # no mrkdwn anywhere


def test_a_command_in_a_channel_the_bot_is_not_in_is_answered_through_the_response_url(
    slack: SlackClient,
) -> None:
    slack.slack.not_joined.add("C333")

    _command_with_response_url(slack, "starta Kör i parken", "C333", 1)
    slack.slack.wait_until(lambda: len(slack.slack.responses) >= 2, "response_url")

    reply, hint = slack.slack.responses
    assert reply["response_type"] == "in_channel"
    assert any("Kör i parken" in t for t in _literal_texts(reply["blocks"]))
    assert hint["response_type"] == "ephemeral"
    hint_texts = [e.get("text", "") for e in _elements(hint["blocks"])]
    assert "/invite @Samverkansboten" in hint_texts
    assert "Bjud in mig" in " ".join(hint_texts)
    refused = slack.slack.calls_to("chat.postMessage")
    assert refused and all(c.body["channel"] == "C333" for c in refused)

    _command_with_response_url(slack, "språk en", "C333", 2)
    slack.slack.wait_until(lambda: len(slack.slack.responses) >= 4, "response_url")
    english_hint = " ".join(
        e.get("text", "") for e in _elements(slack.slack.responses[-1]["blocks"])
    )
    assert "Invite me with" in english_hint


def test_the_answer_modal_speaks_the_collaborations_language(slack: SlackClient) -> None:
    _posted_after(slack, "starta Homework club")
    _posted_after(slack, "språk en")
    card = _posted_after(slack, "ask")
    button = card.body["blocks"][-1]["elements"][0]
    pressed = block_actions(button, "1700000000.000003")
    slack.interaction(pressed)

    view = slack.slack.wait_for("views.open")[0].body["view"]
    assert view["title"]["text"] == "Answer"
    assert view["submit"]["text"] == "Send"
    assert view["close"]["text"] == "Cancel"
    assert view["blocks"][0]["label"]["text"] == "Your answer"


def test_a_newcomer_who_joins_by_an_invitation_gets_the_digest_and_the_map(
    slack: SlackClient,
) -> None:
    _posted_after(slack, "starta Läxhjälp")
    slack.command("bjud in Föreningen X")
    [invite] = slack.slack.wait_for("chat.postEphemeral")
    code = re.search(r"gå med ([A-Za-z0-9_-]+)", invite.body["text"])
    assert code is not None
    slack.command(f"gå med {code.group(1)}", user="W222")
    [upload] = slack.slack.wait_for("files.completeUploadExternal")
    assert upload.body["channel_id"] == "C111"
    [file] = json.loads(upload.body["files"])
    assert slack.slack.uploads[file["id"]].startswith(b"\x89PNG")
    [wanted] = slack.slack.calls_to("files.getUploadURLExternal")
    assert str(wanted.body["alt_txt"]).startswith("Karta över ”Läxhjälp”")
    texts = json.dumps(
        [c.body for c in slack.slack.calls_to("chat.postMessage")], ensure_ascii=False
    )
    assert "Välkommen till ”Läxhjälp”" in texts
