"""Messages edited in Telegram, over the webhook: the answers they gave follow. Telegram tells
a bot of no deleted message in a group; the README says ``ångra`` is the way there."""

from __future__ import annotations

import json

from standins.telegram_api import BotApiStandIn
from tests.e2e.telegram.conftest import Telegram
from tests.e2e.telegram.test_webhook import texts


def test_the_webhook_asks_for_edited_messages_by_name(
    telegram: Telegram, standin: BotApiStandIn
) -> None:
    [hook] = standin.called("setWebhook")
    allowed = hook.params["allowed_updates"]
    wanted = json.loads(allowed) if isinstance(allowed, str) else allowed
    assert set(wanted) == {"message", "edited_message", "callback_query"}


def test_an_edited_typed_answer_is_revised_to_what_follows_its_question(
    telegram: Telegram, standin: BotApiStandIn
) -> None:
    telegram.say("/start Fritid för alla")
    typed = telegram.message("/answer@SamverkanBot 1: Tre lokaler")
    telegram.post(typed)
    telegram.settle()
    edited = typed["message"] | {"text": "/answer@SamverkanBot 1: Fyra lokaler"}
    telegram.next_update += 1
    assert telegram.post({"update_id": telegram.next_update, "edited_message": edited}).is_success
    telegram.settle()
    telegram.say("/summary")
    summary = texts(standin)[-1]
    assert "Fyra lokaler" in summary
    assert "Tre lokaler" not in summary
    assert "1: Fyra" not in summary  # the answer, without the command that gave it
