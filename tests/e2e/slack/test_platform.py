"""The Slack platform as the house sees it: signed requests kept and acknowledged, then
handled from what was kept, with the delivery's id reaching the core."""

from __future__ import annotations

import asyncio
import json
from urllib.parse import urlencode

import httpx
from starlette.applications import Starlette

from engine.ports import KeptEvent
from standins.serving import serving
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
    """The kept event's id reaches the core, which records it: the second time it sends what
    it answered the first time (no "already started"), and changes nothing."""
    trigger = trigger_id()
    _post(alone, _command("starta Läxhjälp", trigger), "application/x-www-form-urlencoded")
    asyncio.run(alone.platform.handle(alone.kept[0]))
    asyncio.run(alone.platform.handle(alone.kept[0]))

    assert ("slack", f"trigger:{trigger}") in alone.uow.claimed
    first, again = alone.slack.calls_to("chat.postMessage")
    assert first.body["text"] == again.body["text"]
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
