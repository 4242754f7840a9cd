"""Nudges as replies: what the bot says when a nudge falls due, built like any other reply.

The clock (:mod:`bot.schedule`) decides *what* is due and stores it with its parameters; here
the stored kind and parameters become a :class:`bot.replies.Message` in the collaboration's
language, which the platforms render and send like the bot's answers.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.map import ModelMap
from bot.replies import Action, Message, Section, answer_action
from bot.texts import text

REMINDERS = "påminnelser"  # the command that shows the reminders and how to change them


def nudge_reply(kind: str, params: Mapping[str, str], model: ModelMap) -> Message:
    """The nudge ``kind`` with its stored ``params``, in the collaboration's language (stored
    with them), with the model's questions it asks, each with a button to answer it.

    A round's nudges (to an organisation that has not answered, to the coordinators) are worded
    by the round's kind. A check-in also offers the reminders, where they can be changed.
    """
    fields = dict(params)
    language = fields.pop("language", "sv")
    question_ids = fields.pop("questions", "").split()
    round_kind = fields.pop("round", None)
    key = f"nudge_{kind}_{round_kind}" if round_kind else f"nudge_{kind}"
    body = text(key, language, **fields)
    missed = fields.get("missed")
    if missed:
        body = f"{body} ({text('nudge_missed', language, count=missed)})"
    sections = [Section(lines=(body,))]
    asked = [qid for qid in question_ids if model.question(qid) is not None]
    if asked:
        sections.append(Section(lines=_question_lines(asked, language, model), verbatim=True))
        sections.append(Section(lines=(text("nudge_answer_hint", language, example=asked[0]),)))
    actions = _answer_actions(asked, language)
    if kind == "checkin":
        actions.append(Action(text("nudge_action_reminders", language), REMINDERS))
    return Message(tuple(sections), actions=tuple(actions))


def _question_lines(question_ids: list[str], language: str, model: ModelMap) -> tuple[str, ...]:
    lines = []
    for question_id in question_ids:
        place = model.question(question_id)
        assert place is not None  # only the questions the model has are listed
        lines.append(f"– {place.question.text.get('en' if language == 'en' else 'sv')}")
    return tuple(lines)


def _answer_actions(question_ids: list[str], language: str) -> list[Action]:
    if len(question_ids) == 1:
        return [answer_action(text("card_answer", language), question_ids[0])]
    return [
        answer_action(text("nudge_action_answer", language, number=number), question_id)
        for number, question_id in enumerate(question_ids, start=1)
    ]
