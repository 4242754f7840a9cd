"""A record people can trust: each command does what the person meant, says what it did,
refuses what it cannot do, and can be undone."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.dates import DateFormatError, parse_date
from bot.domain import Role
from bot.map import ModelMap
from bot.replies import DocumentReply, Message, QuestionCard
from documents.markdown import render_markdown
from model_content.loader import default_model
from tests.chat import ANNA, LINA, OMAR, Chat, make_bot, started_chat
from tests.fakes import FakeClock, FakeUnitOfWork

MODEL = ModelMap(default_model())
STATUS = MODEL.step("status")


def _markdown(chat: Chat) -> str:
    """The record as the coordinator exports it, in Markdown."""
    [export] = chat.say(ANNA, "exportera md")
    assert isinstance(export, DocumentReply)
    return render_markdown(export.document)


@pytest.fixture
def started() -> Chat:
    return started_chat()


def _answers(chat: Chat) -> list[tuple[str, str]]:
    return [(a.question_id, a.text) for a in chat.stored.answers]


# -- an answer keeps every word and says where it went ------------------------------------------
def test_an_answer_that_begins_with_a_number_goes_to_the_open_question_whole(
    started: Chat,
) -> None:
    started.say(ANNA, "fråga")  # the card for question 1 of Status
    said = started.text(OMAR, "svara 3 kvällar i veckan har vi lokaler lediga")
    assert _answers(started) == [
        (STATUS.questions[0].id, "3 kvällar i veckan har vi lokaler lediga")
    ]
    assert f"”{STATUS.questions[0].text.sv}”" in said  # which question, quoted
    assert "svara 3: …" in said  # and how to file it under question 3 instead


@pytest.mark.parametrize("written", ["svara 3: Vi har lokaler", "svara fråga 3 Vi har lokaler"])
def test_a_number_that_can_only_name_a_question_names_it(started: Chat, written: str) -> None:
    started.say(ANNA, "fråga")
    said = started.text(OMAR, written)
    assert _answers(started) == [(STATUS.questions[2].id, "Vi har lokaler")]
    assert f"fråga 3 i Status: ”{STATUS.questions[2].text.sv}”" in said


def test_a_question_is_named_by_its_step_and_number_from_anywhere(started: Chat) -> None:
    target = MODEL.step("target_group")
    said = started.text(OMAR, "svara Målgrupp 2: Unga 13–16 år")
    assert _answers(started) == [(target.questions[1].id, "Unga 13–16 år")]
    assert target.questions[1].text.sv in said


def test_words_before_a_number_and_colon_that_name_no_step_are_the_answer(started: Chat) -> None:
    started.say(ANNA, "fråga")
    started.say(OMAR, "svara Vi har 2: en sal och ett kök")
    assert _answers(started) == [(STATUS.questions[0].id, "Vi har 2: en sal och ett kök")]


def test_a_question_that_does_not_exist_stores_nothing(started: Chat) -> None:
    started.say(ANNA, "fråga")
    reply = started.message(OMAR, "svara 40: något")
    assert reply.private and "40" in reply.plain_text
    assert _answers(started) == []


def test_a_person_changes_and_withdraws_their_own_answer_and_the_export_keeps_both(
    started: Chat,
) -> None:
    started.say(ANNA, "fråga")
    started.say(OMAR, "svara Vi har en sal")
    assert "ändrat" in started.text(OMAR, "ändra svar Vi har två salar")
    assert started.stored.answers[0].text == "Vi har två salar"
    assert "tillbakataget" in started.text(OMAR, "ta tillbaka svar")
    assert started.stored.answers_to(STATUS.questions[0].id) == []  # it no longer counts
    exported = _markdown(started)
    assert "Vi har två salar" in exported and "Vi har en sal" in exported
    assert "tillbakataget" in exported
    assert started.message(LINA, "ta tillbaka svar").private  # Lina has nothing to withdraw


# -- dates --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "written",
    [
        "2027-03-01",
        "2027-3-1",
        "1/3 2027",
        "1/3/2027",
        "1.3.2027",
        "1 mars 2027",
        "1:a mars 2027",
        "den 1 mars 2027",
        "1 March 2027",
        "March 1, 2027",
        "1st of March 2027",
        "1 mar. 2027",
    ],
)
def test_common_swedish_and_english_date_forms_are_read(written: str) -> None:
    assert parse_date(written) == date(2027, 3, 1)


@pytest.mark.parametrize("written", ["30 februari 2027", "i vår", "2027-13-01", "1 mars", "3/1"])
def test_a_date_that_is_not_one_whole_is_refused(written: str) -> None:
    with pytest.raises(DateFormatError):
        parse_date(written)


def test_a_review_date_written_the_swedish_way_is_set_and_not_part_of_the_text(
    started: Chat,
) -> None:
    said = started.text(ANNA, "beslut Vi hyr lokalen, följ upp 1 mars 2027")
    [decision] = started.stored.decisions
    assert (decision.text, decision.review_on) == ("Vi hyr lokalen", date(2027, 3, 1))
    assert "2027-03-01" in said


def test_a_half_understood_review_date_stores_no_decision(started: Chat) -> None:
    reply = started.message(ANNA, "beslut Vi hyr lokalen, följ upp i vår")
    assert reply.private and "i vår" in reply.plain_text
    assert started.stored.decisions == []


@pytest.mark.parametrize(
    "command",
    ["utvärdering 2020-01-01", "beslut Vi ses, följ upp 1/1 2020", "paus till 1 januari 2020"],
)
def test_a_date_in_the_past_is_refused_and_nothing_is_stored(started: Chat, command: str) -> None:
    reply = started.message(ANNA, command)
    assert reply.private and "redan varit" in reply.plain_text
    stored = started.stored
    assert stored.evaluation_on is None and stored.decisions == []
    assert stored.members[ANNA.user_id].paused_until is None


# -- far-reaching commands are asked about first ------------------------------------------------
def test_a_new_round_at_the_very_start_is_refused(started: Chat) -> None:
    said = started.text(ANNA, "börja om ja")
    assert "knappt börjat" in said and started.stored.cycle == 1


def test_a_new_round_is_asked_about_and_labelled_everywhere(started: Chat) -> None:
    started.say(ANNA, "fråga")
    started.say(OMAR, "svara Vi har lokaler")
    asked = started.message(ANNA, "börja om")
    assert started.stored.cycle == 1
    [button] = asked.actions
    assert button.command == "börja om ja"
    started.say(ANNA, button.command)
    assert started.stored.cycle == 2
    assert "omgång 2" in started.text(OMAR, "status")
    assert "omgång 2" in started.text(OMAR, "nästa")
    assert "omgång 2" in started.text(OMAR, "sammanfatta status")
    exported = _markdown(started)
    assert "2 (omgång 1–2 ingår)" in exported  # the first page says which rounds it shows
    [answer] = [line for line in exported.splitlines() if "Vi har lokaler" in line]
    byline = exported.splitlines()[exported.splitlines().index(answer) - 2]
    assert "omgång 1" in byline, byline  # every answer says its round


def test_switching_organisation_is_asked_about_first(started: Chat) -> None:
    asked = started.message(OMAR, "gå med Röda korset civilsamhälle")
    assert started.stored.members[OMAR.user_id].organisation == "Fritidsbanken"
    started.say(OMAR, asked.actions[0].command)
    assert started.stored.members[OMAR.user_id].organisation == "Röda korset"


def test_leaving_and_removing_are_asked_about_and_keep_the_record(started: Chat) -> None:
    started.say(OMAR, "svara 1: Vi har lokaler")
    asked = started.message(OMAR, "lämna")
    assert OMAR.user_id in started.stored.members
    started.say(OMAR, asked.actions[0].command)
    assert OMAR.user_id not in started.stored.members
    assert [a.author_name for a in started.stored.answers] == ["Omar"]
    started.say(LINA, "gå med Studiefrämjandet civilsamhälle")
    asked = started.message(ANNA, "ta bort @Lina")
    assert LINA.user_id in started.stored.members
    started.say(ANNA, asked.actions[0].command)
    assert LINA.user_id not in started.stored.members


# -- roles and membership -----------------------------------------------------------------------
def test_a_coordinator_made_participant_can_no_longer_steer(started: Chat) -> None:
    started.say(ANNA, "roll @Omar samordnare")
    started.say(OMAR, "roll @Anna deltagare")
    assert started.stored.members[ANNA.user_id].role is Role.PARTNER
    assert started.message(ANNA, "klar").private  # refused
    roles = started.text(OMAR, "roller")
    assert (
        "Samordnare: Omar" in roles and "Anna" not in roles.split("Samordnare:")[1].split("\n")[0]
    )
    assert [(r.user_id, r.title) for r in started.stored.roles] == [(OMAR.user_id, "samordnare")]


def test_the_last_coordinator_cannot_step_down_leave_or_be_removed(started: Chat) -> None:
    for command in ("roll @Anna deltagare", "lämna ja"):
        reply = started.message(ANNA, command)
        assert reply.private and "enda samordnaren" in reply.plain_text
    assert started.stored.members[ANNA.user_id].role is Role.COORDINATOR


def test_someone_who_never_joined_records_no_decision_and_is_listed_apart(started: Chat) -> None:
    started.say(LINA, "nästa")  # has written here, never joined
    reply = started.message(LINA, "beslut Vi ses varje vecka")
    assert reply.private and "gå med" in reply.plain_text
    assert started.stored.decisions == []
    members = started.text(ANNA, "parter")
    assert "utan organisation" not in members and "inte sagt vem de företräder: Lina" in members


# -- decisions ----------------------------------------------------------------------------------
def test_decisions_are_listed_amended_and_withdrawn_with_a_reason(started: Chat) -> None:
    started.say(OMAR, "beslut Vi lånar ut utrustning, följ upp 2027-06-01")
    assert "1, väntar" in started.text(ANNA, "nästa").replace("beslut 1 (", "1, väntar")
    started.say(OMAR, "ändra beslut 1 Vi lånar ut utrustning två dagar i veckan")
    started.say(ANNA, "bekräfta 2")
    started.say(ANNA, "beslut Lokalen bokas")
    started.say(ANNA, "ta tillbaka beslut 3 lokalen är såld")
    listed = started.text(OMAR, "besluten")
    assert "1. Vi lånar ut utrustning (tillbakataget, följs upp 2027-06-01)" in listed
    assert (
        "2. Vi lånar ut utrustning två dagar i veckan (bekräftat, följs upp 2027-06-01)" in listed
    )
    assert "3. Lokalen bokas (tillbakataget)" in listed
    exported = _markdown(started)
    assert "lokalen är såld" in exported and "ersatt av beslut 2" in exported
    assert started.message(
        LINA, "ta tillbaka beslut 2 nej"
    ).private  # neither author nor coordinator


# -- smaller things -----------------------------------------------------------------------------
def test_a_long_name_gives_an_export_file_name_any_file_system_takes(started: Chat) -> None:
    uow = FakeUnitOfWork()
    chat = Chat(make_bot(uow, FakeClock()), uow)
    chat.say(ANNA, "starta " + "Samverkan för fritid och läxhjälp " * 5)
    [export] = chat.say(ANNA, "exportera md")
    assert isinstance(export, DocumentReply)
    assert export.filename.endswith("-sv.md")
    assert len(export.filename) <= 100 and len(export.filename.encode()) <= 255


def test_the_missing_sector_is_named_as_a_sentence_names_it() -> None:
    uow = FakeUnitOfWork()
    chat = Chat(make_bot(uow, FakeClock()), uow)
    chat.say(ANNA, "starta Läxhjälp")
    chat.say(ANNA, "gå med Malmö stad offentlig")
    assert "Ingen från civilsamhället har gått med" in chat.text(ANNA, "status")
    chat.say(ANNA, "gå med Fritidsbanken civilsamhälle ja")
    assert "Ingen från offentlig sektor har gått med" in chat.text(ANNA, "status")


def test_the_models_support_is_there_once_every_step_is_done(started: Chat) -> None:
    for _ in MODEL.steps:
        started.say(ANNA, "hoppa över")
    assert started.stored.focus_step_id is None
    last = MODEL.process_phases[-1].steps[-1]
    for command in ("tips", "sammanfatta", "metod"):
        reply = started.message(OMAR, command)
        assert not reply.private and last.title.sv in reply.plain_text


def test_next_fits_a_phone_screen_with_the_rest_a_button_away(started: Chat) -> None:
    for name in ("status", "knowledge", "laws", "problem"):
        started.say(ANNA, f"gå till {name}")
        reply = started.message(ANNA, "nästa")
        assert len(reply.plain_text.splitlines()) <= 15
        assert {a.command for a in reply.actions} >= {"tips", "princip", "metod"}


def test_next_tells_a_coordinator_of_decisions_waiting_for_them(started: Chat) -> None:
    started.say(OMAR, "beslut Vi lånar ut utrustning")
    assert "bekräfta 1" in started.text(ANNA, "nästa")
    assert "bekräfta 1" not in started.text(OMAR, "nästa")


def test_a_saturday_check_in_says_it_moves_to_the_next_working_day(started: Chat) -> None:
    said = started.text(ANNA, "avstämning varje lördag 10:00")
    assert "ingen arbetsdag" in said
    assert "ingen arbetsdag" not in started.text(ANNA, "avstämning varje tisdag 10:00")


def test_a_pause_ends_early_and_reminders_show_your_own_pause() -> None:
    uow = FakeUnitOfWork()
    clock = FakeClock(datetime(2026, 12, 2, 9, 0, tzinfo=UTC))
    chat = Chat(make_bot(uow, clock), uow)
    chat.say(ANNA, "starta Läxhjälp")
    chat.say(OMAR, "paus till 20 december 2026")
    assert "2026-12-20" in chat.text(OMAR, "påminnelser")
    assert "paus slut" in chat.text(OMAR, "påminnelser")
    assert "2026-12-20" not in chat.text(ANNA, "påminnelser")
    chat.say(OMAR, "paus slut")
    assert chat.stored.members[OMAR.user_id].paused_until is None
    clock.advance(days=1)
    assert "ingen paus" in chat.text(OMAR, "paus slut")


def test_a_question_card_says_what_to_type_where_there_are_no_threads(started: Chat) -> None:
    [card] = started.say(ANNA, "fråga")
    assert isinstance(card, QuestionCard)
    assert card.typed_hint == "Svara med `svara Status 1: <text>`."
    assert [a.command for a in card.actions] == ["svara Status 1:", "fråga Status 2", "tips Status"]


def test_the_help_lists_every_command_anyone_may_give_among_everyone_s(started: Chat) -> None:
    reply = started.message(OMAR, "hjälp")
    assert isinstance(reply, Message)
    text = reply.plain_text
    everyone, coordinators = text.split("Samordnare:")
    for written in ("`språk sv|en`", "`börja om`"):
        assert written in coordinators
    for written in ("`starta <namn>`", "`exportera [pdf|md]`"):
        assert written in everyone


def test_a_name_too_long_is_refused_whole_never_cut() -> None:
    uow = FakeUnitOfWork()
    chat = Chat(make_bot(uow, FakeClock()), uow)
    reply = chat.message(ANNA, "starta " + "Läxhjälp " * 30)
    assert reply.private and "för lång" in reply.plain_text and "Inget sparades" in reply.plain_text
    assert uow.collaborations.committed == {}
    chat.say(ANNA, "starta Läxhjälp")
    chat.say(ANNA, "roll @Anna " + "kontaktperson " * 20)
    assert chat.stored.roles == []
