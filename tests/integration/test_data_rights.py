"""`mina uppgifter` and `radera mig` on SQLite and PostgreSQL: the core over the real storage.

After `radera mig`, every table of the database is read back whole and searched for the
person's name and platform id, and so are the exports (PDF and Markdown); the collaborations
go on working for everyone else.
"""

from __future__ import annotations

import io
import itertools
import json
import re
from datetime import UTC, datetime, timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import Engine, select
from sqlmodel import Session, SQLModel

from bot.domain import ChannelRef, Person
from bot.incoming import Incoming
from bot.map import ModelMap
from bot.replies import DocumentReply, Message, QuestionCard, Reply
from bot.service import Samverkansbot
from documents import attachment
from model_content.loader import default_model
from storage import SqlUnitOfWork, make_session_factory
from storage.tables import ButtonRow, OutboxRow
from tests.fakes import FakeClock

GRETA = Person("U0GRETA9", "Greta Quistgaard")
ANNA = Person("U0ANNA01", "Anna Berg")
OMAR = Person("U0OMAR01", "Omar Said")
LAXHJALP = ChannelRef("slack", "T0WORK", "C0LAXHJALP")
KOR = ChannelRef("slack", "T0WORK", "C0KOR")
PRIVATE = ChannelRef("slack", "T0WORK", "D0GRETA")
GRETA_ANSWER = "Vi behöver lokaler på kvällarna"
GRETA_KEPT = "Kören övar i Folkets hus"


