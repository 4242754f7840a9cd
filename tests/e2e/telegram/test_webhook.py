"""The Telegram adapter end to end: webhook in, Bot API calls out."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

import pytest

from standins.telegram_api import BotApiStandIn, Call, flood
from storage.tables import InboxRow
from tests.e2e.telegram.conftest import CHAT_ID, Telegram


def texts(standin: BotApiStandIn) -> list[str]:
    return [str(c.params["text"]) for c in standin.called("sendMessage")]


def test_start_registers_commands_and_webhook(telegram: Telegram, standin: BotApiStandIn) -> None:
    hooks = standin.called("setWebhook")
    assert hooks and hooks[0].params["secret_token"] == "s3cret"
    languages = {c.params.get("language_code") for c in standin.called("setMyCommands")}
    assert {"sv", "en"} <= languages


def test_start_then_next_addressed_to_the_bot(telegram: Telegram, standin: BotApiStandIn) -> None:
    telegram.say("/start Fritid för alla")
    telegram.say("/next@SamverkanBot")
    sent = standin.called("sendMessage")
    assert all(c.params["parse_mode"] == "HTML" for c in sent)
    assert any("Fritid för alla" in t for t in texts(standin))
    assert len(sent) >= 2 and "<b>" in sent[-1].params["text"]
    assert not standin.called("sendMessage:refused")


def _ask(telegram: Telegram, standin: BotApiStandIn) -> Call:
    telegram.say("/start Fritid för alla")
    telegram.say("/ask")
    card = standin.called("sendMessage")[-1]
    assert "❓" in card.params["text"]
    return card


def test_a_reply_to_a_card_is_an_answer(telegram: Telegram, standin: BotApiStandIn) -> None:
    card = _ask(telegram, standin)
    keyboard = card.params["reply_markup"]["inline_keyboard"]
    assert all(len(b["callback_data"].encode()) <= 64 for row in keyboard for b in row)
    card_message = {
        "message_id": 5000 + len(standin.called("sendMessage")),
        "from": {"id": 999, "is_bot": True, "first_name": "Samverkan", "username": "SamverkanBot"},
        "chat": {"id": CHAT_ID, "type": "supergroup", "title": "Team"},
        "date": 1767225600,
        "text": card.params["text"],
    }
    telegram.say("Vi behöver <fler> lokaler & tider.", reply_to_message=card_message)
    reactions = standin.called("setMessageReaction")
    assert reactions and reactions[0].params["message_id"] == str(telegram.next_message)
    telegram.say("/summary")
    summary = texts(standin)[-1]
    assert "Vi behöver &lt;fler&gt; lokaler &amp; tider." in summary
    assert not standin.called("sendMessage:refused")


def test_the_same_update_twice_is_handled_once(telegram: Telegram, standin: BotApiStandIn) -> None:
    update = telegram.message("/start Fritid för alla")
    assert telegram.post(update).status_code == 200
    telegram.settle()
    before = len(standin.called("sendMessage"))
    assert telegram.post(update).status_code == 200
    telegram.settle()
    assert before >= 1 and len(standin.called("sendMessage")) == before


def test_a_missing_or_wrong_secret_is_refused(telegram: Telegram, standin: BotApiStandIn) -> None:
    before = len(standin.calls)
    assert telegram.post(telegram.message("/start X"), secret=None).status_code == 403
    assert telegram.post(telegram.message("/start X"), secret="wrong").status_code == 403
    assert len(standin.calls) == before


def test_bad_json_is_a_bad_request(telegram: Telegram) -> None:
    headers = {"X-Telegram-Bot-Api-Secret-Token": "s3cret"}
    response = telegram.client.post(telegram.url, content=b"{nope", headers=headers)
    assert response.status_code == 400


def test_a_flood_limit_is_waited_out(telegram: Telegram, standin: BotApiStandIn) -> None:
    standin.flood_next = 1
    telegram.say("/start Fritid för alla")
    sent = standin.wait_for(lambda: standin.called("sendMessage"))
    assert len(sent) == 1 and standin.flood_next == 0


def inbox_row(telegram: Telegram, update: dict[str, Any]) -> InboxRow | None:
    with telegram.sessions() as session:
        return session.get(InboxRow, ("telegram", str(update["update_id"])))


def test_a_long_flood_limit_gives_the_update_back_for_as_long(
    telegram: Telegram, standin: BotApiStandIn
) -> None:
    # Longer than the replies of one update wait in place: the inbox is to wait instead.
    standin.refuse_next = [(429, flood(60))]
    update = telegram.message("/start Fritid för alla")
    assert telegram.post(update).status_code == 200

    def given_back() -> InboxRow | None:
        row = inbox_row(telegram, update)
        return row if row is not None and row.attempts == 1 and row.claimed_at is None else None

    row = standin.wait_for(given_back)
    assert row.handled_at is None and not standin.refuse_next
    # As long as Telegram asked, not the inbox's own back-off of a few seconds: the
    # RetryLaterError reached the inbox as it was.
    assert row.available_at - row.received_at >= timedelta(seconds=55)
    assert not standin.called("sendMessage")


def test_a_reply_meeting_a_longer_flood_limit_waits_and_sends_nothing_twice(
    telegram: Telegram, standin: BotApiStandIn
) -> None:
    card = _ask(telegram, standin)
    telegram.say("Ord " * 1500, reply_to_message=_card_message(standin, card))  # a long answer
    # The summary's first message goes out; its second meets a flood limit longer than the
    # 5 s the sending policy waits itself.
    standin.refuse_next = [None, (429, flood(6))]
    before = len(standin.called("sendMessage"))
    started = time.monotonic()
    update = telegram.message("/summary")
    assert telegram.post(update).status_code == 200
    telegram.settle()
    assert time.monotonic() - started >= 6.0 and not standin.refuse_next
    summary = [str(call.params["text"]) for call in standin.called("sendMessage")[before:]]
    assert len(summary) == 3 and len(set(summary)) == 3  # split in three, each sent once
    assert "Ord Ord" in summary[1]
    row = inbox_row(telegram, update)
    assert row is not None and row.attempts == 1 and row.outcome == "handled"  # not tried again


def test_a_button_press_is_answered(telegram: Telegram, standin: BotApiStandIn) -> None:
    _ask(telegram, standin)
    telegram.next_update += 1
    query = {
        "id": "q1",
        "from": {"id": 111, "is_bot": False, "first_name": "Ann"},
        "chat_instance": "-87654",
        "data": "tips",
        "message": {
            "message_id": 5001,
            "from": {"id": 999, "is_bot": True, "first_name": "S"},
            "chat": {"id": CHAT_ID, "type": "supergroup", "title": "Team"},
            "date": 1767225602,
            "text": "kort",
        },
    }
    before = len(standin.called("sendMessage"))
    response = telegram.post({"update_id": telegram.next_update, "callback_query": query})
    assert response.status_code == 200
    telegram.settle()
    assert [c.params["callback_query_id"] for c in standin.called("answerCallbackQuery")] == ["q1"]
    assert len(standin.called("sendMessage")) > before


def _card_message(standin: BotApiStandIn, card: Call) -> dict[str, object]:
    return {
        "message_id": standin.next_message_id,
        "from": {"id": 999, "is_bot": True, "first_name": "Samverkan", "username": "SamverkanBot"},
        "chat": {"id": CHAT_ID, "type": "supergroup", "title": "Team"},
        "date": 1767225600,
        "text": card.params["text"],
    }


def test_an_edited_answer_is_revised(telegram: Telegram, standin: BotApiStandIn) -> None:
    card = _ask(telegram, standin)
    telegram.say("Första svaret", reply_to_message=_card_message(standin, card))
    answer = telegram.message("Andra svaret")["message"]
    answer["message_id"] = telegram.next_message - 1  # the id of "Första svaret"
    telegram.next_update += 1
    response = telegram.post({"update_id": telegram.next_update, "edited_message": answer})
    assert response.status_code == 200
    telegram.settle()
    telegram.say("/summary")
    assert "Andra svaret" in texts(standin)[-1]
    assert "Första svaret" not in texts(standin)[-1]


def test_a_mention_is_free_text(telegram: Telegram, standin: BotApiStandIn) -> None:
    telegram.say("/start Fritid för alla")
    before = len(texts(standin))
    mention = [{"type": "mention", "offset": 0, "length": 13}]
    telegram.say("@SamverkanBot vad händer nu?", entities=mention)
    assert len(texts(standin)) > before
    assert not standin.called("sendMessage:refused")


def test_talk_not_meant_for_the_bot_is_counted_not_answered(
    telegram: Telegram, standin: BotApiStandIn
) -> None:
    telegram.say("/start Fritid för alla")
    before = len(standin.calls)
    telegram.say("ses vid tio")
    telegram.say("jag tar med kaffe")
    assert len(standin.calls) == before  # nothing answered
    telegram.say("/balance")
    shares = next(t for t in reversed(texts(standin)) if "Vilka hörs?" in t)
    assert "Omgång 1, 0 svar, 2 meddelanden" in shares
    assert "kaffe" not in shares


def test_an_update_whose_replies_fail_is_kept_and_its_replies_sent_later(
    telegram: Telegram, standin: BotApiStandIn
) -> None:
    standin.break_next = 5  # more 502s than one attempt retries: the first attempt fails
    update = telegram.message("/start Fritid för alla")
    assert telegram.post(update).status_code == 200  # stored before the answer
    telegram.settle()
    assert standin.break_next == 0
    started = [t for t in texts(standin) if "Fritid för alla" in t]
    assert len(started) == 1  # the collaboration was started once; its reply came later
    assert telegram.post(update).status_code == 200  # Telegram re-sends: nothing happens
    telegram.settle()
    assert [t for t in texts(standin) if "Fritid för alla" in t] == started


@pytest.mark.parametrize("telegram", [None], indirect=True)
def test_without_a_webhook_url_the_bot_long_polls(
    telegram: Telegram, standin: BotApiStandIn
) -> None:
    assert standin.called("deleteWebhook") and not standin.called("setWebhook")
    with standin.lock:
        standin.pending.append(telegram.message("/start Fritid för alla"))
    standin.wait_for(lambda: any("Fritid för alla" in t for t in texts(standin)))


def test_a_bad_gateway_is_retried(telegram: Telegram, standin: BotApiStandIn) -> None:
    standin.break_next = 2
    telegram.say("/start Fritid för alla")
    assert standin.break_next == 0
    assert len([t for t in texts(standin) if "Fritid för alla" in t]) == 1


def test_the_answer_button_asks_for_a_reply(telegram: Telegram, standin: BotApiStandIn) -> None:
    card = _ask(telegram, standin)
    keyboard = card.params["reply_markup"]["inline_keyboard"]
    data = next(b["callback_data"] for row in keyboard for b in row if b["text"] == "Svara")
    query = {
        "id": "q2",
        "from": {"id": 111, "is_bot": False, "first_name": "Ann"},
        "chat_instance": "-87654",
        "data": data,
        "message": _card_message(standin, card),
    }
    before = len(standin.called("sendMessage"))
    telegram.next_update += 1
    assert (
        telegram.post({"update_id": telegram.next_update, "callback_query": query}).status_code
        == 200
    )
    telegram.settle()
    [answered] = standin.called("answerCallbackQuery")
    assert "Svara" in answered.params["text"]
    assert len(standin.called("sendMessage")) == before


def test_a_command_for_another_bot_is_ignored(telegram: Telegram, standin: BotApiStandIn) -> None:
    before = len(standin.calls)
    telegram.say("/start@OtherBot Fritid för alla")
    assert len(standin.calls) == before


def test_a_group_that_becomes_a_supergroup_keeps_its_collaboration(
    telegram: Telegram, standin: BotApiStandIn
) -> None:
    telegram.say("/start Fritid för alla")
    new_id = CHAT_ID - 1
    service = telegram.message("", migrate_to_chat_id=new_id)
    del service["message"]["text"]
    assert telegram.post(service).status_code == 200
    telegram.settle()
    in_new_chat = telegram.message("/status")
    in_new_chat["message"]["chat"] = {"id": new_id, "title": "Team", "type": "supergroup"}
    assert telegram.post(in_new_chat).status_code == 200
    telegram.settle()
    status = standin.called("sendMessage")[-1]
    assert status.params["chat_id"] in (new_id, str(new_id))
    assert "Fritid för alla" in str(status.params["text"])


def test_an_update_kept_by_a_process_that_died_is_handled_by_this_one(
    telegram: Telegram, standin: BotApiStandIn
) -> None:
    # What the webhook of another process stored just before it was killed, never handled.
    update = telegram.message("/start Fritid för alla")
    assert telegram.keep_elsewhere(update)
    telegram.settle()  # no request reached this process: its worker finds the update by polling
    assert len([t for t in texts(standin) if "Fritid för alla" in t]) == 1
    assert telegram.post(update).status_code == 200  # Telegram re-sends it: nothing happens
    telegram.settle()
    assert len([t for t in texts(standin) if "Fritid för alla" in t]) == 1
