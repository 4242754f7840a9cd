"""Inviting a representative over Telegram: a deep link from the group, redeemed in a private chat.

Updates are posted to the webhook as Telegram would; the webhook may answer before it has
processed an update, so every check waits for the Bot API calls the bot makes.
"""

from __future__ import annotations

import re
from typing import Any, TypedDict

import pytest
from telegram import User

from adapters.telegram.render import Renderer
from adapters.telegram.translate import person_language, private_start
from bot.commands import Command, RedeemInvitation, ShowWelcome
from bot.domain import ChannelRef
from bot.replies import Invite, Message, Section
from standins.telegram_api import BotApiStandIn, Call
from storage import SqlUnitOfWork
from tests.e2e.telegram.conftest import CHAT_ID, Telegram


class TelegramUser(TypedDict):
    """A person as a Telegram update names them (its ``from`` object)."""

    id: int
    is_bot: bool
    first_name: str
    language_code: str


OMAR: TelegramUser = {"id": 222, "is_bot": False, "first_name": "Omar", "language_code": "sv"}
LINA: TelegramUser = {"id": 333, "is_bot": False, "first_name": "Lina", "language_code": "en-GB"}
LINK = re.compile(r'<a href="https://t\.me/SamverkanBot\?start=([A-Za-z0-9_-]{1,64})">')


def private_message(telegram: Telegram, person: TelegramUser, text: str) -> dict[str, Any]:
    """An update of ``person`` writing ``text`` in their private chat with the bot."""
    telegram.next_update += 1
    telegram.next_message += 1
    message: dict[str, Any] = {
        "message_id": telegram.next_message,
        "from": person,
        "chat": {"id": person["id"], "type": "private", "first_name": person["first_name"]},
        "date": 1767225600,
        "text": text,
    }
    if text.startswith("/"):
        length = len(text.split(" ", 1)[0])
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
    return {"update_id": telegram.next_update, "message": message}


def say_privately(telegram: Telegram, person: TelegramUser, text: str) -> None:
    response = telegram.post(private_message(telegram, person, text))
    assert response.status_code == 200, response.text


def sent_to(standin: BotApiStandIn, chat_id: int, containing: str) -> Call | None:
    return next(
        (
            call
            for call in standin.called("sendMessage")
            if str(call.params["chat_id"]) == str(chat_id) and containing in call.params["text"]
        ),
        None,
    )


def wait_sent(standin: BotApiStandIn, chat_id: int, containing: str) -> Call:
    call: Call = standin.wait_for(lambda: sent_to(standin, chat_id, containing))
    return call


def invite_code(telegram: Telegram, standin: BotApiStandIn, organisation: str) -> str:
    telegram.say("/start Fritid för alla")
    wait_sent(standin, CHAT_ID, "Fritid för alla")
    telegram.say(f"/invite {organisation}")
    call = wait_sent(standin, CHAT_ID, "https://t.me/SamverkanBot?start=")
    match = LINK.search(call.params["text"])
    assert match is not None, call.params["text"]
    return match.group(1)


def member_organisation(telegram: Telegram, user_id: int) -> str | None:
    with SqlUnitOfWork(telegram.sessions) as uow:
        collab = uow.collaborations.get_by_channel(ChannelRef("telegram", "telegram", str(CHAT_ID)))
    assert collab is not None
    member = collab.members.get(str(user_id))
    return None if member is None else member.organisation


def test_a_coordinators_invite_gives_a_link_with_the_bots_username(
    telegram: Telegram, standin: BotApiStandIn
) -> None:
    code = invite_code(telegram, standin, "Föreningen <X> & Co")
    call = wait_sent(standin, CHAT_ID, code)
    text = call.params["text"]
    assert call.params["parse_mode"] == "HTML"
    assert "Föreningen &lt;X&gt; &amp; Co" in text  # the organisation is data, not markup
    assert f"gå med {code}" not in text  # the link replaces the typed form
    # A private reply: it answers the coordinator's own message.
    assert call.params.get("reply_parameters")
    assert not standin.called("sendMessage:refused")


