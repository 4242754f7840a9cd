"""Telegram's limits hold for the longest content the model and people can produce."""

from __future__ import annotations

import re

from telegram import InlineKeyboardMarkup

from adapters.telegram.render import (
    MAX_CALLBACK_BYTES,
    MAX_TEXT,
    Renderer,
    button_data,
    split,
    text_length,
)
from bot.domain import MAX_TEXT_LENGTH
from bot.map import ModelMap
from bot.replies import Action, Message, QuestionCard, Section, answer_action
from model_content import Phase, Step
from model_content.loader import default_model
from standins.telegram_api import _refusal

MODEL = ModelMap(default_model())


def _accepted(text: str, markup: InlineKeyboardMarkup | None = None) -> bool:
    reply_markup = None if markup is None else markup.to_dict()
    params = {"text": text, "parse_mode": "HTML", "reply_markup": reply_markup}
    return _refusal(params) is None


def test_user_text_is_escaped_and_command_marks_become_code() -> None:
    message = Message(
        (
            Section("Svar <1>", ("Vi behöver <fler> lokaler & tider.",), verbatim=True),
            Section(None, ("Skriv `svara <text>` & vänta",)),
        )
    )
    [out] = Renderer().render(message)
    assert "Vi behöver &lt;fler&gt; lokaler &amp; tider." in out.text
    assert "<b>Svar &lt;1&gt;</b>" in out.text
    assert "<code>svara &lt;text&gt;</code> &amp; vänta" in out.text
    assert _accepted(out.text)


def test_verbatim_text_keeps_its_backticks() -> None:
    [out] = Renderer().render(Message((Section(None, ("a `b` c",), verbatim=True),)))
    assert out.text == "a `b` c"


def test_the_longest_model_content_fits_with_escaping() -> None:
    lines: list[str] = []
    for phase in MODEL.model.phases:
        parts: tuple[Phase | Step, ...] = (phase, *phase.steps)
        for step in parts:
            lines += [q.text.sv + " <&>" * 50 for q in step.questions]
            lines += [m.text.sv for m in step.methods] + [t.sv for t in step.tips]
    message = Message((Section("Allt", tuple(lines), bullets=True),), (Action("Nästa", "nästa"),))
    outs = Renderer().render(message)
    assert len(outs) > 1
    assert all(text_length(o.text) <= MAX_TEXT and _accepted(o.text) for o in outs)
    assert outs[-1].keyboard is not None and all(o.keyboard is None for o in outs[:-1])
    joined = "\n".join(o.text for o in outs)
    assert all(joined.count(line.split(" <&>")[0][:40]) >= 1 for line in lines[:5])


def test_a_single_huge_answer_is_split_but_never_truncated() -> None:
    answer = ("Vi behöver <fler> lokaler & tider. " * 400).strip()
    word = "x" * 9000
    outs = Renderer().render(Message((Section(None, (answer, word), verbatim=True),)))
    assert all(text_length(o.text) <= MAX_TEXT and _accepted(o.text) for o in outs)
    text = re.sub(r"\s+", " ", " ".join(o.text for o in outs))
    assert text.count("&lt;fler&gt;") == 400 and text.replace(" ", "").count("x") == 9000


def test_long_command_marks_are_not_cut_inside_a_tag() -> None:
    line = " ".join(f"`gå till steg {i}`" for i in range(600))
    outs = Renderer().render(Message((Section(None, (line,)),)))
    assert len(outs) > 1
    for out in outs:
        assert out.text.count("<code>") == out.text.count("</code>")
        assert text_length(out.text) <= MAX_TEXT


def test_every_card_button_fits_callback_data() -> None:
    renderer = Renderer()
    for phase in MODEL.model.phases:
        for question in phase.questions + tuple(q for s in phase.steps for q in s.questions):
            card = QuestionCard(
                "c",
                question.id,
                "Steg",
                None,
                question.text.sv,
                "1/9",
                "Svara i tråden.",
                (
                    answer_action("Svara", question.id, "svara Steg 1:"),
                    Action("Nästa fråga", f"fråga {question.id}"),
                    Action("Tips", f"tips {phase.id}"),
                ),
            )
            [out] = renderer.render(card)
            assert out.keyboard is not None and _accepted(out.text, out.keyboard)
            data = [b.callback_data for row in out.keyboard.inline_keyboard for b in row]
            assert f"fråga {question.id}" in data


def test_a_too_long_command_becomes_a_token_that_resolves() -> None:
    command = "beslut " + "å" * 60
    [out] = Renderer().render(Message((Section(None, ("Beslut?",)),), (Action("Ja", command),)))
    assert out.keyboard is not None
    [[button]] = out.keyboard.inline_keyboard
    data = str(button.callback_data)
    assert len(data.encode("utf-8")) <= MAX_CALLBACK_BYTES
    # The message names the token it uses, to be remembered in the shared store.
    assert dict(out.tokens)[data] == command
    assert button_data(command) == data  # every process makes the same token
    assert button_data("fråga identify.3") == "fråga identify.3"


def test_split_keeps_paragraphs_whole_and_in_order() -> None:
    paragraphs = [str(i) * 1000 for i in range(9)]
    texts = split(paragraphs)
    assert "\n\n".join(texts) == "\n\n".join(paragraphs)
    assert all(len(t) <= MAX_TEXT for t in texts)


def test_text_longer_than_the_longest_answer_still_fits() -> None:
    outs = Renderer().render(Message((Section(None, ("&" * MAX_TEXT_LENGTH,), verbatim=True),)))
    assert all(text_length(o.text) <= MAX_TEXT for o in outs)
    assert sum(o.text.count("&amp;") for o in outs) == MAX_TEXT_LENGTH
