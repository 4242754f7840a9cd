"""Nudges reach a Slack channel through the platform's one sending path: through 429s and
5xx, escaped, a name's marks shown as written, the note to the coordinators for them alone."""

from __future__ import annotations

import asyncio

from bot.domain import ChannelRef, Person
from bot.incoming import Incoming
from bot.nudges import nudge_reply
from bot.replies import Message, Section
from engine.platform import Target
from tests.e2e.slack.conftest import Alone

CHANNEL = ChannelRef("slack", "T111", "C111")


def nudge(text: str) -> Message:
    """A nudge as the core builds it: a neutral message, one line a paragraph."""
    return Message((Section(None, tuple(line for line in text.splitlines() if line.strip())),))


def send(alone: Alone, target: Target, text: str) -> None:
    asyncio.run(alone.platform.send(target, [nudge(text)]))


def test_a_nudge_is_posted_once_through_a_rate_limit(alone: Alone) -> None:
    fake = alone.slack
    fake.fail_next("chat.postMessage", 429)
    fake.fail_next("chat.postMessage", 500)
    send(alone, Target(CHANNEL), "Dags för avstämning <!channel> & kaffe")
    calls = fake.calls_to("chat.postMessage")
    assert len(calls) == 3  # refused, failed, posted
    assert calls[-1].body["channel"] == "C111"
    assert calls[-1].body["text"] == "Dags för avstämning &lt;!channel&gt; &amp; kaffe"


def test_a_nudge_goes_to_the_channel_of_its_target(alone: Alone) -> None:
    send(alone, Target(ChannelRef("slack", "T1", "C9")), "Avstämning")
    assert alone.slack.calls_to("chat.postMessage")[-1].body["channel"] == "C9"
    assert alone.slack.calls_to("chat.postMessage")[-1].headers["Authorization"] == (
        "Bearer xoxb-test"
    )


def test_a_nudge_shows_a_names_marks_as_written(alone: Alone) -> None:
    fake = alone.slack
    send(alone, Target(CHANNEL), "Avstämning för *Läxhjälp* _nu_ <!here>\n\n– Vad har ni gjort?")
    [call] = fake.calls_to("chat.postMessage")
    [block] = call.body["blocks"]
    texts = [e["text"] for s in block["elements"] for e in s["elements"] if not e.get("style")]
    assert "Avstämning för *Läxhjälp* _nu_ <!here>" in texts  # literal: no bold, no ping
    assert "– Vad har ni gjort?" in texts
    assert "<!here>" not in call.body["text"]


def test_the_note_to_the_coordinators_is_shown_to_them_alone(alone: Alone) -> None:
    fake = alone.slack
    fake.gone.add("U-gone")  # left the channel: skipped, and the others still told
    channel = ChannelRef("slack", "T1", "C9")
    coordinators = ("U-anna", "U-gone", "U-omar")
    send(alone, Target(channel, only_for=coordinators), "Till samordnarna: X har inte svarat.")
    notes = fake.calls_to("chat.postEphemeral")
    assert [(c.body["channel"], c.body["user"]) for c in notes] == [
        ("C9", "U-anna"),
        ("C9", "U-gone"),
        ("C9", "U-omar"),
    ]
    assert fake.calls_to("chat.postMessage") == []  # nothing for the whole channel
    send(alone, Target(channel), "Avstämning")
    assert len(fake.calls_to("chat.postMessage")) == 1  # any other nudge is for everyone


def test_a_reply_in_a_check_ins_thread_answers_the_questions_it_asked(alone: Alone) -> None:
    person = Person("W222", "Omar")
    alone.bot.handle(Incoming(CHANNEL, person, "starta Läxhjälp"))
    asked = ("implement.1", "develop.1")
    params = {"name": "Läxhjälp", "language": "sv", "questions": " ".join(asked)}
    checkin = nudge_reply("checkin", params, alone.bot.model)
    asyncio.run(alone.platform.send(Target(CHANNEL), [checkin]))
    [call] = alone.slack.calls_to("chat.postMessage")
    ts = f"1700000000.{alone.slack.calls.index(call) + 1:06d}"
    reply = Incoming(
        CHANNEL, person, "Det går bra", message_ref="9.1", reply_to=ts, addressed=False
    )
    assert [type(r).__name__ for r in alone.bot.handle(reply)] == ["Reaction"]
    collab = alone.uow.collaborations.committed[CHANNEL]
    assert [(a.question_id, a.text) for a in collab.answers] == [
        ("implement.1", "Det går bra"),
        ("develop.1", "Det går bra"),
    ]
    edit = Incoming(CHANNEL, person, "Det går riktigt bra", message_ref="9.1", edited=True)
    alone.bot.handle(edit)
    collab = alone.uow.collaborations.committed[CHANNEL]
    assert {a.text for a in collab.answers} == {"Det går riktigt bra"}
