"""The replies to an update go out message by message: one Telegram took is never sent again
when the update is handled again; one whose request timed out is counted as possibly sent."""

from __future__ import annotations

from sqlalchemy import text

from engine.metrics import REGISTRY
from standins.telegram_api import BotApiStandIn
from tests.e2e.telegram.conftest import Telegram
from tests.e2e.telegram.test_webhook import _ask, _card_message, inbox_row, texts

# What the sending policy tries of one request (adapters.telegram.sender.ATTEMPTS), and more:
# the update is given back to the inbox and handled again.
PAST_THE_POLICY = 6
BAD_GATEWAY = (502, {"ok": False, "error_code": 502, "description": "Bad Gateway"})


def possibly_sent() -> float:
    labels = {"platform": "telegram"}
    return REGISTRY.get_sample_value("samverkan_messages_possibly_sent_total", labels) or 0.0


def _long_summary(telegram: Telegram, standin: BotApiStandIn) -> list[str]:
    """A summary of three messages, as it goes out when nothing fails."""
    card = _ask(telegram, standin)
    telegram.say("Ord " * 1500, reply_to_message=_card_message(standin, card))
    before = len(texts(standin))
    telegram.say("/summary")
    summary = texts(standin)[before:]
    assert len(summary) == 3 and len(set(summary)) == 3
    return summary


def test_a_summary_whose_second_message_fails_six_times_arrives_once_in_order(
    telegram: Telegram, standin: BotApiStandIn
) -> None:
    expected = _long_summary(telegram, standin)
    standin.refuse_next = [None] + [BAD_GATEWAY] * PAST_THE_POLICY
    before = len(texts(standin))
    update = telegram.message("/summary")
    assert telegram.post(update).status_code == 200
    telegram.settle()

    assert not standin.refuse_next
    assert texts(standin)[before:] == expected  # each message once, in order
    row = inbox_row(telegram, update)
    assert row is not None and row.attempts == 2 and row.outcome == "handled"
    with telegram.engine.connect() as connection:
        kept = connection.execute(
            text("SELECT replies FROM processed_event WHERE event_id = :id"),
            {"id": str(update["update_id"])},
        ).scalar_one()
    assert kept is None  # all sent: nothing of them is kept


def test_a_message_that_hangs_past_the_time_out_is_counted_as_possibly_sent(
    telegram: Telegram, standin: BotApiStandIn
) -> None:
    counted = possibly_sent()
    standin.hang_next, standin.hang_seconds = 1, 6.0  # past PTB's 5 s read time-out
    telegram.say("/start Fritid för alla")

    assert len(standin.held) == 1

    def started() -> list[str]:
        return [t for t in texts(standin) if "Fritid för alla" in t]

    # Telegram took it as the call hung (it answers that one last), and again when it was
    # tried again: a copy no one could have known of.
    standin.wait_for(lambda: len(started()) == 2)
    assert possibly_sent() == counted + 1
