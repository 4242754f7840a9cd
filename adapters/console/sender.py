"""What the clock sends to the terminal: check-ins and reminders, printed with their channel."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from adapters.console.render import render
from bot.replies import Reply
from engine.platform import Target


class ConsoleSender:
    """Implements :class:`engine.platform.Sender` for the terminal: it cannot fail."""

    name = "console"

    def __init__(self, write: Callable[[str], None]) -> None:
        self.write = write

    async def send(self, target: Target, replies: Sequence[Reply]) -> None:
        for reply in replies:
            self.write(f"[{target.channel.key}] {render(reply)}")
