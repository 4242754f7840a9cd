"""Messages changed on the platform: an edit revises the answer the message gave (its earlier
wording kept), a deletion withdraws it (kept for the record, counted nowhere)."""

from __future__ import annotations

import pytest

from bot.domain import Answer, Person
from bot.replies import Message, Reaction
from tests.chat import ANNA, OMAR, Chat, started_chat
from tests.fakes import FakeClock


@pytest.fixture
def started() -> Chat:
    return started_chat()


def _only_answer(chat: Chat) -> Answer:
    [answer] = chat.stored.answers
    return answer


def test_a_typed_answer_knows_its_message_and_an_edit_revises_it(started: Chat) -> None:
    [saved] = started.say(OMAR, "svara 1: Vi har lokaler", message_ref="t1")
    assert isinstance(saved, Message)  # a typed answer is answered in words, not a reaction
    assert _only_answer(started).source_ref == "t1"
    edit = started.say(OMAR, "svara 1: Vi har två lokaler", message_ref="t1", edited=True)
    assert edit == [Reaction()]
    answer = _only_answer(started)
    assert answer.text == "Vi har två lokaler"
    assert [v.text for v in answer.history] == ["Vi har lokaler"]


def test_an_edit_whose_start_no_longer_names_the_question_keeps_all_it_says(
    started: Chat,
) -> None:
    started.say(OMAR, "fråga")
    started.say(OMAR, "svara Vi ses på tisdagar", message_ref="t1")
    question = _only_answer(started).question_id
    started.say(OMAR, "svara 3 kvällar i veckan", message_ref="t1", edited=True)
    answer = _only_answer(started)
    assert answer.question_id == question
    assert answer.text == "3 kvällar i veckan"


def test_a_deleted_reply_to_a_card_withdraws_its_answer_silently(started: Chat) -> None:
    started.say(OMAR, "fråga")
    card_ref = started.cards[-1][0]
    started.say(OMAR, "Vi har lokaler", reply_to=card_ref, message_ref="r1")
    assert started.say(OMAR, "", message_ref="r1", deleted=True) == []
    answer = _only_answer(started)
    assert answer.withdrawn
    assert answer.text == "Vi har lokaler"  # kept for the record, as with ångra
    assert started.stored.answers.in_cycle(1) == []
    assert [e.action for e in started.stored.audit][-1] == "answer_withdrawn"


def test_a_deleted_typed_answer_is_withdrawn_and_a_later_edit_changes_nothing(
    started: Chat,
) -> None:
    started.say(OMAR, "svara 1: Vi har lokaler", message_ref="t1")
    started.say(OMAR, "", message_ref="t1", deleted=True)
    assert started.say(OMAR, "svara 1: annat", message_ref="t1", edited=True) == []
    answer = _only_answer(started)
    assert answer.withdrawn and answer.text == "Vi har lokaler"


def test_a_deletion_said_to_be_by_someone_else_withdraws_nothing(started: Chat) -> None:
    started.say(OMAR, "svara 1: Vi har lokaler", message_ref="t1")
    started.say(ANNA, "", message_ref="t1", deleted=True)
    assert not _only_answer(started).withdrawn


def test_an_edit_said_to_be_by_someone_else_revises_nothing(started: Chat) -> None:
    started.say(OMAR, "svara 1: Vi har lokaler", message_ref="t1")
    assert started.say(ANNA, "svara 1: Inga lokaler", message_ref="t1", edited=True) == []
    answer = _only_answer(started)
    assert answer.text == "Vi har lokaler" and answer.history == []


def test_a_changed_message_that_was_no_answer_leaves_no_trace(started: Chat) -> None:
    stranger = Person("U-stranger", "Sigrid Okänd")
    before = started.stored
    clock = started.bot.clock
    assert isinstance(clock, FakeClock)
    clock.advance(days=3)
    assert started.say(stranger, "", message_ref="x1", deleted=True) == []
    assert started.say(stranger, "hej", message_ref="x2", edited=True) == []
    after = started.stored
    assert set(after.members) == set(before.members)  # the stranger is not made a member
    assert after.active_at == before.active_at  # nor the collaboration counted as used
    assert len(after.audit) == len(before.audit)


def test_a_deleted_reply_to_a_check_in_withdraws_each_answer_it_gave(started: Chat) -> None:
    started.bot.card_posted(started.channel, "checkin-1", "status.1")
    started.bot.card_posted(started.channel, "checkin-1", "status.2")
    assert started.stored.card_questions("checkin-1") == ["status.1", "status.2"]
    started.say(OMAR, "Det går bra", reply_to="checkin-1", message_ref="r9")
    assert [a.question_id for a in started.stored.answers] == ["status.1", "status.2"]
    started.say(OMAR, "", message_ref="r9", deleted=True)
    assert [a.withdrawn for a in started.stored.answers] == [True, True]
