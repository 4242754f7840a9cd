"""What the bot can do, as data: the source of `hjälp`/`help`, which the README's command
table follows (a test holds them together and to the parser's words)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

# Commands a person never types: the greeting of a private chat, ordered by the platform.
UNLISTED: Final[frozenset[str]] = frozenset({"welcome"})


@dataclass(frozen=True)
class HelpEntry:
    """One line of help: the parser's name of the command, how it is written in Swedish and in
    English, what it does in each, and whether only a coordinator may give it."""

    command: str
    sv: str
    en: str
    does_sv: str
    does_en: str
    coordinator: bool = False


HELP: Final[tuple[HelpEntry, ...]] = (
    HelpEntry(
        "start",
        "starta <namn>",
        "start <name>",
        "starta en samverkan här",
        "start a collaboration here",
    ),
    HelpEntry("next", "nästa", "next", "vad som kommer härnäst", "what comes next"),
    HelpEntry("status", "status", "status", "var ni är i modellen", "where you are in the model"),
    HelpEntry(
        "ask",
        "fråga [nr]",
        "ask [no]",
        "nästa öppna fråga som frågekort",
        "the next open question as a card",
    ),
    HelpEntry(
        "answer",
        "svara [nr:] <text>",
        "answer [no:] <text>",
        "svara på frågan som ställdes sist, eller fråga nr i steget",
        "answer the question asked last, or question no of the step",
    ),
    HelpEntry(
        "amend",
        "ändra svar <text>",
        "edit answer <text>",
        "ändra ditt senaste svar",
        "change your latest answer",
    ),
    HelpEntry(
        "withdraw",
        "ta tillbaka svar",
        "withdraw answer",
        "ta tillbaka ditt senaste svar",
        "withdraw your latest answer",
    ),
    HelpEntry(
        "summary",
        "sammanfatta [steg]",
        "summary [step]",
        "alla svar i ett steg",
        "every answer of a step",
    ),
    HelpEntry(
        "join",
        "gå med <organisation> <sektor>",
        "join <organisation> <sector>",
        "säg vem du företräder",
        "say whom you represent",
    ),
    HelpEntry(
        "join",
        "gå med <kod>",
        "join <code>",
        "gå med genom en inbjudan, även i ett privat samtal med mig",
        "join by an invitation, also in a private chat with me",
    ),
    HelpEntry("leave", "lämna", "leave", "lämna samverkan", "leave the collaboration"),
    HelpEntry(
        "members",
        "parter",
        "members",
        "parterna per organisation och sektor",
        "the partners by organisation and sector",
    ),
    HelpEntry("roles", "roller", "roles", "vem gör vad", "who does what"),
    HelpEntry(
        "decision",
        "beslut <text> [följ upp <datum>]",
        "decision <text> [review <date>]",
        "spara ett beslut",
        "record a decision",
    ),
    HelpEntry(
        "amend_decision",
        "ändra beslut <nr> <text>",
        "amend decision <no> <text>",
        "ny lydelse; det gamla finns kvar som tillbakataget (författaren eller en samordnare)",
        "a new wording; the old one stays, withdrawn (its author or a coordinator)",
    ),
    HelpEntry(
        "withdraw_decision",
        "ta tillbaka beslut <nr> <skäl>",
        "withdraw decision <no> <reason>",
        "ta tillbaka ett beslut, med skäl (författaren eller en samordnare)",
        "withdraw a decision, with the reason (its author or a coordinator)",
    ),
    HelpEntry(
        "decisions",
        "besluten",
        "decisions",
        "alla beslut och deras läge",
        "every decision and its state",
    ),
    HelpEntry("tips", "tips [steg]", "tips [step]", "modellens tips", "the model's tips"),
    HelpEntry(
        "methods", "metod [steg]", "methods [step]", "modellens metoder", "the model's methods"
    ),
    HelpEntry("principles", "princip", "principles", "de sex principerna", "the six principles"),
    HelpEntry(
        "export",
        "exportera [pdf|md]",
        "export [pdf|md]",
        "hela dokumentationen som PDF och Markdown",
        "the whole record as PDF and Markdown",
    ),
    HelpEntry(
        "map",
        "karta",
        "map",
        "modellens karta som bild: läget i varje steg",
        "the model's map as a picture: every step's state",
    ),
    HelpEntry(
        "balance",
        "balans",
        "balance",
        "vilka som hörs, per sektor och organisation",
        "who is heard, by sector and organisation",
    ),
    HelpEntry(
        "reminders", "påminnelser", "reminders", "vad som är inplanerat", "what is scheduled"
    ),
    HelpEntry(
        "pause",
        "paus till <datum>",
        "pause until <date>",
        "pausa påminnelser för dig",
        "pause reminders for yourself",
    ),
    HelpEntry("unpause", "paus slut", "pause end", "avsluta din paus", "end your pause"),
    HelpEntry("help", "hjälp", "help", "den här listan", "this list"),
    HelpEntry(
        "case_number",
        "diarienummer <nummer>",
        "case number <number>",
        "diarienumret på dokumentationens första sida",
        "the case number on the record's first page",
        True,
    ),
    HelpEntry("goto", "gå till <steg>", "goto <step>", "byt steg", "change step", True),
    HelpEntry("done", "klar", "done", "stäng steget", "close the step", True),
    HelpEntry("skip", "hoppa över", "skip", "hoppa över steget", "skip the step", True),
    HelpEntry(
        "confirm",
        "bekräfta <nr>",
        "confirm <no>",
        "bekräfta ett beslut",
        "confirm a decision",
        True,
    ),
    HelpEntry(
        "role",
        "roll @person <roll>",
        "role @person <role>",
        "ge någon en roll (samordnare, deltagare …)",
        "give someone a role (coordinator, participant …)",
        True,
    ),
    HelpEntry(
        "invite",
        "bjud in <organisation> [sektor]",
        "invite <organisation> [sector]",
        "en inbjudan till en ny representant",
        "an invitation for a new representative",
        True,
    ),
    HelpEntry(
        "remove", "ta bort @person", "remove @person", "ta bort en medlem", "remove a member", True
    ),
    HelpEntry(
        "language",
        "språk sv|en",
        "language sv|en",
        "samverkans språk",
        "the collaboration's language",
        True,
    ),
    HelpEntry(
        "checkin",
        "avstämning varje tisdag 09:00",
        "checkin every tuesday 09:00",
        "en återkommande avstämning, på arbetsdagar",
        "a recurring check-in, on working days",
        True,
    ),
    HelpEntry(
        "evaluation",
        "utvärdering <datum>",
        "evaluation <date>",
        "utvärderingen; påminnelse 14 och 2 arbetsdagar innan och på dagen",
        "the evaluation; reminders 14 and 2 working days ahead and on the day",
        True,
    ),
    HelpEntry(
        "reminders",
        "påminnelser av|på",
        "reminders off|on",
        "stoppa eller återuppta påminnelser",
        "stop or resume reminders",
        True,
    ),
    HelpEntry(
        "reminders",
        "påminnelser svar av|på",
        "reminders answers off|on",
        "påminnelser till den som inte svarat",
        "reminders to those who have not answered",
        True,
    ),
    HelpEntry(
        "reminders",
        "påminnelser juli av|på",
        "reminders july off|on",
        "en tyst juli",
        "a quiet July",
        True,
    ),
    HelpEntry(
        "restart",
        "börja om",
        "restart",
        "en ny omgång efter utvärderingen",
        "a new round after the evaluation",
        True,
    ),
    # -- the partners' data rights --
    HelpEntry(
        "my_data",
        "mina uppgifter",
        "my data",
        "allt som är sparat om dig, som en fil bara till dig",
        "everything stored about you, as a file for you alone",
    ),
    HelpEntry(
        "forget_me",
        "radera mig",
        "forget me",
        "glöm dig i varje samverkan här: namn och id blir en pseudonym",
        "forget you in every collaboration here: name and id become a pseudonym",
    ),
    HelpEntry(
        "keep_answers",
        "spara svar ja|nej",
        "keep answers yes|no",
        "spara svaren av den som glöms som dokumentationen",
        "keep the answers of someone forgotten as the record",
        True,
    ),
)


def usage(entry: HelpEntry, language: str) -> str:
    return entry.en if language == "en" else entry.sv


def help_lines(language: str, intro: str, everyone: str, coordinators: str) -> tuple[str, ...]:
    """The help as lines: ``intro``, then what anyone can do, then what coordinators can."""
    lines = [intro, everyone]
    lines += [_line(e, language) for e in HELP if not e.coordinator]
    lines.append(coordinators)
    lines += [_line(e, language) for e in HELP if e.coordinator]
    return tuple(lines)


def _line(entry: HelpEntry, language: str) -> str:
    does = entry.does_en if language == "en" else entry.does_sv
    return f"`{usage(entry, language)}` – {does}"
