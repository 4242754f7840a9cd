"""Who is heard (`balans`): answers by sector and organisation, and the quiet notes to the
coordinators that quote the model's principles and never name a person."""

from __future__ import annotations

import io

from PIL import Image

from bot.document import BalanceChart
from bot.domain import MessageKey, Person
from bot.map import ModelMap
from bot.replies import Message, PictureReply
from documents import attachment
from documents.chart_png import SERIES_FILLS, layout
from model_content.loader import default_model
from tests.chat import ANNA, LINA, OMAR, Chat, make_bot
from tests.fakes import FakeClock, FakeUnitOfWork

MODEL = ModelMap(default_model())
PRINCIPLES = {p.id: p for p in MODEL.model.principles}
SARA = Person("U-sara", "Sara")


def rgb(colour: str) -> tuple[int, int, int]:
    return (int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16))


def started(language: str = "sv") -> Chat:
    uow = FakeUnitOfWork()
    chat = Chat(make_bot(uow, FakeClock(), language), uow)
    chat.say(ANNA, "starta Läxhjälp i Rosengård")
    chat.say(ANNA, "gå med Malmö stad offentlig")
    chat.say(SARA, "gå med Malmö stad offentlig")
    chat.say(OMAR, "gå med Fritidsbanken civilsamhälle")
    chat.say(LINA, "gå med Unga i Rosengård målgrupp")
    chat.say(ANNA, "gå till problem")
    return chat


def answer(chat: Chat, who: Person, number: int, text: str = "Ett svar") -> None:
    chat.say(who, f"svara {number} {text}")


def test_the_shares_by_sector_and_organisation_with_bars() -> None:
    chat = started()
    for number, who in enumerate((ANNA, SARA, ANNA, OMAR), start=1):
        answer(chat, who, number)
    shares, chart = chat.say(OMAR, "balans")  # a partner gets the shares, and no note
    assert isinstance(shares, Message) and isinstance(chart, PictureReply)
    text = shares.plain_text
    assert "Vilka hörs? Omgång 1, 4 svar" in text
    assert "████████░░ offentlig 75 % (3 svar)" in text
    assert "██░░░░░░░░ civilsamhälle 25 % (1 svar)" in text
    assert "░░░░░░░░░░ målgrupp 0 % (0 svar)" in text
    assert "Malmö stad: 3 svar" in text and "Fritidsbanken: 1 svar" in text
    assert "Problem- och behovsformulering: offentlig 3 svar; civilsamhälle 1 svar" in text


def test_a_coordinator_is_told_quietly_when_one_sector_dominates_a_step() -> None:
    chat = started()
    for number, who in enumerate((ANNA, SARA, ANNA, SARA, LINA), start=1):
        answer(chat, who, number)
    _, _, note = chat.say(ANNA, "balans")
    assert isinstance(note, Message) and note.private
    text = note.plain_text
    assert "I steget Problem- och behovsformulering kommer 80 % av svaren från offentlig." in text
    assert PRINCIPLES["dialogue"].description.sv in text  # quoted from the model
    for person in (ANNA, SARA, LINA, OMAR):
        assert person.display_name not in text


def test_a_step_about_the_target_group_without_its_voice_is_noted() -> None:
    chat = started()
    answer(chat, ANNA, 1)
    answer(chat, OMAR, 2)
    _, _, note = chat.say(ANNA, "balans")
    assert isinstance(note, Message)
    assert (
        "frågar om målgruppen, men ingen från målgruppen har svarat eller skrivit där"
        in note.plain_text
    )
    assert PRINCIPLES["diversity"].description.sv in note.plain_text
    answer(chat, LINA, 3)
    assert len(chat.say(ANNA, "balans")) == 2  # heard now: the shares and the chart, no note


def test_one_voice_only_is_a_note_to_the_coordinator_in_status_too() -> None:
    chat = started()
    chat.say(ANNA, "gå till status")
    for number in (1, 2, 3):
        answer(chat, OMAR, number)
    status, note = chat.say(ANNA, "status")
    assert "Alla svar hittills kommer från en person" not in status.plain_text
    assert isinstance(note, Message) and note.private
    assert "Alla svar hittills kommer från en person" in note.plain_text
    assert len(chat.say(OMAR, "status")) == 1  # a partner sees no note


def test_balance_in_english_and_before_any_answer() -> None:
    chat = started("en")
    chat.say(ANNA, "language en")
    assert "No answers or messages in this round yet" in chat.text(ANNA, "balance")
    answer(chat, ANNA, 1)
    chat.say(OMAR, "We met at the library today", addressed=False)
    text = chat.text(OMAR, "balance")
    assert "Who is heard? Round 1, 1 answers, 1 message" in text
    assert "public 50 % (1 answers)" in text
    assert "civil society 50 % (0 answers, 1 message)" in text


