"""The record as the core builds it: what a document holds, in the collaboration's language,
and the commands that ask for it (`exportera`, `karta`, `diarienummer`)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.document import AnswerBlock, Facts, Figure, Heading, Items, Paragraph, QuestionBlock
from bot.domain import SentNudge
from bot.map import ModelMap
from bot.replies import Message
from documents.markdown import render_markdown
from model_content.loader import default_model
from tests.chat import ANNA, LINA, OMAR, Chat, make_bot
from tests.fakes import FakeClock, FakeUnitOfWork
from tests.record_scenario import (
    CONFIRMED,
    EDITED,
    FIRST,
    PROPOSED,
    SECOND,
    export_of,
    map_picture,
    record_chat,
)

MODEL = ModelMap(default_model())


@pytest.fixture(scope="module")
def chat() -> Chat:
    return record_chat()


def test_the_first_page_holds_the_facts_an_archive_asks_for(chat: Chat) -> None:
    blocks = export_of(chat).document.blocks
    assert blocks[0] == Heading("Läxhjälp i Rosengård", 1)
    facts = next(b for b in blocks if isinstance(b, Facts))
    assert {f.label: f.value for f in facts.rows} == {
        "Diarienummer": "KS 2026/123",
        "Exporterad": "2026-11-24 kl. 10:00 (Europe/Stockholm)",
        "Period": "2026-11-23 – 2026-11-24",
        "Omgång": "1",
        "Samordnare": "Anna (Malmö stad)",
        "Utvärdering": "2027-06-01",
    }
    partners = blocks[blocks.index(Heading("Parter", 2)) + 1]
    assert partners.items == (  # type: ignore[union-attr]
        "Fritidsbanken (civilsamhälle): Omar",
        "Malmö stad (offentlig): Anna",
    )


def test_every_question_of_the_model_is_quoted_verbatim_in_order(chat: Chat) -> None:
    blocks = export_of(chat).document.blocks
    quoted = [b.text for b in blocks if isinstance(b, QuestionBlock)]
    model_order = [
        q.text.sv
        for p in MODEL.phases
        for q in (*p.questions, *(q for s in p.steps for q in s.questions))
    ]
    assert sorted(quoted) == sorted(model_order)
    assert len(quoted) == len(model_order)


def test_an_answer_stands_under_its_question_with_who_when_and_what_it_said_before(
    chat: Chat,
) -> None:
    blocks = list(export_of(chat).document.blocks)
    first_question = MODEL.step("status").questions[0].text.sv
    answer = blocks[blocks.index(QuestionBlock(first_question)) + 1]
    assert isinstance(answer, AnswerBlock)
    assert answer.byline == "Omar, Fritidsbanken · 2026-11-24"
    assert answer.text == EDITED
    assert answer.earlier_label == "Tidigare versioner"
    assert [(v.byline, v.text) for v in answer.earlier] == [("2026-11-23", FIRST)]
    second = [b for b in blocks if isinstance(b, AnswerBlock) and b.text == SECOND]
    assert second and second[0].earlier == ()


def test_decisions_say_who_proposed_and_who_confirmed_them(chat: Chat) -> None:
    blocks = export_of(chat).document.blocks
    texts = [b.text for b in blocks if isinstance(b, Paragraph | Heading)]
    assert texts[texts.index("Beslut 1") + 1] == CONFIRMED
    first = texts.index(CONFIRMED)
    assert texts[first + 1] == (
        "Föreslaget av Omar (Fritidsbanken) 2026-11-24 · bekräftat av Anna (Malmö stad) "
        "2026-11-24 · följs upp 2027-01-10"
    )
    assert texts[texts.index("Beslut 2") + 1] == PROPOSED
    second = texts.index(PROPOSED)
    assert texts[second + 1] == "Föreslaget av Omar (Fritidsbanken) 2026-11-24 · ej bekräftat"


def test_roles_check_ins_and_the_evaluation_are_in_the_record(chat: Chat) -> None:
    blocks = export_of(chat).document.blocks
    items = [i for b in blocks if isinstance(b, Items) for i in b.items]
    assert "Omar (Fritidsbanken): kontaktperson, sedan 2026-11-24" in items
    assert "Återkommande avstämning; nästa: 2026-12-01 09:00." in items  # a Tuesday
    assert any(i.startswith("Utvärdering 2027-06-01.") for i in items)


def test_the_record_carries_the_map_and_the_credit(chat: Chat) -> None:
    document = export_of(chat).document
    [figure] = [b for b in document.blocks if isinstance(b, Figure)]
    assert figure.picture.title == "Läxhjälp i Rosengård"
    assert "MUCF" in document.credit and "https://www.mucf.se/" in document.credit
    assert document.page_label == "Sida {page} av {pages}"


def test_the_record_is_in_the_collaborations_language() -> None:
    english = record_chat("en")
    document = export_of(english).document
    facts = next(b for b in document.blocks if isinstance(b, Facts))
    labels = [f.label for f in facts.rows]
    assert labels[:2] == ["Case number", "Exported"]
    questions = [b.text for b in document.blocks if isinstance(b, QuestionBlock)]
    assert MODEL.step("status").questions[0].text.en in questions
    assert export_of(english).filename.endswith("-en.pdf")
    assert document.page_label == "Page {page} of {pages}"


def test_each_export_has_a_name_of_its_own(chat: Chat) -> None:
    first = export_of(chat, "md").filename
    chat.bot.clock.advance(seconds=1)  # type: ignore[attr-defined]
    assert export_of(chat, "md").filename != first


def test_the_map_shows_each_steps_state_and_answers(chat: Chat) -> None:
    picture = map_picture(chat)
    tiles = {t.step_id: t for row in picture.rows for t in row.tiles}
    assert [len(row.tiles) for row in picture.rows] == [3, 3, 3, 3]
    assert tiles["status"].state == "done" and tiles["status"].answered == 2
    assert tiles["knowledge"].state == "focus"
    assert tiles["problem"].state == "untouched"
    assert picture.subtitle == "Omgång 1"
    assert "Status: klart, 2 av 14 frågor besvarade" in picture.alt_text


def test_only_a_coordinator_sets_the_case_number_and_it_can_be_removed() -> None:
    chat = record_chat()
    refused = chat.text(OMAR, "diarienummer KS 2026/999")
    assert "Det här kan bara en samordnare göra" in refused
    assert chat.stored.case_number == "KS 2026/123"
    assert "borttaget" in chat.text(ANNA, "diarienummer")
    assert chat.stored.case_number is None
    too_long = chat.text(ANNA, "diarienummer " + "1" * 61)
    assert "högst 60 tecken" in too_long


def test_an_unknown_export_format_gets_a_kind_answer() -> None:
    chat = record_chat()
    [reply] = chat.say(LINA, "exportera docx")
    assert isinstance(reply, Message)
    assert "`exportera pdf`" in reply.plain_text


def test_the_check_ins_and_reminders_that_went_out_are_listed() -> None:
    chat = record_chat()
    nothing = export_of(chat).document.blocks
    assert (
        Paragraph(
            "Inga avstämningar eller påminnelser har gått ut de senaste 30 dagarna.", quiet=True
        )
        in nothing
    )
    sent = [
        SentNudge("checkin", datetime(2026, 11, 17, 8, 0, tzinfo=UTC)),
        SentNudge("review", datetime(2026, 11, 20, 8, 0, tzinfo=UTC)),
    ]
    chat.uow.collaborations.sent[chat.stored.id] = sent
    blocks = export_of(chat).document.blocks
    heading = blocks.index(Heading("Utskickat", 2))
    listed = blocks[heading + 2]
    assert isinstance(listed, Items)
    assert listed.items == (  # on the collaboration's clock
        "2026-11-17 09:00 · avstämning",
        "2026-11-20 09:00 · påminnelse om uppföljning av beslut",
    )


def test_the_record_says_what_became_of_a_decision_after_its_review_date() -> None:
    uow, clock = FakeUnitOfWork(), FakeClock()
    chat = Chat(make_bot(uow, clock), uow)
    chat.say(ANNA, "starta Läxhjälp")
    chat.say(ANNA, "gå med Malmö stad offentlig")
    chat.say(ANNA, "beslut Vi lånar ut lokalen följ upp 2027-01-15")
    chat.say(ANNA, "beslut Vi startar en läxklubb följ upp 2027-01-15")
    chat.say(ANNA, "ta tillbaka beslut 2 kommunen tog över den")
    clock.advance(days=60)  # past the review date

    exported = render_markdown(export_of(chat, "md").document)

    stands = "skulle följas upp 2027-01-15; det står kvar, varken ändrat eller tillbakataget"
    first, second = exported.split("Beslut 2")
    assert stands in first.split("Beslut 1")[1]
    assert "kommunen tog över den" in second and "skulle följas upp 2027-01-15" in second
    assert stands not in second
