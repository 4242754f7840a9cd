"""The person's overview (App Home): their collaborations only, what is open for them."""

from __future__ import annotations

from bot.domain import ChannelRef, Person
from bot.home import Home
from tests.chat import ANNA, LINA, OMAR, Chat, make_bot
from tests.fakes import FakeClock, FakeUnitOfWork

PLATFORM, WORKSPACE = "test", "W1"


def _chat(uow: FakeUnitOfWork, channel: str, language: str = "sv") -> Chat:
    return Chat(make_bot(uow, FakeClock(), language), uow, ChannelRef(PLATFORM, WORKSPACE, channel))


def _text(home: Home) -> str:
    parts = [home.title]
    for entry in home.entries:
        parts += [entry.message.title or "", entry.message.plain_text]
    if home.empty is not None:
        parts.append(home.empty.plain_text)
    return "\n".join(parts)


def test_only_the_collaborations_the_person_is_a_member_of_are_listed() -> None:
    uow = FakeUnitOfWork()
    mine, theirs = _chat(uow, "C1"), _chat(uow, "C2")
    mine.say(ANNA, "starta Läxhjälp")
    mine.say(OMAR, "gå med Fritidsbanken civilsamhälle")
    theirs.say(LINA, "starta Hemligt projekt")
    elsewhere = Chat(mine.bot, uow, ChannelRef(PLATFORM, "W2", "C1"))
    elsewhere.say(OMAR, "starta Annan arbetsyta")

    home = mine.bot.home(PLATFORM, WORKSPACE, OMAR.user_id)

    assert [e.message.title for e in home.entries] == ["Läxhjälp"]
    assert home.entries[0].channel == mine.channel
    assert "Hemligt projekt" not in _text(home)
    assert "Annan arbetsyta" not in _text(home)
    assert [e.message.title for e in mine.bot.home(PLATFORM, WORKSPACE, LINA.user_id).entries] == [
        "Hemligt projekt"
    ]


def test_an_entry_shows_phase_focus_step_role_and_what_is_open_for_the_person() -> None:
    uow = FakeUnitOfWork()
    chat = _chat(uow, "C1")
    chat.say(ANNA, "starta Läxhjälp")
    chat.say(OMAR, "gå med Fritidsbanken civilsamhälle")
    chat.say(OMAR, "beslut Vi ses varje tisdag")
    step = chat.bot.model.first_step
    questions = chat.bot.model.questions_in_focus(step)

    [entry] = chat.bot.home(PLATFORM, WORKSPACE, OMAR.user_id).entries
    shown = entry.message.plain_text
    phase = chat.bot.model.phase_of(step.id)
    assert f"Fas: {phase.title.sv} · Steg i fokus: {step.title.sv}" in shown
    assert "Du: samverkanspart · Fritidsbanken (civilsamhälle)" in shown
    assert f"som Fritidsbanken inte har svarat på ({len(questions)})" in shown
    assert questions[0].text.sv in shown
    assert "1. Vi ses varje tisdag" in shown
    assert "bekräfta <nr>" not in shown  # only a coordinator can confirm

    [coordinator] = chat.bot.home(PLATFORM, WORKSPACE, ANNA.user_id).entries
    assert "Du: samordnare" in coordinator.message.plain_text
    assert "bekräfta <nr>" in coordinator.message.plain_text


def test_a_question_a_colleague_of_the_same_organisation_answered_is_no_longer_open() -> None:
    uow = FakeUnitOfWork()
    chat = _chat(uow, "C1")
    chat.say(ANNA, "starta Läxhjälp")
    chat.say(OMAR, "gå med Fritidsbanken civilsamhälle")
    chat.say(LINA, "gå med Fritidsbanken civilsamhälle")
    chat.say(ANNA, "fråga")
    card_ref, card = chat.cards[-1]
    question = chat.bot.model.question(card.question_id)
    assert question is not None
    before = chat.bot.home(PLATFORM, WORKSPACE, OMAR.user_id).entries[0].message.plain_text
    assert question.question.text.sv in before

    chat.say(LINA, "Vi har lokaler på kvällarna", reply_to=card_ref)

    after = chat.bot.home(PLATFORM, WORKSPACE, OMAR.user_id).entries[0].message.plain_text
    assert question.question.text.sv not in after
    anna = chat.bot.home(PLATFORM, WORKSPACE, ANNA.user_id).entries[0].message.plain_text
    assert question.question.text.sv in anna  # Anna's organisation has not answered it


def test_each_collaboration_is_described_in_its_own_language() -> None:
    uow = FakeUnitOfWork()
    swedish, english = _chat(uow, "C1"), _chat(uow, "C2", language="en")
    swedish.say(ANNA, "starta Läxhjälp")
    english.say(ANNA, "start Homework club")

    home = swedish.bot.home(PLATFORM, WORKSPACE, ANNA.user_id)

    by_name = {e.message.title: e.message.plain_text for e in home.entries}
    assert "Du: samordnare" in by_name["Läxhjälp"]
    assert "You: coordinator" in by_name["Homework club"]
    assert "Phase:" in by_name["Homework club"] and "Fas:" not in by_name["Homework club"]


def test_someone_in_no_collaboration_is_told_how_to_start_or_join() -> None:
    uow = FakeUnitOfWork()
    chat = _chat(uow, "C1")
    chat.say(ANNA, "starta Läxhjälp")

    home = chat.bot.home(PLATFORM, WORKSPACE, Person("U-new", "Ny").user_id)

    assert home.entries == ()
    assert home.empty is not None
    assert "/samverkan starta <namn>" in home.empty.plain_text
    assert "samordnare" in home.empty.plain_text


def test_an_entry_shows_the_map_with_every_steps_mark() -> None:
    uow = FakeUnitOfWork()
    chat = _chat(uow, "C1")
    chat.say(ANNA, "starta Läxhjälp")
    chat.say(ANNA, "klar")
    chat.say(ANNA, "gå till målgrupp")
    chat.say(ANNA, "hoppa över")
    [entry] = chat.bot.home(PLATFORM, WORKSPACE, ANNA.user_id).entries
    [section] = [s for s in entry.message.sections if s.heading == "Kartan, omgång 1"]
    assert section.lines[0] == (
        "Förutsättningar för offentliga aktörer: "
        "✓ Status · ◐ Kunskap · ○ Lagar och styrande dokument"
    )  # Kunskap was in focus once: started
    assert "– Målgrupp" in section.lines[1]
    assert sum(line.count("●") for line in section.lines) == 1  # one step in focus
    assert len(section.lines) == 4  # the preconditions and the three phases
    # The same map to draw, in the place of the text where a platform can show a picture.
    assert entry.map == section and entry.picture is not None
    states = {tile.step_id: tile.state for row in entry.picture.rows for tile in row.tiles}
    assert (states["status"], states["knowledge"], states["target_group"]) == (
        "done",
        "started",
        "skipped",
    )
    assert entry.picture.alt_text.startswith("Karta över ”Läxhjälp”")
