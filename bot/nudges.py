"""Nudges as replies: what the bot says when a nudge falls due, built like any other reply.

The clock (:mod:`bot.schedule`) decides *what* is due and stores it with its parameters; here
the stored kind and parameters become a :class:`bot.replies.Message` in the collaboration's
language, which the platforms render and send like the bot's answers.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.map import ModelMap, QuestionPlace
from bot.parser import command_word
from bot.replies import Action, Message, Section, answer_action
from bot.texts import text


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
        said = "nudge_missed_one" if missed == "1" else "nudge_missed"
        body = f"{body} ({text(said, language, count=missed)})"
    sections = [Section(lines=(body,))]
    asked = [qid for qid in question_ids if model.question(qid) is not None]
    if asked:
        sections.append(Section(lines=_question_lines(asked, language, model), verbatim=True))
        example = _ref(model, asked[0], language)
        sections.append(Section(lines=(text("nudge_answer_hint", language, example=example),)))
    actions = _answer_actions(asked, language, model)
    if kind == "checkin":
        reminders = command_word("reminders", language)
        actions.append(Action(text("nudge_action_reminders", language), reminders))
    if kind == "retention":  # any command keeps it; the status is the plainest one
        actions.append(
            Action(text("nudge_action_keep", language), command_word("status", language))
        )
    asks = tuple(asked) if kind == "checkin" else ()
    return Message(tuple(sections), actions=tuple(actions), asks=asks)


def _question_lines(question_ids: list[str], language: str, model: ModelMap) -> tuple[str, ...]:
    lines = []
    for question_id in question_ids:
        place = model.question(question_id)
        assert place is not None  # only the questions the model has are listed
        lines.append(f"– {place.question.text.get('en' if language == 'en' else 'sv')}")
    return tuple(lines)


def _ref(model: ModelMap, question_id: str, language: str) -> str:
    """The question as a person names it: its step (or phase) and number, e.g. ``Genomför 2``."""
    place: QuestionPlace | None = model.question(question_id)
    assert place is not None  # only the questions the model has are asked
    owner = place.step.title if place.step else place.phase.title
    return f"{owner.get('en' if language == 'en' else 'sv')} {place.index}"


def _answer_actions(question_ids: list[str], language: str, model: ModelMap) -> list[Action]:
    answer = command_word("answer", language)

    def command(question_id: str) -> str:
        return f"{answer} {_ref(model, question_id, language)}:"

    if len(question_ids) == 1:
        label = text("card_answer", language)
        return [answer_action(label, question_ids[0], command(question_ids[0]))]
    return [
        answer_action(text("nudge_action_answer", language, number=number), qid, command(qid))
        for number, qid in enumerate(question_ids, start=1)
    ]
