"""No personal data in the log of a Telegram conversation over the webhook at LOG_LEVEL=INFO:
names, the collaboration's title, organisations and answers appear nowhere, also when an
answer is edited and an update refused."""

from __future__ import annotations

import io

from runtime.logs import configure
from standins.telegram_api import BotApiStandIn
from tests.e2e.private import ANSWER, EDITED, LINES, assert_private
from tests.e2e.telegram.conftest import Telegram

MENTION = "@SamverkanBot "


def _addressed(telegram: Telegram, text: str) -> dict[str, object]:
    entities = [{"type": "mention", "offset": 0, "length": len(MENTION) - 1}]
    return telegram.message(MENTION + text, entities=entities)


def test_a_conversation_logs_no_name_and_no_text(
    telegram: Telegram, standin: BotApiStandIn, stream: io.StringIO
) -> None:
    configure("json", "INFO", stream=stream)
    for line in LINES:
        telegram.post(_addressed(telegram, line))
        telegram.settle()
    typed = _addressed(telegram, f"svara 2: {ANSWER}")
    telegram.post(typed)
    telegram.settle()
    edited = dict(typed["message"]) | {"text": f"{MENTION}svara 2: {EDITED}"}  # type: ignore[call-overload]
    telegram.next_update += 1
    telegram.post({"update_id": telegram.next_update, "edited_message": edited})
    telegram.settle()
    assert telegram.post({"update_id": "x", "message": {"text": ANSWER}}).status_code == 400
    telegram.say("/summary")
    assert EDITED in standin.called("sendMessage")[-1].params["text"]  # all of it was handled
    log = stream.getvalue()
    assert "Telegram update refused" in log  # the log was written to, at INFO
    assert_private(log, "Ann Berg", "Berg")
