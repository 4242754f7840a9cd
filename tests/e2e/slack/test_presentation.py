"""How the bot presents itself in Slack: App Home, literal user text, files, channels it is
not in, modals in the collaboration's language. Real app over HTTP, stand-in Web API."""

from __future__ import annotations

import json
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
