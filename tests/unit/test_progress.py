"""The progress of an event's replies: each message once, recorded before the next."""

from __future__ import annotations

import asyncio

import pytest

from bot.domain import ChannelRef, Person
from bot.incoming import Incoming
from bot.ports import StorageUnavailableError
from bot.replies import Answer, Reaction
from engine import platform
from engine.platform import Progress

CHANNEL = ChannelRef("slack", "T1", "C1")


class Recorder:
    """The part of the core progress is recorded with; fails the first ``failures`` calls."""

    def __init__(self, failures: int = 0) -> None:
        self.recorded: list[int | None] = []
        self.failures = failures

    def replies_sent(self, platform: str, event_id: str, sent: int | None) -> None:
        if self.failures:
            self.failures -= 1
            raise StorageUnavailableError("connection lost")
        self.recorded.append(sent)


def progress_of(recorder: Recorder, done: int = 0) -> Progress:
    return Progress(recorder, "slack", "Ev1", done)  # type: ignore[arg-type]


async def send_three(progress: Progress, sent: list[str], fail_at: str | None = None) -> None:
    for name in ("a", "b", "c"):

        async def send(name: str = name) -> str:
            if name == fail_at:
                raise RuntimeError("the platform failed")
            sent.append(name)
            return name

        await progress.once(send)
    await progress.finish()


def test_each_message_is_recorded_before_the_next_and_all_at_the_end() -> None:
    recorder, sent = Recorder(), list[str]()
    asyncio.run(send_three(progress_of(recorder), sent))
    assert sent == ["a", "b", "c"]
    assert recorder.recorded == [1, 2, None]  # the last is recorded by finishing


def test_handled_again_only_what_did_not_go_out_is_sent() -> None:
    recorder, sent = Recorder(), list[str]()
    with pytest.raises(RuntimeError):
        asyncio.run(send_three(progress_of(recorder), sent, fail_at="b"))
    assert sent == ["a"] and recorder.recorded == [1]

    asyncio.run(send_three(progress_of(recorder, done=recorder.recorded[-1] or 0), sent))
    assert sent == ["a", "b", "c"]


def test_a_reply_sent_again_in_place_skips_its_messages_that_went_out() -> None:
    recorder, sent = Recorder(), list[str]()

    async def twice() -> None:
        progress = progress_of(recorder)
        mark = progress.mark()
        with pytest.raises(RuntimeError):
            await send_three(progress, sent, fail_at="c")
        progress.rewind(mark)
        await send_three(progress, sent)

    asyncio.run(twice())
    assert sent == ["a", "b", "c"]


def test_a_record_the_store_fails_for_a_moment_is_tried_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(platform, "RECORD_DELAY", 0.0)
    recorder, sent = Recorder(failures=2), list[str]()
    asyncio.run(send_three(progress_of(recorder), sent))
    assert recorder.recorded == [1, 2, None]


def test_without_an_event_id_or_replies_nothing_is_recorded() -> None:
    recorder, sent = Recorder(), list[str]()
    incoming = Incoming(CHANNEL, Person("U1", "Anna"), "hej")
    asyncio.run(send_three(Progress.of(recorder, incoming, Answer([Reaction()])), sent))  # type: ignore[arg-type]
    with_id = Incoming(CHANNEL, Person("U1", "Anna"), "hej", event_id="Ev2")
    asyncio.run(send_three(Progress.of(recorder, with_id, Answer([])), sent))  # type: ignore[arg-type]
    assert sent == ["a", "b", "c"] * 2 and recorder.recorded == []


async def react_then(progress: Progress, sent: list[str], *messages: str) -> None:
    """A reaction (repeatable), then ``messages``, then finished."""

    async def react() -> None:
        sent.append("✅")

    await progress.once(react, repeatable=True)
    for message in messages:

        async def send(message: str = message) -> None:
            sent.append(message)

        await progress.once(send)
    await progress.finish()


def test_a_kept_event_leaves_the_last_record_to_the_inbox_when_it_may_be_repeated() -> None:
    recorder, sent = Recorder(), list[str]()
    kept = Progress(recorder, "slack", "Ev1", kept=True)  # type: ignore[arg-type]
    asyncio.run(react_then(kept, sent))
    assert sent == ["✅"] and recorder.recorded == []  # the inbox lets the replies go

    # A message after the reaction would go out twice if handled again: finishing records.
    kept = Progress(recorder, "slack", "Ev2", kept=True)  # type: ignore[arg-type]
    asyncio.run(react_then(kept, sent, "a"))
    assert recorder.recorded == [1, None]

    # A reaction after a recorded message: only the reaction would be repeated.
    kept = Progress(recorder, "slack", "Ev3", kept=True)  # type: ignore[arg-type]

    async def message_then_reaction() -> None:
        async def send() -> None:
            sent.append("b")

        async def react() -> None:
            sent.append("✅")

        await kept.once(send)
        await kept.once(react, repeatable=True)
        await kept.finish()

    recorder.recorded.clear()
    asyncio.run(message_then_reaction())
    assert recorder.recorded == [1]  # before the reaction; not at the end

    # An event not handed over by the inbox (Socket Mode) records to the end.
    recorder.recorded.clear()
    asyncio.run(react_then(progress_of(recorder), sent))
    assert recorder.recorded == [None]
