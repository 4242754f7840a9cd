"""Nudges from the outbox reach a Telegram chat, through flood limits and 5xx."""

from __future__ import annotations

import pytest

from adapters.telegram.nudges import TelegramRefusedError, telegram_nudge_sender
from tests.e2e.telegram.standin import BotApiStandIn


def test_a_nudge_is_delivered_once_through_flood_and_bad_gateway(standin: BotApiStandIn) -> None:
    standin.flood_next = 1
    standin.break_next = 1
    send = telegram_nudge_sender("123:ABC", f"http://127.0.0.1:{standin.port}/bot")  # type: ignore[attr-defined]
    send("-1001234567890", "Dags för avstämning <fler> & kaffe")
    [sent] = standin.called("sendMessage")
    assert sent.params["text"] == "Dags för avstämning <fler> & kaffe"
    assert str(sent.params["chat_id"]) == "-1001234567890"
    assert standin.flood_next == 0 and standin.break_next == 0


def test_a_long_nudge_is_split_and_a_lasting_refusal_raises(standin: BotApiStandIn) -> None:
    send = telegram_nudge_sender("123:ABC", f"http://127.0.0.1:{standin.port}/bot")  # type: ignore[attr-defined]
    send("-1001", "x" * 5000)
    assert [len(c.params["text"]) for c in standin.called("sendMessage")] == [4096, 904]
    standin.flood_next = 10  # more 429s than the sender waits out: the outbox retries later
    with pytest.raises(TelegramRefusedError):
        send("-1001", "hej")
    assert len(standin.called("sendMessage")) == 2


def test_the_note_to_the_coordinators_arrives_without_a_sound(standin: BotApiStandIn) -> None:
    send = telegram_nudge_sender("123:ABC", f"http://127.0.0.1:{standin.port}/bot")  # type: ignore[attr-defined]
    send("-1001", "Till samordnarna: Föreningen X har ännu inte svarat.", ["111"])
    send("-1001", "Avstämning")
    quiet, loud = standin.called("sendMessage")
    assert str(quiet.params.get("disable_notification")).lower() == "true"
    assert "disable_notification" not in loud.params
