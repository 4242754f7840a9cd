"""A terminal session: one channel, several people taking turns at the keyboard."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Protocol

from adapters.console.render import clean, render
from bot.domain import ChannelRef, Person
from bot.incoming import Incoming
from bot.replies import FileReply, QuestionCard, Reply
from documents import attachment
from model_content import Language


class Core(Protocol):
    def handle(self, incoming: Incoming) -> list[Reply]: ...

    def language_in(self, channel: ChannelRef) -> Language: ...

    def card_posted(self, channel: ChannelRef, message_ref: str, question_id: str) -> None: ...


SWITCH = re.compile(r"^/(?:som|as)\s+(?P<rest>.+)$", re.IGNORECASE)
QUIT = {"/avsluta", "/quit", "/exit"}

# The terminal's own words, in the channel's language (its collaboration's, else the default).
GREETING = {
    "sv": """Samverkansboten i terminalen. Du skriver som {name}.
Byt person med `/som <namn>[, <organisation>, <sektor>]`, avsluta med `/avsluta`.
Skriv `hjälp` för kommandona, eller `starta <namn>` för att börja.""",
    "en": """Samverkansboten in the terminal. You are writing as {name}.
Switch person with `/as <name>[, <organisation>, <sector>]`, leave with `/quit`.
Write `help` for the commands, or `start <name>` to begin.""",
}
NOW_WRITING = {"sv": "→ Nu skriver {name}.", "en": "→ {name} is writing now."}
JOIN = {"sv": "gå med ", "en": "join "}
NOT_SAVED = {
    "sv": "Filen kunde inte sparas i {folder} ({reason}). Inget annat påverkades.",
    "en": "The file could not be saved in {folder} ({reason}). Nothing else was affected.",
}


def person_id(name: str) -> str:
    return "console:" + re.sub(r"\W+", "-", name.casefold()).strip("-")


class ConsoleChannel:
    """Reads lines, hands them to the core as the current speaker, prints the replies."""

    def __init__(
        self,
        core: Core,
        write: Callable[[str], None],
        export_dir: Path,
        channel: ChannelRef | None = None,
        speaker: str = "Samordnare",
    ) -> None:
        self.core = core
        self.write = write
        self.export_dir = export_dir
        self.channel = channel or ChannelRef("console", "local", "terminal")
        self.speaker = Person(person_id(speaker), speaker)
        self._sent = 0

    @property
    def language(self) -> Language:
        return self.core.language_in(self.channel)

    def greet(self) -> None:
        self.write(GREETING[self.language].format(name=self.speaker.display_name))

    def run(self, lines: Iterable[str]) -> None:
        for line in lines:
            if not self.feed(line):
                return

    def feed(self, line: str) -> bool:
        """Handle one typed line; False when the person asked to leave."""
        text = line.strip()
        if not text:
            return True
        if text.casefold() in QUIT:
            return False
        switch = SWITCH.match(text)
        if switch:
            self._switch(switch.group("rest"))
        else:
            self.say(text)
        return True

    def _switch(self, rest: str) -> None:
        name, _, organisation = (part.strip() for part in rest.partition(","))
        self.speaker = Person(person_id(name), clean(name))
        self.write(NOW_WRITING[self.language].format(name=self.speaker.display_name))
        if organisation:
            self.say(JOIN[self.language] + organisation.replace(",", " "))

    def say(self, text: str) -> list[Reply]:
        """Send ``text`` as the current speaker and print what the bot answers."""
        self._sent += 1
        incoming = Incoming(self.channel, self.speaker, text, message_ref=f"m{self._sent}")
        replies = self.core.handle(incoming)
        for reply in replies:
            self._show(reply)
        return replies

    def _show(self, reply: Reply) -> None:
        if isinstance(reply, QuestionCard):
            self._sent += 1
            self.core.card_posted(self.channel, f"m{self._sent}", reply.question_id)
        if isinstance(reply, FileReply):
            file = attachment(reply)
            path = (self.export_dir / file.filename).resolve()
            try:
                self.export_dir.mkdir(parents=True, exist_ok=True)
                path.write_bytes(file.data)
            except OSError as error:  # a full disk, a folder not ours: the session goes on
                reason = error.strerror or type(error).__name__
                self.write(NOT_SAVED[self.language].format(folder=self.export_dir, reason=reason))
                return
            caption = render(reply)
            self.write(f"{caption} → {path}" if caption else f"→ {path}")
            if file.alt_text:
                self.write(clean(file.alt_text))
            return
        self.write(render(reply))
