"""The core's behaviour through its one entry point, on in-memory fakes."""

from __future__ import annotations

from types import TracebackType

import pytest

from bot.domain import MAX_TEXT_LENGTH, ChannelRef, Collaboration, Role, StepStatus
from bot.replies import DocumentReply, Message, QuestionCard, Reaction
from documents.markdown import render_markdown
from tests.chat import ANNA, LINA, OMAR, Chat, make_bot
from tests.fakes import FakeClock, FakeCollaborationRepository, FakeUnitOfWork


@pytest.fixture
def chat() -> Chat:
    uow = FakeUnitOfWork()
    return Chat(make_bot(uow, FakeClock()), uow)


@pytest.fixture
def started(chat: Chat) -> Chat:
    chat.say(ANNA, "starta Läxhjälp i Rosengård")
    chat.say(ANNA, "gå med Malmö stad offentlig")
    chat.say(OMAR, "gå med Fritidsbanken civilsamhälle")
    return chat


def test_a_channel_without_collaboration_says_how_to_start(chat: Chat) -> None:
    reply = chat.message(OMAR, "nästa")
    assert reply.private
    assert "starta <namn>" in reply.plain_text
    assert chat.uow.collaborations.committed == {}


def test_english_word_before_start_gets_an_english_answer(chat: Chat) -> None:
    assert "Start one with" in chat.message(OMAR, "next").plain_text


def test_starting_makes_the_starter_coordinator_with_focus_on_the_first_precondition(
    chat: Chat,
) -> None:
    text = chat.text(ANNA, "starta Fritid för alla")
    assert "Fritid för alla" in text
    stored = chat.stored
    assert stored.members[ANNA.user_id].role is Role.COORDINATOR
    assert stored.focus_step_id == "status"
    assert stored.steps["status"].status is StepStatus.ACTIVE
    assert [a.action for a in stored.audit][:1] == ["started"]


def test_starting_twice_keeps_the_first(started: Chat) -> None:
    reply = started.message(OMAR, "starta Något annat")
    assert "Läxhjälp i Rosengård" in reply.plain_text
    assert started.stored.name == "Läxhjälp i Rosengård"


def test_a_partner_cannot_steer_and_is_told_who_can(started: Chat) -> None:
    reply = started.message(OMAR, "klar")
    assert reply.private
    assert "Anna" in reply.plain_text
    assert started.stored.steps["status"].status is StepStatus.ACTIVE


def test_unknown_command_suggests_and_points_to_help(started: Chat) -> None:
    text = started.message(OMAR, "sammanfata").plain_text
    assert "sammanfatta" in text
    assert "hjälp" in text


def test_unknown_step_gets_suggestions(started: Chat) -> None:
    text = started.message(ANNA, "gå till målgrup").plain_text
    assert "target_group" in text or "Målgrupp" in text


def test_free_text_maps_to_next(started: Chat) -> None:
    text = started.message(OMAR, "Vad händer nu?").plain_text
    assert "Status" in text
    assert "Hur ser vi på samverkan?" in text


def test_empty_answer_is_refused_and_nothing_stored(started: Chat) -> None:
    started.say(OMAR, "fråga")
    reply = started.message(OMAR, "svara    ")
    assert reply.private and "tomt" in reply.plain_text
    assert started.stored.answers == []


def test_over_long_answer_is_refused_and_nothing_stored(started: Chat) -> None:
    started.say(OMAR, "fråga")
    card_ref = started.cards[-1][0]
    replies = started.say(OMAR, "x" * (MAX_TEXT_LENGTH + 1), reply_to=card_ref)
    assert len(replies) == 1 and isinstance(replies[0], Message)
    assert str(MAX_TEXT_LENGTH + 1) in replies[0].plain_text
    assert started.stored.answers == []


def test_answer_without_an_asked_question_says_how(started: Chat) -> None:
    reply = started.message(OMAR, "svara Vi har lokaler")
    assert "fråga" in reply.plain_text
    assert started.stored.answers == []


