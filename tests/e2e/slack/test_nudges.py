"""Nudges from the outbox reach a Slack channel, through 429s and 5xx, escaped."""

from __future__ import annotations

from dataclasses import replace

import pytest

from adapters.slack.nudges import slack_nudge_sender
from bot.domain import ChannelRef
from runtime.server import nudge_sender
from runtime.settings import Settings
from storage.outbox import OutboxItem
from tests.e2e.slack.fake_slack import FakeSlack


def test_a_nudge_is_posted_once_through_a_rate_limit(slack_server: tuple[FakeSlack, str]) -> None:
    fake, api_url = slack_server
    fake.fail_next("chat.postMessage", 429)
    fake.fail_next("chat.postMessage", 500)
    send = slack_nudge_sender("xoxb-test", api_url)
    send("C111", "Dags för avstämning <!channel> & kaffe")
    calls = fake.calls_to("chat.postMessage")
    assert len(calls) == 3  # refused, failed, posted
    assert calls[-1].body["channel"] == "C111"
    assert calls[-1].body["text"] == "Dags för avstämning &lt;!channel&gt; &amp; kaffe"


def test_the_server_routes_a_nudge_to_the_platform_of_its_channel(
    slack_server: tuple[FakeSlack, str],
) -> None:
    fake, api_url = slack_server
    send = nudge_sender(Settings(slack_bot_token="xoxb-test", slack_api_url=api_url))
    item = OutboxItem(
        "1", "c1", "checkin", "2026-11-24T08:00", ChannelRef("slack", "T1", "C9"), {}, 0
    )
    send(item, "Avstämning")
    assert fake.calls_to("chat.postMessage")[-1].body["channel"] == "C9"
    elsewhere = replace(item, channel=ChannelRef("telegram", "telegram", "-1"))
    with pytest.raises(LookupError):
        send(elsewhere, "Avstämning")


def test_a_nudge_shows_a_names_marks_as_written(slack_server: tuple[FakeSlack, str]) -> None:
    fake, api_url = slack_server
    send = slack_nudge_sender("xoxb-test", api_url)
    send("C111", "Avstämning för *Läxhjälp* _nu_ <!here>\n\n– Vad har ni gjort?")
    [call] = fake.calls_to("chat.postMessage")
    [block] = call.body["blocks"]
    texts = [e["text"] for s in block["elements"] for e in s["elements"] if not e.get("style")]
    assert "Avstämning för *Läxhjälp* _nu_ <!here>" in texts  # literal: no bold, no ping
    assert "– Vad har ni gjort?" in texts
    assert "<!here>" not in call.body["text"]


def test_the_note_to_the_coordinators_is_shown_to_them_alone(
    slack_server: tuple[FakeSlack, str],
) -> None:
    fake, api_url = slack_server
    send = nudge_sender(Settings(slack_bot_token="xoxb-test", slack_api_url=api_url))
    params = {"organisations": "Föreningen X", "coordinators": "U-anna U-gone"}
    channel = ChannelRef("slack", "T1", "C9")
    note = OutboxItem("1", "c1", "coordinator_note", "2026-12-01#card", channel, params, 0)
    send(note, "Till samordnarna: Föreningen X har ännu inte svarat.")
    notes = fake.calls_to("chat.postEphemeral")
    assert [(c.body["channel"], c.body["user"]) for c in notes] == [
        ("C9", "U-anna"),
        ("C9", "U-gone"),
    ]
    assert fake.calls_to("chat.postMessage") == []  # nothing for the whole channel
    checkin = replace(note, kind="checkin", params={"coordinators": "U-anna"})
    send(checkin, "Avstämning")
    assert len(fake.calls_to("chat.postMessage")) == 1  # any other nudge is for everyone