def test_start_with_the_code_in_a_private_chat_joins_and_sends_the_digest(
    telegram: Telegram, standin: BotApiStandIn
) -> None:
    code = invite_code(telegram, standin, "Föreningen X")

    say_privately(telegram, OMAR, f"/start {code}")

    digest = wait_sent(standin, OMAR["id"], "Välkommen till ”Fritid för alla”, Omar!")
    text = digest.params["text"]
    assert "Föreningen X" in text and "<b>" in text
    assert "Öppna frågor" in text
    assert member_organisation(telegram, OMAR["id"]) == "Föreningen X"
    assert not standin.called("sendMessage:refused")
    # The map follows the digest, as a photo in the newcomer's private chat.
    [photo] = standin.wait_for(lambda: standin.called("sendPhoto"))
    assert str(photo.params["chat_id"]) == str(OMAR["id"])
    assert photo.files["photo"].data.startswith(b"\x89PNG")
    assert "Fritid för alla" in str(photo.params.get("caption"))

    # The code was for one person: someone else gets a kind refusal in their language.
    say_privately(telegram, LINA, f"/start {code}")
    refusal = wait_sent(standin, LINA["id"], "already been used")
    assert "Fritid för alla" not in refusal.params["text"]
    assert member_organisation(telegram, LINA["id"]) is None


def test_an_unknown_code_is_refused_kindly(telegram: Telegram, standin: BotApiStandIn) -> None:
    invite_code(telegram, standin, "Föreningen X")

    say_privately(telegram, OMAR, "/start " + "A" * 22)

    refusal = wait_sent(standin, OMAR["id"], "Den inbjudan känner jag inte igen")
    assert "Fritid för alla" not in refusal.params["text"]
    assert member_organisation(telegram, OMAR["id"]) is None


def test_a_bare_start_in_a_private_chat_says_how_to_be_invited(
    telegram: Telegram, standin: BotApiStandIn
) -> None:
    say_privately(telegram, LINA, "/start")
    welcome = wait_sent(standin, LINA["id"], "To join you need an invitation")
    assert "<code>invite &lt;your organisation&gt;</code>" in welcome.params["text"]


def test_join_with_the_code_typed_in_a_private_chat_works_too(
    telegram: Telegram, standin: BotApiStandIn
) -> None:
    code = invite_code(telegram, standin, "Föreningen X")
    say_privately(telegram, OMAR, f"gå med {code}")
    wait_sent(standin, OMAR["id"], "Välkommen till ”Fritid för alla”")
    assert member_organisation(telegram, OMAR["id"]) == "Föreningen X"


def test_without_the_username_an_invitation_shows_the_code_to_type() -> None:
    manual = Section(None, ("Skriv `gå med abc` till mig.",))
    message = Message(
        (Section(None, ("Inbjudan",)), manual),
        invite=Invite("abc", manual, "Skicka länken."),
    )
    [unknown] = Renderer().render(message)
    assert "<code>gå med abc</code>" in unknown.text and "t.me" not in unknown.text
    [linked] = Renderer(username=lambda: "SamverkanBot").render(message)
    assert '<a href="https://t.me/SamverkanBot?start=abc">' in linked.text
    assert "gå med" not in linked.text and "Skicka länken." in linked.text


@pytest.mark.parametrize(
    ("text", "language_code", "order", "language"),
    [
        ("start", "sv", ShowWelcome(), "sv"),
        ("start", "de", ShowWelcome(), "en"),
        ("start", None, ShowWelcome(), "sv"),  # the bot's default language
        ("start " + "A" * 22, "sv-SE", RedeemInvitation("A" * 22), "sv"),
        ("start " + "A" * 22, "en", RedeemInvitation("A" * 22), "en"),
        ("start Fritid för alla", "sv", None, "sv"),  # starts one, as in a group: the text
        ("next", "sv", None, "sv"),
    ],
)
def test_start_in_a_private_chat_is_an_order_in_the_persons_language(
    text: str, language_code: str | None, order: Command | None, language: str
) -> None:
    user = User(222, "Omar", is_bot=False, language_code=language_code)
    assert private_start(text) == order
    assert person_language(user, "sv") == language
