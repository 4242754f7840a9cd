"""Buttons whose command does not fit ``callback_data`` work wherever they are pressed: their
tokens are kept in the database, not in the memory of the process that rendered them."""

from __future__ import annotations

from adapters.telegram import TelegramPlatform
from adapters.telegram.handlers import EXPIRED_HINT
from bot.domain import ChannelRef
from bot.replies import Action, Message, Section
from engine.platform import Target
from standins.telegram_api import BotApiStandIn
from storage.buttons import SqlButtonStore
from tests.e2e.telegram.conftest import CHAT_ID, Telegram, button_press
from tests.e2e.telegram.sending import sending_platform, with_platform

DECISION = "Vi ses på biblioteket varje tisdag kväll, med fika efteråt"
COMMAND = f"beslut {DECISION}"  # more than the 64 bytes of callback_data


def press(telegram: Telegram, data: str) -> None:
    telegram.next_update += 1
    response = telegram.post(button_press(telegram.next_update, data, "Beslut?"))
    assert response.status_code == 200
    telegram.settle()


def test_a_token_rendered_by_another_process_works_here(
    telegram: Telegram, standin: BotApiStandIn
) -> None:
    telegram.say("/start Fritid för alla")
    # Another process (a platform of its own, on the same database) sends the button.
    other = sending_platform(standin, SqlButtonStore(telegram.sessions))
    message = Message((Section(None, ("Beslut?",)),), (Action("Ja", COMMAND),))
    target = Target(ChannelRef("telegram", "telegram", str(CHAT_ID)))

    async def send(platform: TelegramPlatform) -> None:
        await platform.send(target, [message])

    with_platform(other, send)
    keyboard = standin.called("sendMessage")[-1].params["reply_markup"]["inline_keyboard"]
    data = keyboard[0][0]["callback_data"]
    assert data.startswith("~") and len(data.encode()) <= 64

    before = len(standin.called("sendMessage"))
    press(telegram, data)
    [answered] = standin.called("answerCallbackQuery")
    assert answered.params.get("text") not in EXPIRED_HINT.values()
    assert len(standin.called("sendMessage")) > before
    assert "Beslut 1" in standin.called("sendMessage")[-1].params["text"]  # the decision kept


def test_a_token_nobody_remembered_says_the_button_expired(
    telegram: Telegram, standin: BotApiStandIn
) -> None:
    telegram.say("/start Fritid för alla")
    before = len(standin.called("sendMessage"))
    press(telegram, "~" + "0" * 24)
    [answered] = standin.called("answerCallbackQuery")
    assert answered.params["text"] == EXPIRED_HINT["sv"]  # the collaboration's language
    assert len(standin.called("sendMessage")) == before


def test_the_expired_hint_is_in_the_language_of_the_person_who_pressed(
    telegram: Telegram, standin: BotApiStandIn
) -> None:
    telegram.say("/start Fritid för alla")
    update = button_press(telegram.next_update + 1, "~" + "1" * 24, "Beslut?")
    update["callback_query"]["from"] = {**update["callback_query"]["from"], "language_code": "en"}
    telegram.next_update += 1
    assert telegram.post(update).status_code == 200
    telegram.settle()
    [answered] = standin.called("answerCallbackQuery")
    assert answered.params["text"] == EXPIRED_HINT["en"]  # seen by them alone: their language
