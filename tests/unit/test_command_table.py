"""The README's command table, `hjälp`/`help` in both languages and the parser say the same.

Every list here is derived from the help's data and the parser's words, so a command added to
both (and to the README) fits in without touching this test.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from adapters.telegram.translate import COMMANDS, HIDDEN_COMMANDS
from bot.help import HELP, UNLISTED, HelpEntry
from bot.parser import VOCABULARY, WORDS
from bot.replies import Message
from tests.chat import ANNA, Chat, make_bot
from tests.fakes import FakeClock, FakeUnitOfWork

README = Path(__file__).resolve().parents[2] / "README.md"
ROW = re.compile(r"^\| `(?P<sv>.+?)` \| `(?P<en>.+?)` \| (?P<who>anyone|coordinator) \| .+ \|$")


def _readme_rows() -> list[tuple[str, str, bool]]:
    text = README.read_text(encoding="utf-8")
    table = text.split("## Commands", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in table.splitlines():
        if match := ROW.match(line):
            sv, en = (match[k].replace("\\|", "|") for k in ("sv", "en"))
            rows.append((sv, en, match["who"] == "coordinator"))
    return rows


def _command_of(written: str) -> tuple[str, str] | None:
    """The parser's command for how a command is written in the help, and its word."""
    folded = written.casefold()
    for word, _, name in VOCABULARY:  # longest first, as the parser reads
        if folded == word or folded.startswith(word + " "):
            return name, word
    return None


def _help(language: str) -> list[str]:
    uow = FakeUnitOfWork()
    chat = Chat(make_bot(uow, FakeClock(), language), uow)
    reply = chat.say(ANNA, "hjälp" if language == "sv" else "help")[0]
    assert isinstance(reply, Message)
    return [line for s in reply.sections for line in s.lines]


def test_the_readme_table_is_the_help() -> None:
    assert _readme_rows() == [(e.sv, e.en, e.coordinator) for e in HELP]


@pytest.mark.parametrize("entry", HELP, ids=lambda e: e.en)
def test_each_help_line_is_read_by_the_parser_as_its_command(entry: HelpEntry) -> None:
    sv_words, en_words = WORDS[entry.command]
    for written, words in ((entry.sv, sv_words), (entry.en, en_words)):
        found = _command_of(written)
        assert found is not None and found[0] == entry.command, written
        assert found[1] in words, written  # a word of the line's own language


def test_every_command_the_parser_knows_is_in_the_help() -> None:
    assert set(WORDS) - UNLISTED == {e.command for e in HELP}


@pytest.mark.parametrize("language", ["sv", "en"])
def test_help_says_every_line_in_its_language_split_by_who_may(language: str) -> None:
    lines = _help(language)
    header = "Samordnare:" if language == "sv" else "Coordinators:"
    split = lines.index(header)
    everyone, coordinators = lines[:split], lines[split:]
    for entry in HELP:
        written = f"`{entry.en if language == 'en' else entry.sv}`"
        where = coordinators if entry.coordinator else everyone
        assert any(line.startswith(written) for line in where), written


def test_every_telegram_command_begins_a_word_the_parser_reads_in_english() -> None:
    english = [word for word, language, _ in VOCABULARY if language == "en"]
    for name in (*COMMANDS, *HIDDEN_COMMANDS):
        assert any(w == name or w.startswith(name + " ") for w in english), name
