"""A Telegram platform that only sends (as a worker delivering nudges does), for tests."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from adapters.telegram import TelegramPlatform, TelegramSettings, telegram_platform
from bot.map import ModelMap
from bot.service import Samverkansbot
from engine.platform import Surroundings
from engine.ports import ButtonStore, KeptEvent
from model_content.loader import default_model
from standins.telegram_api import BotApiStandIn
from tests.fakes import FakeButtonStore, FakeClock, FakeUnitOfWork


async def _nothing_kept(event: KeptEvent) -> bool:
    raise AssertionError(f"a sending platform kept {event}")


def sending_platform(
    standin: BotApiStandIn, buttons: ButtonStore | None = None
) -> TelegramPlatform:
    uow = FakeUnitOfWork()
    core = Samverkansbot(lambda: uow, FakeClock(), ModelMap(default_model()))
    surroundings = Surroundings(core, _nothing_kept, buttons or FakeButtonStore())
    return telegram_platform(TelegramSettings("123:ABC", standin.url), surroundings)


def with_platform(
    platform: TelegramPlatform, body: Callable[[TelegramPlatform], Awaitable[None]]
) -> None:
    """Runs ``body`` with ``platform``'s clients open, on an event loop of its own."""

    async def main() -> None:
        async with platform.handling():
            await body(platform)

    asyncio.run(main())
