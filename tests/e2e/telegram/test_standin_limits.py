"""The stand-in Bot API's flood limits, switched on for the scale benchmark: answered as
Telegram answers one message too many, and only past the limits."""

from __future__ import annotations

from standins.telegram_api import BotApiStandIn


def send(standin: BotApiStandIn, chat: str) -> tuple[int, int | None]:
    status, body = standin.answer("sendMessage", {"chat_id": chat, "text": "Hej"})
    return status, (body.get("parameters") or {}).get("retry_after")


def test_without_limits_every_message_passes() -> None:
    standin = BotApiStandIn()
    assert {send(standin, "-100")[0] for _ in range(40)} == {200}
    assert standin.floods == 0


def test_a_chat_hears_one_message_a_second() -> None:
    standin = BotApiStandIn(limits=True)
    assert send(standin, "-100") == (200, None)
    assert send(standin, "-100") == (429, 1)
    assert send(standin, "-200")[0] == 200  # another chat is not held
    assert standin.floods == 1


def test_thirty_messages_a_second_in_all() -> None:
    standin = BotApiStandIn(limits=True)
    statuses = [send(standin, str(1000 + n))[0] for n in range(31)]
    assert statuses == [200] * 30 + [429]
    assert standin.floods == 1


def test_a_message_before_its_retry_after_is_counted_as_early() -> None:
    standin = BotApiStandIn(limits=True)
    assert send(standin, "-100")[0] == 200
    assert send(standin, "-100") == (429, 1)
    assert standin.early == 0
    assert send(standin, "-100")[0] == 429  # at once: the retry_after was not waited out
    assert standin.early == 1
