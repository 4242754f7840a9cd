"""Block Kit rendering within Slack's limits, on the model's longest content."""

from __future__ import annotations

import json

import pytest

from adapters.slack.render import (
    BLOCKS_PER_MESSAGE,
    SECTION_LIMIT,
    SlackMessage,
    block_size,
    chunk_lines,
    escape,
    render,
    rich_text_plain,
)
from bot.replies import Action, Message, QuestionCard, Reply, Section, answer_action
from tests.chat import ANNA, OMAR, Chat, make_bot
from tests.fakes import FakeClock, FakeUnitOfWork


def assert_within_limits(messages: list[SlackMessage]) -> None:
    for message in messages:
        assert message.text.strip()
        assert 0 < len(message.blocks) <= BLOCKS_PER_MESSAGE
        for block in message.blocks:
            if block["type"] == "section":
                assert 0 < len(block["text"]["text"]) <= SECTION_LIMIT
            if block["type"] == "rich_text":
                assert 0 < block_size(block) <= SECTION_LIMIT
            if block["type"] == "actions":
                assert len(block["elements"]) <= 25
                for button in block["elements"]:
                    assert len(button["text"]["text"]) <= 75
                    assert len(button["value"]) <= 2000
                    assert button["action_id"].startswith("samverkan_")


def shown(messages: list[SlackMessage]) -> str:
    return "\n".join(
        rich_text_plain(b) if b["type"] == "rich_text" else b["text"]["text"]
        for m in messages
        for b in m.blocks
        if b["type"] in ("section", "rich_text")
    )


@pytest.fixture
def chat() -> Chat:
    uow = FakeUnitOfWork()
    chat = Chat(make_bot(uow, FakeClock()), uow)
    chat.say(ANNA, "starta Läxhjälp")
    return chat


def only(replies: list[Reply]) -> Reply:
    assert len(replies) == 1, replies
    return replies[0]


def test_a_summary_of_long_answers_is_split_but_never_cut(chat: Chat) -> None:
    answers = []
    for n in range(12):
        card = [r for r in chat.say(ANNA, "fråga") if isinstance(r, QuestionCard)]
        if not card:
            break
        text = f"Svar {n} <!channel> & " + ("ord " * 1500) + f"slut{n}"
        chat.say(OMAR, text, reply_to=chat.cards[-1][0])
        answers.append(text)
    assert len(answers) >= 2
    messages = render(only(chat.say(ANNA, "sammanfatta")))
    assert_within_limits(messages)
    assert len(messages) > 1
    everything = shown(messages)
    for n in range(len(answers)):
        assert f"Svar {n} <!channel> &" in everything  # rich text: shown as typed
        assert f"slut{n}" in everything
    assert everything.count("ord") == 1500 * len(answers)
    assert "<!channel>" not in json.dumps([m.text for m in messages])


def test_the_step_with_the_most_methods_renders_within_limits(chat: Chat) -> None:
    step = max(chat.bot.model.steps, key=lambda s: len(s.methods))
    messages = render(only(chat.say(ANNA, f"metod {step.id}")))
    assert_within_limits(messages)
    assert step.methods[-1].title.sv in shown(messages).replace("&amp;", "&")


def test_many_sections_become_several_messages_of_at_most_fifty_blocks() -> None:
    sections = tuple(Section(f"Rubrik {n}", (f"rad {n}",)) for n in range(120))
    actions = tuple(Action(f"Knapp {n} " + "x" * 100, f"gå till {n}") for n in range(30))
    messages = render(Message(sections, actions=actions, title="Titel"))
    assert_within_limits(messages)
    assert len(messages) >= 3
    assert "rad 119" in shown(messages)


def test_a_card_is_one_message_with_an_answer_button() -> None:
    card = QuestionCard(
        "c1",
        "status.1",
        "Status",
        "Rubrik",
        "Vad <@U1>?",
        "1/3",
        "Svara i tråden.",
        (answer_action("Svara", "status.1", "svara Status 1:"), Action("Tips", "tips")),
    )
    [message] = render(card)
    assert "Vad <@U1>?" in shown([message])
    assert "<@U1>" not in message.text
    buttons = message.blocks[-1]["elements"]
    assert buttons[0]["action_id"] == "samverkan_answer_0"
    assert buttons[0]["value"] == "status.1"  # the question the modal's text answers
    assert buttons[1]["action_id"] == "samverkan_cmd_1"


def test_escape_and_chunks_keep_every_character() -> None:
    assert escape("<!here> & <@U1>") == "&lt;!here&gt; &amp; &lt;@U1&gt;"
    line = escape("&" * 5000)
    chunks = list(chunk_lines([line], SECTION_LIMIT))
    assert "".join(chunks) == line
    assert all(len(c) <= SECTION_LIMIT and not c.endswith(("&am", "&a", "&")) for c in chunks)
