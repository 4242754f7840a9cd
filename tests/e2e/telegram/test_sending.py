"""The Telegram platform's one retry policy, used by replies and nudges alike, against a Bot API
stand-in that refuses as Telegram does."""

from __future__ import annotations

import time
from typing import Any

import pytest

from adapters.telegram import TelegramPlatform
from bot.domain import ChannelRef
from bot.replies import Message, Section
from engine.platform import RetryLaterError, SendError, Target, UnreachableError
from standins.telegram_api import BotApiStandIn, flood
from tests.e2e.telegram.sending import sending_platform, with_platform

CHAT = "-1001234567890"
TARGET = Target(ChannelRef("telegram", "telegram", CHAT))
BAD_GATEWAY = (502, {"ok": False, "error_code": 502, "description": "Bad Gateway"})
KICKED = (403, {"ok": False, "error_code": 403, "description": "Forbidden: bot was kicked"})
NOT_FOUND = (400, {"ok": False, "error_code": 400, "description": "Bad Request: chat not found"})
EMPTY = (400, {"ok": False, "error_code": 400, "description": "Bad Request: message is empty"})
MIGRATED = (
    400,
    {
        "ok": False,
        "error_code": 400,
        "description": "Bad Request: group chat was upgraded to a supergroup chat",
        "parameters": {"migrate_to_chat_id": -1009876543210},
    },
)


def send(standin: BotApiStandIn, *, as_reply: bool = False) -> float:
    """Sends one message, as a nudge or ``as_reply`` to an event; how many seconds that took."""
    started = time.monotonic()

    async def body(platform: TelegramPlatform) -> None:
        message = Message((Section(None, ("Avstämning",)),))
        if as_reply:
            await platform.sender.answer(TARGET, [message])
        else:
            await platform.send(TARGET, [message])

    with_platform(sending_platform(standin), body)
    return time.monotonic() - started


def refusing(standin: BotApiStandIn, *answers: tuple[int, dict[str, Any]]) -> None:
    standin.refuse_next = list(answers)


def test_bad_gateways_are_retried_with_back_off(standin: BotApiStandIn) -> None:
    refusing(standin, BAD_GATEWAY, BAD_GATEWAY)
    assert send(standin) >= 0.5 + 1.0
    assert len(standin.called("sendMessage")) == 1


def test_a_time_out_is_retried(standin: BotApiStandIn) -> None:
    standin.hang_next, standin.hang_seconds = 1, 6.0  # longer than PTB's 5 s read time-out
    send(standin)
    assert len(standin.called("sendMessage")) == 1


def test_what_still_fails_after_the_retries_is_a_send_error(standin: BotApiStandIn) -> None:
    refusing(standin, *[BAD_GATEWAY] * 5)
    with pytest.raises(SendError) as raised:
        send(standin)
    assert type(raised.value) is SendError
    assert len(standin.refuse_next) == 1 and not standin.called("sendMessage")


def test_a_short_flood_limit_is_waited_out_in_place_by_a_reply_not_by_a_nudge(
    standin: BotApiStandIn,
) -> None:
    refusing(standin, (429, flood(1)))
    assert send(standin, as_reply=True) >= 1.0  # the person is waiting for it
    assert len(standin.called("sendMessage")) == 1
    refusing(standin, (429, flood(1)))
    with pytest.raises(RetryLaterError) as raised:  # the outbox waits, and delivery paces it
        send(standin)
    assert raised.value.retry_after == 1.0
    assert len(standin.called("sendMessage")) == 1 and standin.refuse_next == []


def test_a_long_flood_limit_is_for_the_caller_to_wait(standin: BotApiStandIn) -> None:
    refusing(standin, (429, flood(30)), (429, flood(30)))
    started = time.monotonic()
    with pytest.raises(RetryLaterError) as raised:
        send(standin)
    assert time.monotonic() - started < 5.0
    assert raised.value.retry_after == 30.0
    assert len(standin.refuse_next) == 1  # asked once, not again


@pytest.mark.parametrize(
    "refusal", [KICKED, NOT_FOUND, MIGRATED], ids=["forbidden", "chat not found", "migrated"]
)
def test_a_chat_out_of_reach_is_unreachable_at_once(
    standin: BotApiStandIn, refusal: tuple[int, dict[str, Any]]
) -> None:
    refusing(standin, refusal, refusal)
    with pytest.raises(UnreachableError):
        send(standin)
    assert len(standin.refuse_next) == 1


def test_another_refusal_is_a_send_error_at_once(standin: BotApiStandIn) -> None:
    refusing(standin, EMPTY, EMPTY)
    with pytest.raises(SendError) as raised:
        send(standin)
    assert not isinstance(raised.value, RetryLaterError | UnreachableError)
    assert len(standin.refuse_next) == 1