def test_thread_reply_answers_the_card_and_an_edit_keeps_history(started: Chat) -> None:
    replies = started.say(OMAR, "fråga")
    card = replies[0]
    assert isinstance(card, QuestionCard)
    card_ref = started.cards[-1][0]
    ack = started.say(OMAR, "Vi har <fler> lokaler & tider", reply_to=card_ref, message_ref="r1")
    assert ack == [Reaction()]
    started.say(OMAR, "Vi har fler lokaler", reply_to=card_ref, message_ref="r1", edited=True)
    [answer] = started.stored.answers
    assert answer.question_id == card.question_id
    assert answer.organisation == "Fritidsbanken"
    assert answer.text == "Vi har fler lokaler"
    assert [v.text for v in answer.history] == ["Vi har <fler> lokaler & tider"]


def test_edit_of_a_message_that_was_no_answer_changes_nothing(started: Chat) -> None:
    before = len(started.stored.audit)
    assert started.say(OMAR, "nästa", message_ref="x1", edited=True) == []
    assert len(started.stored.audit) == before


def test_a_collaboration_is_visible_only_from_its_own_channel(started: Chat) -> None:
    other = Chat(started.bot, started.uow, channel=ChannelRef("test", "W1", "C2"))
    assert "starta" in other.message(OMAR, "status").plain_text
    other_workspace = Chat(started.bot, started.uow, channel=ChannelRef("test", "W2", "C1"))
    assert "Läxhjälp" not in other_workspace.message(OMAR, "status").plain_text


def test_a_later_phase_waits_for_the_current_one(started: Chat) -> None:
    reply = started.message(ANNA, "gå till utvärdera")
    assert reply.private
    assert "Problem- och behovsformulering" in reply.plain_text
    assert "`problem`" not in reply.plain_text and "target_group" not in reply.plain_text
    assert started.stored.focus_step_id == "status"


def test_preconditions_and_earlier_phases_are_open_any_time(started: Chat) -> None:
    started.say(ANNA, "gå till målgrupp")
    assert started.stored.focus_step_id == "target_group"
    started.say(ANNA, "gå till lagar")
    assert started.stored.focus_step_id == "laws"


def test_partner_decision_waits_for_a_coordinator(started: Chat) -> None:
    reply = started.message(OMAR, "beslut Vi ses varje månad, följ upp 2027-03-01")
    assert "bekräfta 1" in reply.plain_text
    assert [a.command for a in reply.actions] == ["bekräfta 1"]
    assert not started.stored.decisions[0].confirmed
    assert started.message(OMAR, "bekräfta 1").private
    started.say(ANNA, "bekräfta 1")
    decision = started.stored.decisions[0]
    assert decision.confirmed_by == ANNA.user_id
    assert decision.review_on is not None and decision.review_on.isoformat() == "2027-03-01"


def test_role_can_name_a_new_coordinator(started: Chat) -> None:
    started.say(ANNA, "roll @Omar samordnare")
    assert started.stored.members[OMAR.user_id].role is Role.COORDINATOR
    started.say(ANNA, "roll @Omar kontaktperson")
    assert {r.title for r in started.stored.roles} == {"samordnare", "kontaktperson"}


def test_role_for_someone_unknown_is_refused(started: Chat) -> None:
    reply = started.message(ANNA, "roll @Nobody kassör")
    assert "Nobody" in reply.plain_text and reply.private


def test_role_for_a_mentioned_person_who_never_wrote(started: Chat) -> None:
    started.say(ANNA, "roll @U-lina kassör", mentions=(LINA,))
    assert started.stored.members[LINA.user_id].display_name == "Lina"


def test_language_switch_changes_every_reply(started: Chat) -> None:
    started.say(ANNA, "språk en")
    assert "Now:" in started.message(OMAR, "next").plain_text
    assert "Every step" not in started.message(OMAR, "status").plain_text


