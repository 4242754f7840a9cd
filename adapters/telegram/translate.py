"""Telegram messages and button presses as the core's :class:`Incoming`."""

from __future__ import annotations

import re

from telegram import CallbackQuery, Chat, Message, MessageEntity, User

from bot.commands import Command, RedeemInvitation, ShowWelcome
from bot.domain import ChannelRef, Person
from bot.incoming import Incoming
from bot.invitations import looks_like_code
from model_content import Language

PLATFORM = "telegram"
# The updates the bot reads, asked for by name: without the list Telegram keeps whatever an
# earlier setWebhook or getUpdates chose. An edited message revises the answer it gave; no update
# tells a bot that a message in a group was deleted (``ångra`` withdraws an answer there).
ALLOWED_UPDATES = ("message", "edited_message", "callback_query")
# Telegram commands allow only a-z, 0-9 and _; the English word is the command.
COMMANDS: dict[str, tuple[str, str]] = {
    "start": ("Starta en samverkan: /start <namn>", "Start a collaboration: /start <name>"),
    "next": ("Vad kommer härnäst?", "What comes next?"),
    "status": ("Var är vi på kartan?", "Where are we on the map?"),
    "map": ("Kartan över modellen som bild", "The model's map as a picture"),
    "export": ("Dokumentationen som PDF och Markdown", "The record as PDF and Markdown"),
    "balance": ("Vilka hörs? Svar per sektor och organisation", "Who is heard? Answers by sector"),
    "ask": ("Nästa fråga att diskutera", "The next question to discuss"),
    "summary": ("Sammanfatta svaren i ett steg", "Summarise a step's answers"),
    "goto": ("Gå till ett steg (samordnare)", "Focus a step (coordinator)"),
    "done": ("Markera steget som klart (samordnare)", "Close the focus step (coordinator)"),
    "skip": ("Hoppa över steget (samordnare)", "Skip the focus step (coordinator)"),
    "decision": ("Anteckna ett beslut", "Record a decision"),
    "role": ("Ge någon en roll (samordnare)", "Name who does what (coordinator)"),
    "join": ("Gå med: <organisation> <sektor>", "Join: <organisation> <sector>"),
    "invite": (
        "Bjud in en representant (samordnare)",
        "Invite a representative (coordinator)",
    ),
    "tips": ("Tips för steget", "Tips for the step"),
    "methods": ("Metoder och stöd", "Methods and resources"),
    "principles": ("De sex principerna", "The six principles"),
    "checkin": (
        "Avstämning: /checkin varje tisdag 09:00 (samordnare)",
        "Check-in: /checkin every tuesday 09:00 (coordinator)",
    ),
    "evaluation": (
        "Utvärderingsdatum: /evaluation <datum> (samordnare)",
        "Evaluation date: /evaluation <date> (coordinator)",
    ),
    "reminders": ("Vad som är planerat, och ändra det", "What is scheduled, and change it"),
    "pause": (
        "Pausa påminnelser för dig: /pause <datum>",
        "Pause your nudges: /pause <date>",
    ),
    "decisions": ("Alla beslut och deras läge", "Every decision and its state"),
    "members": ("Parterna per organisation och sektor", "The partners by organisation and sector"),
    "roles": ("Vem gör vad", "Who does what"),
    "leave": ("Lämna samverkan", "Leave the collaboration"),
    "help": ("Vad boten kan göra", "What the bot can do"),
}
# Understood as commands too, but kept out of the menu: buttons and follow-ups use them
# (`/withdraw answer`, `/edit answer …`, `/amend decision …`, `/remove @person`).
HIDDEN_COMMANDS = (
    "answer",
    "confirm",
    "export",
    "language",
    "restart",
    "remove",
    "withdraw",
    "edit",
    "amend",
    "case_number",
    "my_data",
    "forget_me",
    "keep_answers",
)
_COMMAND = re.compile(r"^/([A-Za-z0-9_]{1,32})(?:@\w+)?(?:\s+|$)")


def channel_of(chat: Chat | int) -> ChannelRef:
    chat_id = chat if isinstance(chat, int) else chat.id
    return ChannelRef(platform=PLATFORM, workspace=PLATFORM, channel=str(chat_id))


def person_of(user: User) -> Person:
    return Person(str(user.id), user.full_name)


def command_text(text: str) -> str:
    """``/next@Bot rest`` as the core's ``next rest``; other text unchanged."""
    match = _COMMAND.match(text)
    if match is None:
        return text.strip()
    return f"{match.group(1).lower()} {text[match.end() :]}".strip()


def private_start(text: str) -> Command | None:
    """What ``start …`` in a private chat orders, or ``None`` for the core to read the text.

    A deep link (``t.me/<bot>?start=<code>``) arrives as ``/start <code>``: it joins by the
    invitation. A bare ``/start`` is the welcome. Anything else (``start <name>`` starts a
    collaboration, as in a group) is left to the text.
    """
    name, _, rest = text.partition(" ")
    if name != "start":
        return None
    if not rest:
        return ShowWelcome()
    return RedeemInvitation(rest) if looks_like_code(rest) else None


def known_language(user: User) -> Language | None:
    """``sv`` or ``en`` when the person's Telegram app is set to one of them, else ``None``
    (the collaboration's language then speaks to them too)."""
    code = (user.language_code or "").casefold().split("-")[0]
    if code == "sv":
        return "sv"
    return "en" if code == "en" else None


def person_language(user: User, default_language: Language) -> Language:
    """``sv`` or ``en``: the language of the person's Telegram app, else the bot's default."""
    code = (user.language_code or "").casefold()
    if not code:
        return default_language
    return "sv" if code.split("-")[0] == "sv" else "en"


def without_mention(message: Message, username: str) -> str:
    """The text with every ``@username`` of the bot removed."""
    text = message.text or ""
    pattern = re.compile(rf"@{re.escape(username)}\b", re.IGNORECASE)
    return re.sub(r"\s{2,}", " ", pattern.sub("", text)).strip()


def mentions_bot(message: Message, username: str) -> bool:
    wanted = f"@{username}".casefold()
    return any(
        text.casefold() == wanted
        for entity, text in message.parse_entities([MessageEntity.MENTION]).items()
        if entity.type == MessageEntity.MENTION
    )


def mentioned_people(message: Message) -> tuple[Person, ...]:
    """People mentioned by a text mention (a person without a username), in order."""
    entities = sorted(message.entities, key=lambda entity: entity.offset)
    return tuple(person_of(e.user) for e in entities if e.type == "text_mention" and e.user)


def from_message(
    message: Message, text: str, event_id: str, *, edited: bool = False
) -> Incoming | None:
    """The incoming for a message's text, carried by update ``event_id``; ``None`` for a
    message with no sender."""
    if message.from_user is None:
        return None
    reply_to = message.reply_to_message
    return Incoming(
        channel=channel_of(message.chat),
        author=person_of(message.from_user),
        text=text,
        message_ref=str(message.message_id),
        reply_to=str(reply_to.message_id) if reply_to else None,
        edited=edited,
        mentions=mentioned_people(message),
        event_id=event_id,
        language=known_language(message.from_user),
    )


def from_callback(query: CallbackQuery, command: str, event_id: str) -> Incoming | None:
    """A button press as if the person had typed its command in the card's chat."""
    message = query.message
    if message is None:
        return None
    return Incoming(
        channel=channel_of(message.chat.id),
        author=person_of(query.from_user),
        text=command,
        event_id=event_id,
        language=known_language(query.from_user),
    )
