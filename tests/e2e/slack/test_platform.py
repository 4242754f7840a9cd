"""The Slack platform as the house sees it: signed requests kept and acknowledged, then
handled from what was kept, with the delivery's id reaching the core and what fails meanwhile
reaching the inbox worker as the platform port's errors."""

from __future__ import annotations

import asyncio
import json
from urllib.parse import urlencode

import httpx
import pytest
from starlette.applications import Starlette

from adapters.slack import SlackSettings, slack_platform
from engine.platform import RetryLaterError, SendError
from engine.ports import KeptEvent
from standins.serving import free_port, serving
from tests.e2e.slack.conftest import SECRET, Alone, sign, trigger_id


def _command(text: str, trigger: str) -> str:
    form = {
        "team_id": "T111",
        "channel_id": "C111",
        "user_id": "W111",
        "user_name": "anna",
        "command": "/samverkan",
        "text": text,
        "response_url": "https://hooks.slack.com/commands/T111/111/xxxxx",
        "trigger_id": trigger,
    }
    return urlencode(form)


def _post(alone: Alone, body: str, content_type: str, secret: str = SECRET) -> int:
    with serving(Starlette(routes=list(alone.platform.routes()))) as port:
        headers = {"Content-Type": content_type, **sign(body, secret=secret)}
        url = f"http://127.0.0.1:{port}/slack/events"
        return httpx.post(url, content=body, headers=headers, timeout=10).status_code


def test_a_signed_command_is_kept_and_acknowledged_before_it_is_handled(alone: Alone) -> None:
    trigger = trigger_id()
    status = _post(alone, _command("starta Läxhjälp", trigger), "application/x-www-form-urlencoded")

    assert status == 200
    [kept] = alone.kept
    assert (kept.platform, kept.event_id) == ("slack", f"trigger:{trigger}")
    assert alone.platform.chat_of(kept) == "C111"
    assert alone.slack.calls_to("chat.postMessage") == []  # nothing handled yet

    asyncio.run(alone.platform.handle(kept))
    [started] = alone.slack.calls_to("chat.postMessage")
    assert "Läxhjälp" in started.body["text"]


def test_a_bad_signature_keeps_nothing(alone: Alone) -> None:
    body = _command("hjälp", trigger_id())
    assert _post(alone, body, "application/x-www-form-urlencoded", secret="wrong") == 401
    assert alone.kept == []


def test_a_delivery_handled_twice_is_applied_once(alone: Alone) -> None:
    """The kept event's id reaches the core, which records it: the second time it changes
    nothing, and sends nothing again (no "already started"): its replies all went out."""
    trigger = trigger_id()
    _post(alone, _command("starta Läxhjälp", trigger), "application/x-www-form-urlencoded")
    asyncio.run(alone.platform.handle(alone.kept[0]))
    asyncio.run(alone.platform.handle(alone.kept[0]))

    assert ("slack", f"trigger:{trigger}") in alone.uow.claimed
    [started] = alone.slack.calls_to("chat.postMessage")
    assert "Läxhjälp" in started.body["text"]
    assert alone.slack.calls_to("chat.postEphemeral") == []


def test_an_event_is_kept_under_its_event_id_and_its_channel(alone: Alone) -> None:
    envelope = {
        "team_id": "T111",
        "api_app_id": "A111",
        "event": {"type": "app_mention", "user": "W2", "text": "<@UBOT> hjälp", "ts": "1.2"},
        "type": "event_callback",
        "event_id": "Ev42",
    }
    envelope["event"]["channel"] = "C777"  # type: ignore[index]
    assert _post(alone, json.dumps(envelope), "application/json") == 200
    [kept] = alone.kept
    assert kept == KeptEvent("slack", "Ev42", kept.payload)
    assert alone.platform.chat_of(kept) == "C777"


def test_a_reply_that_cannot_reach_slack_fails_handling_with_the_ports_error(
    alone: Alone,
) -> None:
    """What a listener raises comes out of ``handle`` as it is, not as bolt's 500 answer: the
    inbox worker tells a wait Slack asked for (RetryLaterError) from a failure to back off
    from."""
    _post(alone, _command("starta Läxhjälp", trigger_id()), "application/x-www-form-urlencoded")
    alone.slack.cut_next("chat.postMessage", times=4)  # the first try and the client's three

    with pytest.raises(SendError, match="could not be reached") as raised:
        asyncio.run(alone.platform.handle(alone.kept[0]))
    assert type(raised.value) is SendError
    assert len(alone.slack.calls_to("chat.postMessage")) == 4


def test_a_rate_limit_a_listener_meets_asks_the_inbox_to_wait_as_slack_asked(
    alone: Alone,
) -> None:
    envelope = {
        "team_id": "T111",
        "api_app_id": "A111",
        "event": {"type": "app_home_opened", "user": "W1", "channel": "D1", "tab": "home"},
        "type": "event_callback",
        "event_id": "Ev43",
    }
    assert _post(alone, json.dumps(envelope), "application/json") == 200
    alone.slack.fail_next("views.publish", 429, retry_after=30)

    with pytest.raises(RetryLaterError) as raised:
        asyncio.run(alone.platform.handle(alone.kept[0]))
    assert raised.value.retry_after == 30
    assert len(alone.slack.calls_to("views.publish")) == 1


def test_a_slack_out_of_reach_before_any_listener_fails_handling_with_the_ports_error(
    alone: Alone,
) -> None:
    """Bolt's own first call (``auth.test``) finds no Slack: a SendError as well."""
    _post(alone, _command("starta Läxhjälp", trigger_id()), "application/x-www-form-urlencoded")
    nobody = f"http://127.0.0.1:{free_port()}/"  # a port no one listens on
    settings = SlackSettings(bot_token="xoxb-test", signing_secret=SECRET, api_url=nobody)
    nowhere = slack_platform(settings, alone.surroundings)

    with pytest.raises(SendError, match="could not be reached") as raised:
        asyncio.run(nowhere.handle(alone.kept[0]))
    assert type(raised.value) is SendError
