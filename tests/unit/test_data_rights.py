"""`mina uppgifter`, `radera mig` and `spara svar` in the core, in Swedish and English, on the
in-memory store (the SQL stores are held to everything in tests/integration/test_data_rights.py).
"""

from __future__ import annotations

import pytest

from bot import commands as c
from bot.errors import UsageError
from bot.parser import parse
from bot.replies import DocumentReply, Message
from documents import attachment
from tests.chat import ANNA, LINA, OMAR, Chat, make_bot
from tests.fakes import FakeClock, FakeUnitOfWork


@pytest.mark.parametrize(
    ("written", "command"),
    [
        ("mina uppgifter", c.ShowMyData()),
        ("my data", c.ShowMyData()),
        ("/my_data", c.ShowMyData()),
        ("radera mig", c.ForgetMe()),
        ("radera mig ja", c.ForgetMe(confirmed=True)),
        ("forget me yes", c.ForgetMe(confirmed=True)),
        ("spara svar ja", c.SetKeepAnswers(True)),
        ("spara svar nej", c.SetKeepAnswers(False)),
        ("keep answers yes", c.SetKeepAnswers(True)),
        ("keep answers off", c.SetKeepAnswers(False)),
    ],
)
def test_the_words_of_the_data_rights(written: str, command: c.Command) -> None:
    assert parse(written).command == command


@pytest.mark.parametrize("written", ["spara svar", "keep answers maybe"])
def test_keep_answers_needs_yes_or_no(written: str) -> None:
    with pytest.raises(UsageError):
        parse(written)


def _chat(language: str) -> Chat:
    uow = FakeUnitOfWork()
    chat = Chat(make_bot(uow, FakeClock(), language), uow)
    chat.say(ANNA, "starta Läxhjälp" if language == "sv" else "start Homework club")
    return chat


@pytest.mark.parametrize(
    ("language", "join", "keep", "kept", "removed"),
    [
        ("sv", "gå med Fritidsbanken civilsamhälle", "spara svar ja", "står dina svar kvar",
         "tas även dina svar bort"),
        ("en", "join Fritidsbanken civil society", "keep answers yes", "your answers stay",
         "your answers are removed too"),
    ],
)  # fmt: skip
def test_the_join_reply_says_what_becomes_of_answers(
    language: str, join: str, keep: str, kept: str, removed: str
) -> None:
    chat = _chat(language)
    assert removed in chat.text(OMAR, join)
    chat.say(ANNA, keep)
    assert chat.stored.keep_answers
    assert kept in chat.text(LINA, join)


@pytest.mark.parametrize(
    ("language", "ask", "confirm", "asked", "done", "placeholder"),
    [
        ("sv", "radera mig", "radera mig ja", "Ska jag glömma dig", "du är glömd",
         "(svaret är raderat)"),
        ("en", "forget me", "forget me yes", "Shall I forget you", "you are forgotten",
         "(the answer is erased)"),
    ],
)  # fmt: skip
def test_forget_me_asks_then_forgets(
    language: str, ask: str, confirm: str, asked: str, done: str, placeholder: str
) -> None:
    chat = _chat(language)
    chat.say(OMAR, "gå med Fritidsbanken civilsamhälle")
    chat.say(OMAR, "fråga")
    chat.say(OMAR, "svara Vi har lokaler")
    question = chat.message(OMAR, ask)
    assert question.private and asked in question.plain_text
    [button] = [a.command for a in question.actions]
    assert button == f"{confirm} #{OMAR.user_id}"  # the button names who asked
    assert OMAR.user_id in chat.stored.members  # nothing yet
    pressed_by_another = chat.message(ANNA, button)  # a Telegram group sees the button too
    said = pressed_by_another.plain_text
    assert pressed_by_another.private and ("inget har hänt" in said or "nothing happened" in said)
    assert {OMAR.user_id, ANNA.user_id} <= set(chat.stored.members)  # no one was forgotten
    reply = chat.message(OMAR, button)
    assert reply.private and done in reply.plain_text
    stored = chat.stored
    assert OMAR.user_id not in stored.members
    [answer] = list(stored.answers)
    assert answer.author_id.startswith("erased-") and answer.author_name != OMAR.display_name
    assert answer.text == placeholder
    assert stored.audit[-1].action == "erased" and stored.audit[-1].detail == ""


@pytest.mark.parametrize("language", ["sv", "en"])
def test_my_data_is_a_private_markdown_file_in_the_persons_language(language: str) -> None:
    chat = _chat(language)
    chat.say(OMAR, "gå med Fritidsbanken civilsamhälle")
    note, file = chat.say(OMAR, "mina uppgifter" if language == "sv" else "my data")
    assert isinstance(note, Message) and note.private
    assert isinstance(file, DocumentReply) and file.private and file.format == "md"
    assert file.filename.startswith("mina-uppgifter-" if language == "sv" else "my-data-")
    text = attachment(file).data.decode()
    heading = "### Medlemskap och paus" if language == "sv" else "### Membership and pause"
    assert heading in text and "- **display_name:** Omar" in text
