"""Nudges as replies: the stored kind and parameters read in the collaboration's language, with
the questions a nudge asks and buttons to answer them."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from bot.cadence import Cadence
from bot.calendar import WeekendCalendar
from bot.map import ModelMap
from bot.nudges import nudge_reply
from bot.schedule import NudgeKind, due_nudges
from model_content.loader import default_model
from tests.integration.builders import collaboration

MODEL = ModelMap(default_model())
CHECKIN = {
    "name": "Läxhjälp",
    "local": "2027-01-05 09:00",
    "questions": "implement.1 develop.1",
    "language": "sv",
}


def test_a_check_in_shows_the_questions_it_asks_in_the_collaborations_language() -> None:
    shown = nudge_reply("checkin", CHECKIN, MODEL).plain_text
    for question_id in ("implement.1", "develop.1"):
        place = MODEL.question(question_id)
        assert place is not None and f"– {place.question.text.sv}" in shown
    assert "svara Genomför 1: …" in shown
    assert "implement.1" not in shown and "develop.1" not in shown


def test_a_check_in_offers_a_button_to_answer_each_question_and_one_for_the_reminders() -> None:
    message = nudge_reply("checkin", CHECKIN, MODEL)
    assert [(a.label, a.command, a.answers) for a in message.actions] == [
        ("Svara på fråga 1", "svara Genomför 1:", "implement.1"),
        ("Svara på fråga 2", "svara Utveckla 1:", "develop.1"),
        ("Påminnelser", "påminnelser", None),
    ]
    english = nudge_reply("checkin", {**CHECKIN, "questions": "develop.1", "language": "en"}, MODEL)
    assert [a.label for a in english.actions] == ["Answer", "Reminders"]
    assert [a.command for a in english.actions] == ["answer Develop 1:", "reminders"]


def test_the_models_own_words_are_shown_as_they_are() -> None:
    message = nudge_reply("checkin", CHECKIN, MODEL)
    body, questions, hint = message.sections
    assert not body.verbatim and questions.verbatim and not hint.verbatim
    assert len(questions.lines) == 2


def test_a_nudge_that_asks_nothing_has_no_buttons_beyond_the_reminders() -> None:
    review = nudge_reply("review", {"decisions": "#1", "language": "sv"}, MODEL)
    assert review.actions == () and len(review.sections) == 1
    plain = nudge_reply("checkin", {"name": "Läxhjälp", "local": "x"}, MODEL)
    assert [a.command for a in plain.actions] == ["påminnelser"]


def test_every_nudge_the_rules_produce_renders_in_both_languages() -> None:
    made = collaboration()
    made.checkin = Cadence(1, time(9, 0), 1, made.timezone, date(2026, 11, 2))
    made.evaluation_on = date(2027, 1, 20)
    since, now = datetime(2026, 12, 1, tzinfo=UTC), datetime(2027, 3, 2, tzinfo=UTC)
    due = due_nudges(made, now, WeekendCalendar(), since, MODEL)
    kinds = {nudge.kind for nudge in due}
    assert {NudgeKind.CHECKIN, NudgeKind.EVALUATION, NudgeKind.REVIEW} <= kinds
    for nudge in due:
        for language in ("sv", "en"):
            params = {**nudge.params, "language": language}
            shown = nudge_reply(nudge.kind.value, params, MODEL).plain_text
            assert shown and "{" not in shown, (nudge.kind, language, shown)
