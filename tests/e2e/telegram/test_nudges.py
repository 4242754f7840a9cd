"""Nudges reach a Telegram chat through the one sending path, through flood limits and 5xx."""

from __future__ import annotations

import html

import pytest

from adapters.telegram import TelegramPlatform, TelegramSettings, telegram_platform
from bot.domain import ChannelRef, Person
from bot.incoming import Incoming
from bot.map import ModelMap
from bot.nudges import nudge_reply
from bot.replies import Message, Section
from bot.service import Samverkansbot
from engine.platform import RetryLaterError, Surroundings, Target
from engine.ports import KeptEvent
from model_content.loader import default_model
from standins.telegram_api import BotApiStandIn, flood
from tests.e2e.telegram.sending import sending_platform, with_platform
from tests.fakes import FakeButtonStore, FakeClock, FakeUnitOfWork


def nudge(text: str) -> Message:
    return Message((Section(None, (text,)),))


def chat(chat_id: str, *only_for: str) -> Target:
    return Target(ChannelRef("telegram", "telegram", chat_id), only_for=only_for)


def send(standin: BotApiStandIn, target: Target, *texts: str) -> None:
    async def body(platform: TelegramPlatform) -> None:
        for text in texts:
            await platform.send(target, [nudge(text)])

    with_platform(sending_platform(standin), body)


def test_a_nudge_refused_for_flood_goes_back_and_then_passes_a_bad_gateway_once(
    standin: BotApiStandIn,
) -> None:
    standin.flood_next = 1
    with pytest.raises(RetryLaterError) as refused:
        send(standin, chat("-1001234567890"), "Dags för avstämning")
    # Not tried again in place, past the pacing: the outbox waits the second Telegram asked.
    assert refused.value.retry_after == 1 and standin.flood_next == 0
    assert standin.called("sendMessage") == []
    standin.break_next = 1
    send(standin, chat("-1001234567890"), "Dags för avstämning <fler> & kaffe")
    [sent] = standin.called("sendMessage")
    # Rendered like any reply: escaped HTML, which Telegram shows as the text itself.
    assert sent.params["parse_mode"] == "HTML"
    assert html.unescape(sent.params["text"]) == "Dags för avstämning <fler> & kaffe"
    assert str(sent.params["chat_id"]) == "-1001234567890"
    assert standin.break_next == 0


def test_a_long_nudge_is_split_and_a_lasting_refusal_raises(standin: BotApiStandIn) -> None:
    # Its second part meets a short flood limit: waited out in place, since going back to the
    # outbox whole would post the first part again.
    standin.refuse_next = [None, (429, flood(1))]
    send(standin, chat("-1001"), "x" * 5000)
    assert [len(c.params["text"]) for c in standin.called("sendMessage")] == [4096, 904]
    assert standin.refuse_next == []
    standin.flood_next = 10  # a 429 before anything went out: the outbox retries later
    with pytest.raises(RetryLaterError):
        send(standin, chat("-1001"), "hej")
    assert len(standin.called("sendMessage")) == 2


def test_the_note_to_the_coordinators_arrives_without_a_sound(standin: BotApiStandIn) -> None:
    send(standin, chat("-1001", "111"), "Till samordnarna: Föreningen X har ännu inte svarat.")
    send(standin, chat("-1001"), "Avstämning")
    quiet, loud = standin.called("sendMessage")
    assert str(quiet.params.get("disable_notification")).lower() == "true"
    assert "disable_notification" not in loud.params


def test_a_reply_to_a_check_in_answers_the_questions_it_asked(standin: BotApiStandIn) -> None:
    uow = FakeUnitOfWork()
    core = Samverkansbot(lambda: uow, FakeClock(), ModelMap(default_model()))
    surroundings = Surroundings(core, _keeps_nothing, FakeButtonStore())
    platform = telegram_platform(TelegramSettings("123:ABC", standin.url), surroundings)
    group, person = ChannelRef("telegram", "telegram", "-1001"), Person("7", "Omar")
    core.handle(Incoming(group, person, "starta Läxhjälp"))
    params = {"name": "Läxhjälp", "language": "sv", "questions": "implement.1 develop.1"}
    checkin = nudge_reply("checkin", params, core.model)

    async def body(platform: TelegramPlatform) -> None:
        await platform.send(Target(group), [checkin])

    with_platform(platform, body)
    [card_ref] = {card.message_ref for card in uow.collaborations.committed[group].cards}
    reply = Incoming(group, person, "Det går bra", message_ref="99", reply_to=card_ref)
    core.handle(reply)
    answers = uow.collaborations.committed[group].answers
    assert [(a.question_id, a.text) for a in answers] == [
        ("implement.1", "Det går bra"),
        ("develop.1", "Det går bra"),
    ]


async def _keeps_nothing(event: KeptEvent) -> bool:
    raise AssertionError(f"a sending platform kept {event}")