def test_user_text_stays_data_in_the_reply(started: Chat) -> None:
    started.say(OMAR, "fråga")
    started.say(OMAR, "svara <!channel> *fet* <@U123>")
    reply = started.message(OMAR, "sammanfatta")
    section = next(s for s in reply.sections if any("<!channel>" in line for line in s.lines))
    assert section.verbatim


def test_export_is_a_pdf_and_its_markdown_twin_crediting_mucf(started: Chat) -> None:
    started.say(OMAR, "fråga")
    started.say(OMAR, "svara Vi har *lokaler*")
    pdf, markdown = started.say(ANNA, "exportera")
    assert isinstance(pdf, DocumentReply) and isinstance(markdown, DocumentReply)
    assert (pdf.format, markdown.format) == ("pdf", "md")
    # The collaboration, the time of the export on its clock, and the language.
    assert pdf.filename == "läxhjälp-i-rosengård-dokumentation-2026-11-23-100000-sv.pdf"
    assert markdown.filename == pdf.filename.removesuffix(".pdf") + ".md"
    text = render_markdown(markdown.document)
    assert "Vi har \\*lokaler\\*" in text  # a person's text never becomes markup
    assert "MUCF" in text


class ExplodingRepository(FakeCollaborationRepository):
    def save(self, collaboration: Collaboration) -> None:
        raise RuntimeError("disk full")


class ExplodingUnitOfWork(FakeUnitOfWork):
    def __init__(self, inner: FakeUnitOfWork) -> None:
        super().__init__()
        self.collaborations = ExplodingRepository()
        self.collaborations.committed = inner.collaborations.committed

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.rollback()


def test_a_failure_while_saving_leaves_nothing_half_written(started: Chat) -> None:
    broken = ExplodingUnitOfWork(started.uow)
    chat = Chat(make_bot(broken, FakeClock()), broken)
    reply = chat.message(ANNA, "klar")
    assert reply.private and "inget sparades" in reply.plain_text
    assert started.stored.steps["status"].status is StepStatus.ACTIVE


def test_a_collaboration_speaks_the_configured_language_whatever_word_started_it() -> None:
    uow = FakeUnitOfWork()
    chat = Chat(make_bot(uow, FakeClock()), uow)
    assert "har startat" in chat.text(ANNA, "start Läxhjälp")
    assert chat.stored.language == "sv"
    english_uow = FakeUnitOfWork()
    english = Chat(make_bot(english_uow, FakeClock(), language="en"), english_uow)
    assert "has started" in english.text(ANNA, "starta Homework club")
    assert english.stored.language == "en"


def test_talk_in_a_thread_that_is_no_card_is_left_alone(started: Chat) -> None:
    replies = started.say(ANNA, "klar", reply_to="some-other-thread", addressed=False)
    assert replies == []
    assert started.stored.steps["status"].status is StepStatus.ACTIVE


def test_a_reply_to_a_card_is_an_answer_even_when_not_addressed(started: Chat) -> None:
    started.say(OMAR, "fråga")
    card_ref = started.cards[-1][0]
    assert started.say(OMAR, "klar", reply_to=card_ref, addressed=False) == [Reaction()]
    assert [a.text for a in started.stored.answers] == ["klar"]


def test_a_collaboration_can_move_to_a_new_channel_but_never_onto_another(started: Chat) -> None:
    new = ChannelRef("test", "W1", "C-new")
    assert started.bot.move_channel(started.channel, new)
    assert started.channel not in started.uow.collaborations.committed
    moved = started.uow.collaborations.committed[new]
    assert moved.name == "Läxhjälp i Rosengård" and moved.audit[-1].action == "channel_moved"
    other = Chat(started.bot, started.uow, channel=ChannelRef("test", "W1", "C-other"))
    other.say(ANNA, "starta Annat")
    assert not started.bot.move_channel(other.channel, new)
    assert not started.bot.move_channel(started.channel, ChannelRef("test", "W1", "C-x"))
