"""A whole collaboration through every step of the model, in the command language only.

Two organisations take part: Malmö stad (public) and Fritidsbanken (civil society). At each
phase the test checks the guidance, the summaries and the stored record.
"""

from __future__ import annotations

from bot.domain import Role, Sector, StepStatus
from bot.map import ModelMap
from bot.replies import DocumentReply, QuestionCard, Reaction
from documents.markdown import render_markdown
from model_content import Phase, Step
from model_content.loader import default_model
from tests.chat import ANNA, OMAR, Chat, make_bot
from tests.fakes import FakeClock, FakeUnitOfWork

MODEL = ModelMap(default_model())


def answer_every_question(chat: Chat, step: Step) -> int:
    """Ask until the focus questions run out; the two organisations take turns to answer."""
    for turn in range(100):
        [reply] = chat.say(ANNA, "fråga")
        if not isinstance(reply, QuestionCard):
            assert step.title.sv in reply.plain_text  # "every question … has an answer"
            return turn
        card_ref = chat.cards[-1][0]
        if turn % 2 == 0:
            ack = chat.say(OMAR, f"Fritidsbanken om {reply.question_id}", reply_to=card_ref)
            assert ack == [Reaction()]
        else:
            text = chat.text(ANNA, f"svara Malmö stad om {reply.question_id}")
            assert "Tack, Anna!" in text
    raise AssertionError("the questions never ran out")


def check_phase_record(chat: Chat, phase: Phase) -> None:
    stored = chat.stored
    for step in phase.steps:
        assert stored.steps[step.id].status is StepStatus.DONE, step.id
        for question in step.questions:
            answers = stored.answers_to(question.id)
            assert len(answers) == 1, question.id
            assert answers[0].text.endswith(question.id)
            assert answers[0].organisation in {"Malmö stad", "Fritidsbanken"}
    for question in phase.questions:
        assert len(stored.answers_to(question.id)) == 1, question.id
    organisations = {
        a.organisation for s in phase.steps for a in stored.answers if a.step_id == s.id
    }
    assert organisations == {"Malmö stad", "Fritidsbanken"}


def walk_step(chat: Chat, phase: Phase, step: Step) -> None:
    guidance = chat.text(OMAR, "nästa")
    assert f"{phase.title.sv} · {step.title.sv}" in guidance
    assert step.key_question.sv in guidance
    if step.questions:
        assert step.questions[0].text.sv in guidance
    if phase.principle_notes:  # a button away, so that the reply fits a phone screen
        principles = chat.text(OMAR, "princip")
        assert "Ta stöd i principerna" in principles
        assert len(guidance.splitlines()) <= 15
    count = answer_every_question(chat, step)
    assert count >= len(step.questions)
    summary = chat.text(OMAR, f"sammanfatta {step.id}")
    for question in step.questions:
        assert question.text.sv in summary
        assert f"Omar, Fritidsbanken: Fritidsbanken om {question.id}" in summary or (
            f"Anna, Malmö stad: Malmö stad om {question.id}" in summary
        )
    assert "inget svar ännu" not in summary


def test_a_whole_collaboration_through_every_step() -> None:
    uow = FakeUnitOfWork()
    clock = FakeClock()
    chat = Chat(make_bot(uow, clock), uow)

    assert "starta" in chat.text(ANNA, "vad händer nu?")  # before start: how to begin
    chat.say(ANNA, "starta Fritid för alla")
    chat.say(ANNA, "gå med Malmö stad offentlig")
    chat.say(OMAR, "gå med Fritidsbanken civilsamhälle")
    chat.say(ANNA, "roll @Omar kontaktperson")
    stored = chat.stored
    assert stored.members[OMAR.user_id].sector is Sector.CIVIL_SOCIETY
    assert stored.members[ANNA.user_id].role is Role.COORDINATOR

    for phase in MODEL.phases:
        # Within a phase the order is free: take the steps last to first.
        for step in reversed(phase.steps):
            clock.advance(days=1)
            chat.say(ANNA, f"gå till {step.title.sv}")
            assert chat.stored.focus_step_id == step.id
            walk_step(chat, phase, step)
            chat.say(ANNA, f"beslut Vi är överens om {step.id}")
            done = chat.text(ANNA, "klar")
            assert f"{step.title.sv} är klart" in done
        check_phase_record(chat, phase)
        status = chat.text(OMAR, "status")
        for step in phase.steps:
            assert f"● {step.title.sv} – {len(step.questions)}/{len(step.questions)}" in status

    final = chat.text(OMAR, "nästa")
    assert "Alla steg är klara" in final
    assert "börja om" in final
    assert MODEL.step("evaluate").key_question.sv in final

    stored = chat.stored
    assert len(stored.decisions) == len(MODEL.steps)
    assert all(d.confirmed for d in stored.decisions)
    every_question = [q for p in MODEL.phases for q in p.questions] + [
        q for s in MODEL.steps for q in s.questions
    ]
    assert len(stored.answers) == len(every_question)
    assert {e.action for e in stored.audit} >= {"started", "focus", "step_status", "answer"}

    [export] = chat.say(ANNA, "exportera md")
    assert isinstance(export, DocumentReply)
    text = render_markdown(export.document)
    for question in every_question:
        assert f"om {question.id}" in text  # as written: no escapes in plain prose
        assert question.text.sv in text
    assert "MUCF" in text

    asked = chat.message(ANNA, "börja om")
    assert chat.stored.cycle == 1  # asked first, nothing changed yet
    assert [a.command for a in asked.actions] == ["börja om ja"]
    restarted = chat.text(ANNA, asked.actions[0].command)
    assert "Omgång 2" in restarted
    stored = chat.stored
    assert stored.cycle == 2
    assert stored.focus_step_id == MODEL.process_phases[0].steps[0].id
    assert "0/" in chat.text(OMAR, "status")  # a new round starts with open questions


def test_done_moves_the_focus_along_the_suggested_path() -> None:
    uow = FakeUnitOfWork()
    chat = Chat(make_bot(uow, FakeClock()), uow)
    chat.say(ANNA, "starta Fritid för alla")
    visited = [chat.stored.focus_step_id]
    for _ in MODEL.steps:
        guidance = chat.text(ANNA, "nästa")
        suggested = chat.stored.focus_step_id
        assert suggested is not None
        chat.say(ANNA, "klar")
        following = chat.stored.focus_step_id
        if following is not None:
            assert MODEL.step(following).title.sv in guidance  # "Därefter" named it
        visited.append(following)
    assert visited[-1] is None
    assert [v for v in visited if v] == [s.id for s in MODEL.steps]
