"""A process of its own that sends one message with one button to a Telegram chat, then exits.

``python -m tests.e2e.telegram.send_once <chat id> <text> <label> <command>``, configured from
the environment like ``samverkan serve``: the composition root assembles the Telegram platform
(with the button store on the shared database), which renders and sends the message as it
sends a nudge.
"""

from __future__ import annotations

import asyncio
import sys

from bot.domain import ChannelRef
from bot.replies import Action, Message, Section
from engine.platform import Platform, Target
from runtime.bootstrap import build
from runtime.settings import Settings


async def send(platform: Platform, chat_id: str, text: str, label: str, command: str) -> None:
    message = Message((Section(None, (text,)),), (Action(label, command),))
    async with platform.handling():
        await platform.send(Target(ChannelRef("telegram", "telegram", chat_id)), [message])


def main(argv: list[str]) -> int:
    chat_id, text, label, command = argv
    app = build(Settings())
    try:
        [telegram] = [platform for platform in app.platforms if platform.name == "telegram"]
        asyncio.run(send(telegram, chat_id, text, label, command))
    finally:
        app.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