class Team:
    """People writing to the core, each message a platform event with an id of its own."""

    def __init__(self, engine: Engine) -> None:
        self.clock = FakeClock(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
        factory = make_session_factory(engine)
        self.bot = Samverkansbot(
            lambda: SqlUnitOfWork(factory), self.clock, ModelMap(default_model())
        )
        self.events = itertools.count(1)

    def say(self, channel: ChannelRef, who: Person, text: str) -> list[Reply]:
        number = next(self.events)
        self.clock.advance(minutes=1)
        incoming = Incoming(
            channel, who, text, message_ref=f"{number}.0001", event_id=f"Ev{number:06d}"
        )
        replies = self.bot.handle(incoming)
        for reply in replies:
            if isinstance(reply, QuestionCard):
                self.bot.card_posted(channel, f"card{number}", reply.question_id)
        return replies

    def said(self, channel: ChannelRef, who: Person, text: str) -> str:
        replies = self.say(channel, who, text)
        assert replies and not any(
            isinstance(r, Message) and r.private and "inget sparades" in r.plain_text
            for r in replies
        ), replies
        return "\n".join(r.plain_text for r in replies)


def _setup(team: Team, engine: Engine) -> None:
    """Greta in two collaborations of one workspace: one that keeps answers as its record."""
    team.said(LAXHJALP, ANNA, "starta Läxhjälp")
    team.said(LAXHJALP, GRETA, "gå med Fritidsbanken civilsamhälle")
    team.said(LAXHJALP, ANNA, f"roll {GRETA.user_id} kontaktperson")
    team.said(LAXHJALP, GRETA, "fråga")
    team.said(LAXHJALP, GRETA, f"svara {GRETA_ANSWER}")
    team.said(LAXHJALP, GRETA, f"ändra svar {GRETA_ANSWER} och helger")
    team.said(LAXHJALP, GRETA, "beslut Vi ses första tisdagen varje månad")
    team.said(LAXHJALP, ANNA, "bekräfta 1")
    team.said(LAXHJALP, ANNA, f"svara Som {GRETA.display_name} sa: kvällar passar bäst")
    team.said(LAXHJALP, GRETA, "paus till 2027-01-10")
    team.bot.handle(  # talk in the channel, counted for `balans` without its text
        Incoming(
            LAXHJALP, GRETA, "Bra möte!", message_ref="talk.1", event_id="EvTalk", addressed=False
        )
    )
    team.said(KOR, OMAR, "starta Kör")
    team.said(KOR, OMAR, "spara svar ja")
    team.said(KOR, GRETA, "gå med Kulturskolan offentlig")
    team.said(KOR, GRETA, "fråga")
    team.said(KOR, GRETA, f"svara {GRETA_KEPT}")
    team.said(KOR, OMAR, f"roll {GRETA.user_id} samordnare")
    # Beyond the collaborations: a nudge waiting in the outbox, a button remembered.
    now = team.clock.now()
    with Session(engine) as session:
        payload = {"text": f"Påminnelse till {GRETA.display_name}", "who": GRETA.user_id}
        session.add(
            OutboxRow(
                id="nudge-1",
                collaboration_id="x",
                kind="nonresponder",
                due_slot="2026-11-24",
                platform="slack",
                workspace=LAXHJALP.workspace,
                channel=LAXHJALP.channel,
                payload=json.dumps(payload),
                created_at=now,
                available_at=now + timedelta(days=1),
            )
        )
        command = f"ta bort @{GRETA.display_name} ja"
        session.add(ButtonRow(token="tok1", command=command, remembered_at=now))
        session.commit()


def _dump(engine: Engine) -> str:
    """Every value of every table, as text."""
    parts: list[str] = []
    with engine.connect() as connection:
        for table in SQLModel.metadata.sorted_tables:
            for row in connection.execute(select(table)):
                parts.append(f"{table.name}: {row!r}")
    return "\n".join(parts)


def _files(team: Team, channel: ChannelRef, who: Person, command: str) -> dict[str, str]:
    """The files a command sends, by format, as text (the PDF's text read back by pypdf)."""
    found: dict[str, str] = {}
    for reply in team.say(channel, who, command):
        if isinstance(reply, DocumentReply):
            data = attachment(reply).data
            if reply.format == "pdf":
                pdf = PdfReader(io.BytesIO(data))
                pages = " ".join(page.extract_text() for page in pdf.pages)
                found["pdf"] = " ".join(pages.split())
            else:
                found["md"] = data.decode("utf-8")
    return found


def _mentions(text: str) -> list[str]:
    person = (GRETA.user_id, *GRETA.display_name.split())
    return [m for m in person if re.search(re.escape(m), text, re.IGNORECASE)]


def test_my_data_is_a_file_for_me_alone_with_everything_stored_about_me(engine: Engine) -> None:
    team = Team(engine)
    _setup(team, engine)
    replies = team.say(LAXHJALP, GRETA, "mina uppgifter")
    note, file = replies
    assert isinstance(note, Message) and note.private
    assert isinstance(file, DocumentReply) and file.private and file.format == "md"
    markdown = attachment(file).data.decode("utf-8")
    for stored in (
        GRETA.user_id,
        GRETA.display_name,
        "## Läxhjälp",
        "## Kör",
        "### Medlemskap och paus",
        "- **organisation:** Fritidsbanken",
        "- **paused_until:** 2027-01-10",
        "- **title:** kontaktperson",
        f"- **text:** {GRETA_ANSWER} och helger",  # the answer as it stands …
        "### Tidigare lydelser av svar",
        f"- **text:** {GRETA_ANSWER}\n",  # … and as it was first written
        "- **text:** Vi ses första tisdagen varje månad",
        f"- **text:** {GRETA_KEPT}",
        "### Antal andra meddelanden i kanalen (texten sparas inte)",
        "- **count:** 1",
        "### Händelser i loggen",
    ):
        assert stored in markdown, stored
    assert "Anna Berg" not in markdown  # what others wrote is theirs
    # In a private chat with the bot (no collaboration there), in English: the same rows.
    english = team.say(PRIVATE, GRETA, "my data")
    assert isinstance(english[1], DocumentReply) and english[1].filename.startswith("my-data-")
    assert "## Kör" in attachment(english[1]).data.decode("utf-8")


def test_forget_me_leaves_neither_name_nor_id_in_the_database_or_the_exports(
    engine: Engine,
) -> None:
    team = Team(engine)
    _setup(team, engine)
    # What she wrote, quoted in replies kept for resending: her own data, a summary, an export.
    team.say(LAXHJALP, GRETA, "mina uppgifter")
    team.say(LAXHJALP, ANNA, "sammanfatta")
    team.say(LAXHJALP, ANNA, "exportera md")
    assert GRETA_ANSWER in _dump(engine)
    assert _mentions(_dump(engine))  # the search finds her before

    asked = team.said(LAXHJALP, GRETA, "radera mig")
    assert "radera mig ja" in asked
    assert _mentions(_dump(engine))  # nothing happens before she confirms
    done = team.said(LAXHJALP, GRETA, "radera mig ja")
    assert "2 samverkan" in done

    assert _mentions(_dump(engine)) == []
    for channel, who in ((LAXHJALP, ANNA), (KOR, OMAR)):
        files = _files(team, channel, who, "exportera")
        assert set(files) == {"pdf", "md"}
        for text in files.values():
            assert _mentions(text) == [], text
    laxhjalp = _files(team, LAXHJALP, ANNA, "exportera md")["md"]
    kor = _files(team, KOR, OMAR, "exportera md")["md"]
    assert GRETA_ANSWER not in laxhjalp and "(svaret är raderat)" in laxhjalp
    assert "kvällar passar bäst" in laxhjalp  # Anna's answer stays, Greta's name in it gone
    assert GRETA_KEPT in kor and "Raderad person" in kor  # kept as the record, by a pseudonym
    dump = _dump(engine)
    assert "erased" in dump  # the audit trail says an erasure happened …
    assert "Vi behöver lokaler" not in dump  # … not what was erased

    # The collaborations go on: others answer, the next question comes, the record exports.
    team.said(LAXHJALP, ANNA, "nästa")
    team.said(LAXHJALP, ANNA, "svara Biblioteket har rum")
    team.said(KOR, OMAR, "fråga")
    assert "Biblioteket har rum" in _files(team, LAXHJALP, ANNA, "exportera md")["md"]
    members = team.said(KOR, OMAR, "parter")
    assert "Kulturskolan" not in members  # she left with her membership
    # Asked again, what is stored about her id is nothing.
    [_, file] = team.say(PRIVATE, GRETA, "mina uppgifter")
    assert isinstance(file, DocumentReply)
    assert "Inget är sparat om dig här." in attachment(file).data.decode("utf-8")


def test_the_last_coordinator_is_asked_to_hand_over_first(engine: Engine) -> None:
    team = Team(engine)
    team.said(LAXHJALP, ANNA, "starta Läxhjälp")
    team.said(LAXHJALP, GRETA, "gå med Fritidsbanken civilsamhälle")
    refused = team.said(LAXHJALP, ANNA, "radera mig ja")
    assert "enda samordnaren" in refused
    assert ANNA.user_id in _dump(engine)


@pytest.mark.parametrize("words", ["keep answers yes", "spara svar ja"])
def test_only_a_coordinator_sets_whether_answers_are_kept(engine: Engine, words: str) -> None:
    team = Team(engine)
    team.said(KOR, OMAR, "starta Kör")
    assert "bara en samordnare" in team.said(KOR, GRETA, words)
    assert "tas även dina svar bort" in team.said(KOR, GRETA, "gå med Kulturskolan offentlig")
    assert "sparas nu som organisationens dokumentation" in team.said(KOR, OMAR, words)
    joined = team.said(KOR, ANNA, "gå med Fritidsbanken civilsamhälle")
    assert "dina svar kvar under en pseudonym" in joined


def test_a_name_is_forgotten_as_a_word_of_its_own_never_inside_other_words(
    engine: Engine,
) -> None:
    team = Team(engine)
    ali = Person("U0ALI001", "Ali")
    team.said(LAXHJALP, ANNA, "starta Läxhjälp")
    team.said(LAXHJALP, ali, "gå med Fritidsbanken civilsamhälle")
    team.said(LAXHJALP, ANNA, "fråga")
    team.said(LAXHJALP, ANNA, "svara Vi vill höja kvaliteten, och Alis idé med Ali är bra")
    team.said(LAXHJALP, ali, "radera mig")
    team.said(LAXHJALP, ali, "radera mig ja")

    record = _files(team, LAXHJALP, ANNA, "exportera md")["md"]
    assert "Vi vill höja kvaliteten, och Raderad person" in record  # the word, not its letters
    assert "Alis" not in record and " Ali " not in record
    assert ali.user_id not in _dump(engine)
