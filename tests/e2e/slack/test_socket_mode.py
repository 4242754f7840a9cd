"""Socket Mode: the same listeners, fed through a stand-in WebSocket server."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from aiohttp import WSMsgType, web

from runtime.bootstrap import build
from runtime.settings import Settings
from standins.slack_api import FakeSlack

COMMAND = {
    "team_id": "T111",
    "channel_id": "C111",
    "user_id": "W111",
    "user_name": "anna",
    "command": "/samverkan",
    "text": "starta Körsång",
    "trigger_id": "111.111.xxx",
}


async def _socket_server(acks: list[str]) -> tuple[web.AppRunner, str]:
    async def link(request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        await ws.send_str(json.dumps({"type": "hello", "num_connections": 1}))
        envelope = {"envelope_id": "env-1", "type": "slash_commands", "payload": COMMAND}
        await ws.send_str(json.dumps({**envelope, "accepts_response_payload": True}))
        async for message in ws:
            if message.type == WSMsgType.TEXT:
                acks.append(json.loads(message.data).get("envelope_id", ""))
        return ws

    application = web.Application()
    application.router.add_get("/link", link)
    runner = web.AppRunner(application)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    return runner, f"ws://127.0.0.1:{port}/link"


async def _until(ready: object, timeout: float = 10.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not ready():  # type: ignore[operator]
        assert loop.time() < deadline, "timed out"
        await asyncio.sleep(0.02)


def test_a_slash_command_over_socket_mode_is_acked_and_answered(
    tmp_path: Path, slack_server: tuple[FakeSlack, str]
) -> None:
    fake, api_url = slack_server
    settings = Settings(
        database_url=f"sqlite:///{tmp_path}/t.db",
        slack_bot_token="xoxb-test",
        slack_app_token="xapp-test",
        slack_api_url=api_url,
    )
    app = build(settings)
    [slack] = app.platforms
    assert slack.routes() == []  # no signing secret: nothing is served over HTTP

    async def scenario() -> None:
        acks: list[str] = []
        runner, url = await _socket_server(acks)
        fake.socket_url = url
        try:
            async with slack.handling(), slack.receiving():
                await _until(lambda: acks and fake.calls_to("chat.postMessage"))
        finally:
            await runner.cleanup()
        assert acks[0] == "env-1"
        assert "Körsång" in fake.calls_to("chat.postMessage")[0].body["text"]

    try:
        asyncio.run(scenario())
    finally:
        app.close()