def test_the_chart_draws_each_sectors_share_as_a_bar_segment() -> None:
    chat = started()
    for number, who in enumerate((ANNA, SARA, ANNA, OMAR), start=1):
        answer(chat, who, number)
    chat.say(ANNA, "gå till målgrupp")
    answer(chat, LINA, 1)
    _, reply, *_ = chat.say(OMAR, "balans")
    assert isinstance(reply, PictureReply) and isinstance(reply.picture, BalanceChart)
    chart = reply.picture
    assert [(b.label, b.counts) for b in chart.bars] == [
        ("Alla steg", (3, 1, 1, 0)),
        ("Problem- och behovsformulering", (3, 1, 0, 0)),
        ("Målgrupp", (0, 0, 1, 0)),
    ]
    assert "Alla steg: offentlig 3, civilsamhälle 1, målgrupp 1, annan 0" in chart.alt_text
    file = attachment(reply)
    image = Image.open(io.BytesIO(file.data)).convert("RGB")
    at = layout(chart)
    for bar, segments in zip(chart.bars, at.segments, strict=True):
        for count, box, fill in zip(bar.counts, segments, SERIES_FILLS, strict=True):
            if count:  # the segment's colour just inside its left edge, above its number
                assert image.getpixel((int(box.x) + 4, int(box.y) + 4)) == rgb(fill)
            assert (box.w > 0) == (count > 0)
    # Widths in proportion: 3 of 5 answers overall take three fifths of the bar.
    overall = at.segments[0]
    assert abs(overall[0].w / sum(b.w for b in overall) - 3 / 5) < 0.01


def talk(chat: Chat, who: Person, times: int) -> None:
    """Messages among the partners, not addressed to the bot."""
    for number in range(times):
        assert chat.say(who, f"Vi ses på torsdag ({number})", addressed=False) == []


def test_messages_in_the_channel_are_counted_by_sector_step_and_round_not_kept() -> None:
    chat = started()
    answer(chat, ANNA, 1)
    talk(chat, OMAR, 2)
    talk(chat, LINA, 1)
    shares, chart = chat.say(OMAR, "balans")
    text = shares.plain_text
    assert "Vilka hörs? Omgång 1, 1 svar, 3 meddelanden" in text
    assert "██░░░░░░░░ offentlig 25 % (1 svar)" in text
    assert "█████░░░░░ civilsamhälle 50 % (0 svar, 2 meddelanden)" in text
    assert "██░░░░░░░░ målgrupp 25 % (0 svar, 1 meddelande)" in text
    assert "Fritidsbanken: 0 svar, 2 meddelanden" in text
    assert "Problem- och behovsformulering: offentlig 1 svar; civilsamhälle 0 svar, 2 " in text
    assert isinstance(chart, PictureReply) and isinstance(chart.picture, BalanceChart)
    assert [(b.label, b.counts) for b in chart.picture.bars] == [
        ("Alla steg", (1, 2, 1, 0)),
        ("Problem- och behovsformulering", (1, 2, 1, 0)),
    ]
    stored = chat.stored
    assert sum(stored.message_counts.values()) == 3
    assert {(k.step_id, k.user_id) for k in stored.message_counts} == {
        ("problem", OMAR.user_id),
        ("problem", LINA.user_id),
    }
    assert "Vi ses på torsdag" not in repr(stored)  # counted, never kept
    chat.say(ANNA, "gå till målgrupp")
    talk(chat, OMAR, 1)
    assert chat.stored.message_counts[MessageKey(1, "target_group", OMAR.user_id)] == 1
    chat.say(ANNA, "börja om ja")
    assert "Inga svar eller meddelanden" in chat.text(OMAR, "balans")  # a new round


def test_a_step_where_one_sector_writes_most_messages_is_noted() -> None:
    chat = started()
    answer(chat, LINA, 1)
    talk(chat, ANNA, 3)
    talk(chat, SARA, 2)
    *_, note = chat.say(ANNA, "balans")
    assert isinstance(note, Message) and note.private
    text = note.plain_text
    expected = "I steget Problem- och behovsformulering kommer 100 % av meddelandena i kanalen"
    assert f"{expected} från offentlig." in text
    assert PRINCIPLES["dialogue"].description.sv in text
    assert "av svaren" not in text  # one answer is too few to dominate


def test_the_target_group_heard_by_a_message_is_heard() -> None:
    chat = started()
    answer(chat, ANNA, 1)
    answer(chat, OMAR, 2)
    assert len(chat.say(ANNA, "balans")) == 3  # the note: the target group not heard
    talk(chat, LINA, 1)
    assert len(chat.say(ANNA, "balans")) == 2


def test_talk_is_counted_without_making_its_author_a_member_or_the_collaboration_used() -> None:
    chat = started()
    before = chat.stored.active_at
    guest = Person("U-guest", "Gäst")
    assert chat.say(guest, "Hej allihop!", addressed=False) == []

    assert guest.user_id not in chat.stored.members  # not a partner, nor reminded as one
    assert chat.stored.active_at == before  # talk does not keep it from retention
    assert sum(chat.stored.message_counts.values()) == 1
    assert "Gäst" not in chat.text(ANNA, "parter")
