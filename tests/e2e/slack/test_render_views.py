"""Rendering without a network: literal user text, the Home view's and the modal's limits."""

from __future__ import annotations

from typing import Any

import pytest

from adapters.slack import modal
from adapters.slack.home import HOME_BLOCKS, home_view, image_block
from adapters.slack.render import SECTION_LIMIT, block_size, render, rich_text_plain
from bot.domain import ChannelRef
from bot.home import Home, HomeEntry
from bot.replies import Message, Section
from standins.slack_api import FakeSlack
from tests.chat import ANNA, Chat, make_bot
from tests.fakes import FakeClock, FakeUnitOfWork


def _texts(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    found = []
    for block in blocks:
        if block.get("type") == "text":
            found.append(block)
        found += _texts(block.get("elements") or [])
    return found


def test_a_name_in_the_bots_own_words_is_literal_and_command_words_are_code() -> None:
    uow = FakeUnitOfWork()
    chat = Chat(make_bot(uow, FakeClock()), uow)
    [started] = render(chat.say(ANNA, "starta Fritid *för* _alla_ <!here>")[0])
    texts = _texts(started.blocks)
    assert any("”Fritid *för* _alla_ <!here>”" in t["text"] for t in texts if "style" not in t)
    assert {"type": "text", "text": "nästa", "style": {"code": True}} in texts
    assert "<!here>" not in started.text and "&lt;!here&gt;" in started.text


def test_a_long_verbatim_line_is_split_over_blocks_without_losing_a_character() -> None:
    line = " ".join(f"ord{n}*_~`" for n in range(1500))
    messages = render(Message((Section("Rubrik", (line,), verbatim=True),)))
    blocks = [b for m in messages for b in m.blocks]
    assert len(blocks) > 1
    assert all(0 < block_size(b) <= SECTION_LIMIT for b in blocks)
    shown = " ".join(rich_text_plain(b) for b in blocks)
    assert shown.split() == ["Rubrik", *line.split()]


def _entry(n: int) -> HomeEntry:
    sections = (
        Section(None, ("Fas: Planera · Steg i fokus: Mål", "Du: samordnare"), verbatim=True),
        Section("Beslut som väntar (2)", ("1. a", "2. b"), bullets=True, verbatim=True),
    )
    message = Message(sections, title=f"Samverkan {n}")
    return HomeEntry(ChannelRef("slack", "T1", f"C{n}"), message)


def test_the_home_view_stays_within_a_hundred_blocks_and_counts_the_rest() -> None:
    home = Home("Samverkan du är med i " + "x" * 300, tuple(_entry(n) for n in range(60)), "sv")
    view = home_view(home)
    blocks = view["blocks"]
    assert view["type"] == "home"
    assert len(blocks) <= HOME_BLOCKS
    assert len(blocks[0]["text"]["text"]) <= 150
    last = rich_text_plain(blocks[-1])
    shown = sum(1 for b in blocks if b["type"] == "divider")
    assert shown < 60
    assert f"… och {60 - shown} till" in last


@pytest.mark.parametrize("language", ["sv", "en"])
def test_modal_texts_fit_slacks_limits_in_both_languages(language: str) -> None:
    target = modal.AnswerTarget("1.1.q1", "T1", "C1", None)
    view = modal.answer_view(target, "en" if language == "en" else "sv")
    for key in ("title", "submit", "close"):
        assert 0 < len(view[key]["text"]) <= 24
        assert view[key]["type"] == "plain_text"
    expected = {"sv": "Svara", "en": "Answer"}[language]
    assert view["title"]["text"] == expected
    assert modal.AnswerTarget.from_metadata(view["private_metadata"]) == target


def test_the_standin_shows_only_images_of_files_it_knows_as_slack_does() -> None:
    slack = FakeSlack()
    slack.completed.add("F000001")
    known = image_block("F000001", "Kartan i ord", "Kartan, omgång 1")
    fine = {"type": "home", "blocks": [known]}
    assert slack.answer("views.publish", {"view": fine})[1]["ok"] is True
    for faulty in (
        image_block("F999999", "Kartan i ord", None),  # a file Slack does not have
        {**known, "image_url": "https://example.org/karta.png"},  # two sources
        {**known, "alt_text": "x" * 2001},  # too long a description
        {**known, "slack_file": {"id": "F000001", "url": "https://files.slack.com/x"}},
    ):
        answer = slack.answer("views.publish", {"view": {"type": "home", "blocks": [faulty]}})[1]
        assert answer["ok"] is False and answer["error"] == "invalid_blocks", faulty


def test_an_image_blocks_texts_are_cut_to_slacks_limits() -> None:
    block = image_block("F1", "ord " * 1000, "rubrik " * 400)
    assert len(block["alt_text"]) <= 2000 and len(block["title"]["text"]) <= 2000
