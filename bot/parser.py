"""Turns what a person typed into a command, in Swedish or English.

The same words work on every channel. Free text addressed to the bot ("vad händer nu?") maps to
the nearest command; anything else is an :class:`UnknownCommandError` with suggestions.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Literal

from bot import commands as c
from bot.dates import DateFormatError, parse_date
from bot.domain import Sector
from bot.errors import UnknownCommandError, UsageError
from bot.invitations import looks_like_code
from bot.map import fold

Language = Literal["sv", "en"]

# command name -> (Swedish words, English words); the first Swedish word is the canonical one.
WORDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "start": (("starta",), ("start",)),
    "next": (("nästa",), ("next",)),
    "status": (("status", "läge"), ("status",)),
    "ask": (("fråga",), ("ask", "question")),
    "answer": (("svara", "svar"), ("answer",)),
    "summary": (("sammanfatta", "sammanfattning"), ("summary", "summarize", "summarise")),
    "goto": (("gå till",), ("goto", "go to")),
    "done": (("klar", "färdig"), ("done",)),
    "skip": (("hoppa över",), ("skip",)),
    "decision": (("beslut",), ("decision", "decide")),
    "confirm": (("bekräfta",), ("confirm",)),
    "decisions": (("besluten", "alla beslut"), ("decisions",)),
    "amend_decision": (("ändra beslut",), ("amend decision", "edit decision")),
    "withdraw_decision": (("ta tillbaka beslut",), ("withdraw decision",)),
    "role": (("roll",), ("role",)),
    "roles": (("roller",), ("roles",)),
    "members": (("parter", "medlemmar"), ("members", "partners")),
    "join": (("gå med",), ("join",)),
    "leave": (("lämna",), ("leave",)),
    "remove": (("ta bort",), ("remove",)),
    "amend": (("ändra svar", "ändra mitt svar"), ("edit answer", "amend answer")),
    "withdraw": (("ta tillbaka svar", "ta tillbaka mitt svar"), ("withdraw answer",)),
    "invite": (("bjud in",), ("invite",)),
    "welcome": (("välkommen",), ("welcome",)),
    "tips": (("tips",), ("tips", "tip")),
    "methods": (("metod", "metoder"), ("methods", "method")),
    "principles": (("princip", "principer"), ("principles", "principle")),
    "help": (("hjälp",), ("help",)),
    "export": (("exportera", "export"), ("export",)),
    "map": (("karta", "kartan"), ("map",)),
    "balance": (("balans", "vilka hörs"), ("balance", "who is heard")),
    "case_number": (("diarienummer", "diarienr"), ("case number", "case_number", "casenumber")),
    "language": (("språk",), ("language",)),
    "restart": (("börja om",), ("restart",)),
    "checkin": (("avstämning",), ("checkin", "check-in")),
    "evaluation": (("utvärdering",), ("evaluation",)),
    "reminders": (("påminnelser",), ("reminders",)),
    "pause": (("paus till", "pausa till"), ("pause until", "pause")),
    "unpause": (("paus slut", "avsluta paus"), ("pause end", "end pause", "unpause")),
    # the partners' data rights
    "my_data": (("mina uppgifter", "mina data"), ("my data", "my_data")),
    "forget_me": (("radera mig", "glöm mig"), ("forget me", "forget_me", "erase me")),
    "keep_answers": (("spara svar",), ("keep answers", "keep_answers")),
}

# Phrases of free text that mean a command, matched inside the folded text.
INTENTS: tuple[tuple[str, Language, str], ...] = (
    ("vad händer nu", "sv", "next"),
    ("vad gör vi nu", "sv", "next"),
    ("vad är nästa", "sv", "next"),
    ("hur går vi vidare", "sv", "next"),
    ("nästa steg", "sv", "next"),
    ("what's next", "en", "next"),
    ("whats next", "en", "next"),
    ("what now", "en", "next"),
    ("what comes next", "en", "next"),
    ("what should we do", "en", "next"),
    ("var är vi", "sv", "status"),
    ("hur långt har vi kommit", "sv", "status"),
    ("where are we", "en", "status"),
    ("vad kan du", "sv", "help"),
    ("hur funkar", "sv", "help"),
    ("what can you do", "en", "help"),
    ("how does this work", "en", "help"),
)

SECTOR_WORDS: dict[str, Sector] = {
    "offentlig": Sector.PUBLIC,
    "offentliga": Sector.PUBLIC,
    "public": Sector.PUBLIC,
    "civilsamhälle": Sector.CIVIL_SOCIETY,
    "civilsamhället": Sector.CIVIL_SOCIETY,
    "civil society": Sector.CIVIL_SOCIETY,
    "civil_society": Sector.CIVIL_SOCIETY,
    "målgrupp": Sector.TARGET_GROUP,
    "målgruppen": Sector.TARGET_GROUP,
    "target group": Sector.TARGET_GROUP,
    "target_group": Sector.TARGET_GROUP,
    "annan": Sector.OTHER,
    "annat": Sector.OTHER,
    "other": Sector.OTHER,
}

MAX_CASE_NUMBER = 60  # "KS 2026/123", "Dnr 2026-00123 1.2.3"; a registry's numbers are short

# A decision's review date: the words that introduce it and everything after them.
_REVIEW = re.compile(
    r"[\s,;.(]*\b(?:följ(?:s)? upp|uppföljning|granska|review|follow[ -]up)\b(?:\s+(?:den|on))?"
    r"[:\s]+([^\s].*?)\)?\s*$",
    re.IGNORECASE,
)
# Words that confirm a far-reaching command, written after it: `börja om ja`.
CONFIRM_WORDS = ("ja", "yes", "bekräfta", "confirm")


@dataclass(frozen=True)
class Parsed:
    command: c.Command
    language: Language  # the language of the word the person used


def _vocabulary() -> list[tuple[str, Language, str]]:
    words: list[tuple[str, Language, str]] = []
    for name, (sv, en) in WORDS.items():
        words += [(w, "sv", name) for w in sv] + [(w, "en", name) for w in en]
    # Longest first, so that "gå till" wins over a shorter word it starts with.
    return sorted(words, key=lambda item: -len(item[0]))


VOCABULARY = _vocabulary()


def _match_word(text: str) -> tuple[str, Language, str] | None:
    folded = text.casefold()
    for word, language, name in VOCABULARY:
        if folded == word or folded.startswith(word + " "):
            return name, language, text[len(word) :].strip()
    return None


def parse(text: str) -> Parsed:
    """Parse a command line. Raises :class:`UnknownCommandError` or :class:`UsageError`."""
    stripped = text.strip().lstrip("/").strip()
    matched = _match_word(stripped)
    if matched is None:
        return _parse_free_text(stripped)
    name, language, rest = matched
    return Parsed(_build(name, rest), language)


def command_word(name: str, language: str) -> str:
    """The word a person writes for command ``name`` in ``language`` (its first one)."""
    sv, en = WORDS[name]
    return (en if language == "en" else sv)[0]


def _parse_free_text(text: str) -> Parsed:
    folded = fold(text)
    for phrase, language, name in INTENTS:
        if phrase in folded:
            return Parsed(_build(name, ""), language)
    first = folded.split(" ", 1)[0] if folded else ""
    words = {w: name for w, _, name in VOCABULARY}
    close = difflib.get_close_matches(first, list(words), n=6, cutoff=0.75)
    # The commands, not the words: a refusal names them in the language it is written in.
    raise UnknownCommandError(text, list(dict.fromkeys(words[w] for w in close))[:3])


def _build(name: str, rest: str) -> c.Command:
    simple: dict[str, c.Command] = {
        "next": c.ShowNext(),
        "status": c.ShowStatus(),
        "done": c.CompleteStep(),
        "skip": c.SkipStep(),
        "principles": c.ShowPrinciples(),
        "help": c.ShowHelp(),
        "map": c.ShowMap(),
        "balance": c.ShowBalance(),
        "welcome": c.ShowWelcome(),
        "decisions": c.ListDecisions(),
        "roles": c.ListRoles(),
        "members": c.ListMembers(),
        "unpause": c.EndPause(),
        "my_data": c.ShowMyData(),
    }
    if name in simple:
        return simple[name]
    return _BUILDERS[name](rest)


def _start(rest: str) -> c.Command:
    if not rest:
        raise UsageError("start")
    return c.StartCollaboration(rest)


# `svara 2: …`, `svara fråga 2 …`, `svara #2 …`: a number that can only name a question.
_NUMBERED = re.compile(
    r"^(?:(?:fråga|frågan|nr|nummer|question|number|no\.?)\s*|#)(\d{1,3})[\s:.)]+(.+)$"
    r"|^(\d{1,3})\s*[:.)]\s*(.+)$",
    re.DOTALL | re.IGNORECASE,
)
_QUESTION_ID = re.compile(r"^([a-z_]+\.\d+)[\s:.)]+(.+)$", re.DOTALL)
# `svara Genomför 2: …`: perhaps a question by its step and number, perhaps just text.
_QUALIFIED = re.compile(r"^([^\d:\n]{2,60}?)\s+(\d{1,3})\s*:\s*(.+)$", re.DOTALL)
# `svara 3 kvällar i veckan …`: a number that may name a question or begin the answer.
_LEADING_NUMBER = re.compile(r"^(\d{1,3})\s+(.+)$", re.DOTALL)


def _answer(rest: str) -> c.Command:
    """An answer, and the question it names if it names one (see :class:`c.SubmitAnswer`)."""
    if match := _NUMBERED.match(rest):
        number, text = (match[1], match[2]) if match[1] else (match[3], match[4])
        return c.SubmitAnswer(text, number)
    if match := _QUESTION_ID.match(rest):
        return c.SubmitAnswer(match[2], match[1])
    if match := _QUALIFIED.match(rest):
        return c.SubmitAnswer(match[3], f"{match[1].strip()} {match[2]}", written=rest)
    if match := _LEADING_NUMBER.match(rest):
        return c.SubmitAnswer(match[2], match[1], written=rest)
    return c.SubmitAnswer(rest)


def _goto(rest: str) -> c.Command:
    if not rest:
        raise UsageError("goto")
    return c.FocusStep(rest)


def _decision(rest: str) -> c.Command:
    if not rest.strip():
        return c.ListDecisions()
    review = _REVIEW.search(rest)
    if review is None:
        return c.RecordDecision(rest)
    review_on = _date(review.group(1), "decision")
    text = rest[: review.start()].strip()
    if not text:
        raise UsageError("decision")
    return c.RecordDecision(text, review_on)


def _confirm(rest: str) -> c.Command:
    number = rest.lstrip("#").strip()
    if not number.isdigit():
        raise UsageError("confirm")
    return c.ConfirmDecision(int(number))


def _role(rest: str) -> c.Command:
    parts = rest.split(None, 1)
    if len(parts) < 2:
        raise UsageError("role")
    return c.AssignRole(parts[0], parts[1].strip())


def _with_sector(rest: str) -> tuple[str, Sector] | None:
    """``"<organisation> <sector>"`` split in two; ``None`` without a sector word at the end."""
    folded = rest.casefold().rstrip(". ")
    for word in sorted(SECTOR_WORDS, key=len, reverse=True):
        if folded.endswith(word) and (len(folded) == len(word) or folded[-len(word) - 1] in " ,"):
            organisation = rest[: len(folded) - len(word)].strip(" ,")
            if organisation:
                return organisation, SECTOR_WORDS[word]
    return None


def _join(rest: str) -> c.Command:
    rest, sure = confirmed(rest)
    split = _with_sector(rest)
    if split is not None:
        return c.JoinOrganisation(*split, confirmed=sure)
    if looks_like_code(rest.strip()):
        return c.RedeemInvitation(rest.strip(), confirmed=sure)
    raise UsageError("join", rest or None)


def _restart(rest: str) -> c.Command:
    return c.RestartCycle(confirmed=confirmed(rest)[1])


def _leave(rest: str) -> c.Command:
    return c.LeaveCollaboration(confirmed=confirmed(rest)[1])


def _remove(rest: str) -> c.Command:
    rest, sure = confirmed(rest)
    if not rest.strip():
        raise UsageError("remove")
    return c.RemoveMember(rest.strip(), confirmed=sure)


def _amend(rest: str) -> c.Command:
    if not rest.strip():
        raise UsageError("amend")
    answer = _answer(rest)
    assert isinstance(answer, c.SubmitAnswer)
    if answer.written is not None:  # a number that may begin the text: the text, whole
        return c.ReviseOwnAnswer(answer.written)
    return c.ReviseOwnAnswer(answer.text, answer.question)


_NUMBER_AND_TEXT = re.compile(r"^#?(\d{1,4})[\s:.,)]+(.+)$", re.DOTALL)


def _amend_decision(rest: str) -> c.Command:
    match = _NUMBER_AND_TEXT.match(rest.strip())
    if match is None:
        raise UsageError("amend_decision")
    return c.AmendDecision(int(match[1]), match[2].strip())


def _withdraw_decision(rest: str) -> c.Command:
    match = _NUMBER_AND_TEXT.match(rest.strip())
    if match is None:
        raise UsageError("withdraw_decision")
    return c.WithdrawDecision(int(match[1]), match[2].strip())


def _withdraw(rest: str) -> c.Command:
    number = rest.strip().lstrip("#").strip()
    return c.WithdrawOwnAnswer(number or None)


def _invite(rest: str) -> c.Command:
    split = _with_sector(rest)
    if split is not None:
        return c.InviteRepresentative(*split)
    if not rest.strip(" ,."):
        raise UsageError("invite")
    return c.InviteRepresentative(rest.strip(" ,."))


def _language(rest: str) -> c.Command:
    chosen = {"sv": "sv", "svenska": "sv", "swedish": "sv", "en": "en", "engelska": "en"}
    chosen["english"] = "en"
    value = chosen.get(fold(rest))
    if value is None:
        raise UsageError("language", rest or None)
    return c.SetLanguage(value)


def _checkin(rest: str) -> c.Command:
    if not rest:
        raise UsageError("checkin")
    return c.SetCheckin(rest)


def _date(rest: str, usage: str) -> date:
    if not rest.strip():
        raise UsageError(usage)
    try:
        return parse_date(rest)
    except DateFormatError as exc:
        raise UsageError("date", rest.strip()) from exc


def _forget_me(rest: str) -> c.ForgetMe:
    """`radera mig [ja]`, and from its button `radera mig ja #<id of the person who asked>`."""
    words = rest.split()
    asked_by = words.pop()[1:] if words and words[-1].startswith("#") else None
    return c.ForgetMe(confirmed=confirmed(" ".join(words))[1], asked_by=asked_by or None)


def confirmed(rest: str) -> tuple[str, bool]:
    """``rest`` without a confirming word at its end, and whether it had one."""
    words = rest.split()
    if words and fold(words[-1]) in CONFIRM_WORDS:
        return " ".join(words[:-1]), True
    return rest, False


_SWITCH = {"av": False, "off": False, "på": True, "on": True}
# `påminnelser svar …` / `reminders answers …`: the reminders to organisations that have not
# answered, e.g. `påminnelser svar av`, `påminnelser svar efter 5 arbetsdagar`.
_ANSWER_WORDS = {"svar", "svaren", "answers", "answer", "replies"}
_JULY_WORDS = {"juli", "july"}
_AFTER_DAYS = re.compile(
    r"^(?:efter|after)?\s*(\d{1,3})\s*(?:arbetsdagar|arbetsdag|dagar|dag|working days?|"
    r"workdays?|days?)?$"
)


def _reminders(rest: str) -> c.Command:
    folded = " ".join(rest.casefold().split())
    if not folded:
        return c.ShowReminders()
    if folded in _SWITCH:
        return c.PauseReminders(not _SWITCH[folded])
    first, _, setting = folded.partition(" ")
    if first in _JULY_WORDS and setting in _SWITCH:
        return c.SetQuietJuly(quiet=not _SWITCH[setting])  # "reminders july off": a quiet July
    if first not in _ANSWER_WORDS:
        raise UsageError("reminders", rest)
    if setting in _SWITCH:
        return c.SetNonresponderReminders(enabled=_SWITCH[setting])
    days = _AFTER_DAYS.match(setting)
    if days is None:
        raise UsageError("reminders", rest)
    return c.SetNonresponderReminders(enabled=True, days=int(days.group(1)))


_EXPORT_FORMATS = {"pdf": ("pdf",), "md": ("md",), "markdown": ("md",)}


def _export(rest: str) -> c.Command:
    if not rest.strip():
        return c.ExportRecord()
    formats = _EXPORT_FORMATS.get(fold(rest))
    if formats is None:
        raise UsageError("export", rest)
    return c.ExportRecord(formats)


def _case_number(rest: str) -> c.Command:
    number = " ".join(rest.split())
    if len(number) > MAX_CASE_NUMBER:
        raise UsageError("case_number", rest)
    return c.SetCaseNumber(number)


_KEEP = {"ja": True, "yes": True, "på": True, "on": True, "nej": False, "no": False}
_KEEP |= {"av": False, "off": False}


def _keep_answers(rest: str) -> c.Command:
    keep = _KEEP.get(fold(rest))
    if keep is None:
        raise UsageError("keep_answers", rest or None)
    return c.SetKeepAnswers(keep)


_BUILDERS: dict[str, Callable[[str], c.Command]] = {
    "start": _start,
    "ask": lambda rest: c.AskQuestion(rest or None),
    "answer": _answer,
    "summary": lambda rest: c.Summarize(rest or None),
    "goto": _goto,
    "decision": _decision,
    "confirm": _confirm,
    "role": _role,
    "join": _join,
    "invite": _invite,
    "tips": lambda rest: c.ShowTips(rest or None),
    "methods": lambda rest: c.ShowMethods(rest or None),
    "language": _language,
    "checkin": _checkin,
    "evaluation": lambda rest: c.SetEvaluation(_date(rest, "evaluation")),
    "reminders": _reminders,
    "pause": lambda rest: c.PauseMember(_date(rest, "pause")),
    "restart": _restart,
    "leave": _leave,
    "remove": _remove,
    "amend": _amend,
    "withdraw": _withdraw,
    "amend_decision": _amend_decision,
    "withdraw_decision": _withdraw_decision,
    "export": _export,
    "case_number": _case_number,
    "forget_me": _forget_me,
    "keep_answers": _keep_answers,
}
