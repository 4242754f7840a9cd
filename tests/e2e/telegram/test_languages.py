"""Over Telegram, a reply for the person alone follows the language of their Telegram app."""

from __future__ import annotations

from standins.telegram_api import BotApiStandIn
from tests.e2e.telegram.conftest import Telegram
from tests.e2e.telegram.test_webhook import texts

JOHN = {"id": 222, "is_bot": False, "first_name": "John", "language_code": "en-GB"}
LISA = {"id": 333, "is_bot": False, "first_name": "Lisa", "language_code": "sv"}


def test_a_refusal_follows_the_language_of_the_persons_telegram(
    telegram: Telegram, standin: BotApiStandIn
) -> None:
    telegram.say("/start Fritid för alla")  # a Swedish collaboration; Ann coordinates

    telegram.say("/done", **{"from": JOHN})
    telegram.say("/done", **{"from": LISA})

    said = texts(standin)
    assert any("Only a coordinator can do this" in t for t in said)
    assert any("Det här kan bara en samordnare göra" in t for t in said)
