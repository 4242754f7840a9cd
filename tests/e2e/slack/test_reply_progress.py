"""The replies to an event go out message by message: one Slack took is never posted again
when the event is handled again; one whose request timed out is counted as possibly sent."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from engine.metrics import REGISTRY
from standins.slack_api import FakeSlack
from tests.e2e.slack.conftest import SlackClient, served_slack
from tests.e2e.slack.test_events import _ask, _reply, _start

# The client's policy tries a call four times; six failures reach the sender, and the event
# is handled again.
PAST_THE_POLICY = 6
TIMEOUT = 1  # seconds a call to Slack may take, in these tests


def possibly_sent() -> float:
    labels = {"platform": "slack"}
    return REGISTRY.get_sample_value("samverkan_messages_possibly_sent_total", labels) or 0.0


@pytest.fixture
def impatient(tmp_path: Path, slack_server: tuple[FakeSlack, str]) -> Iterator[SlackClient]:
    """The app as in ``slack``, giving a call to Slack up after a second."""
    with served_slack(tmp_path, slack_server, slack_api_timeout=TIMEOUT) as client:
        yield client


def _posted(slack: SlackClient) -> list[str]:
    """What each message Slack posted says (its blocks), in order."""
    posted = [c for c in slack.slack.done if c.method == "chat.postMessage"]
    return [json.dumps(c.body["blocks"], ensure_ascii=False) for c in posted]


def _long_summary(slack: SlackClient) -> list[str]:
    """A summary of three messages, as it goes out when nothing fails."""
    _start(slack)
    card = _ask(slack)
    _reply(slack, card, "Ord " * 6000, ts="1700000100.000001")
    slack.slack.wait_for("reactions.add")
    before = len(_posted(slack))
    assert slack.command("sammanfatta").status_code == 200
    slack.slack.wait_until(lambda: len(_posted(slack)) >= before + 3, "chat.postMessage")
    summary = _posted(slack)[before:]
    assert len(summary) == 3 and len(set(summary)) == 3
    return summary


def test_a_summary_whose_second_message_fails_six_times_arrives_once_in_order(
    slack: SlackClient,
) -> None:
    expected = _long_summary(slack)
    before = len(_posted(slack))
    calls = len(slack.slack.calls_to("chat.postMessage"))
    slack.slack.fail_next("chat.postMessage", 500, times=PAST_THE_POLICY, after=1)
    assert slack.command("sammanfatta").status_code == 200

    slack.slack.wait_until(lambda: len(_posted(slack)) >= before + 3, "chat.postMessage", 60)
    assert _posted(slack)[before:] == expected  # each message once, in order
    tried = slack.slack.calls_to("chat.postMessage")[calls:]
    assert len(tried) == 3 + PAST_THE_POLICY  # the second was tried on, the first not again
    slack.slack.wait_until(lambda: _kept_replies(slack) == 0, "the kept replies dropped")


def _kept_replies(slack: SlackClient) -> int:
    """How many events' replies are kept; read in a transaction of its own, which on SQLite
    holds the write lock the app needs to let them go."""
    with slack.app.engine.connect() as connection:
        kept = text("SELECT count(*) FROM processed_event WHERE replies IS NOT NULL")
        return int(connection.execute(kept).scalar_one())


def test_a_message_that_hangs_past_the_time_out_is_counted_as_possibly_sent(
    impatient: SlackClient,
) -> None:
    counted = possibly_sent()
    impatient.slack.hang_next("chat.postMessage", seconds=TIMEOUT + 1.5)
    assert impatient.command("starta Läxhjälp").status_code == 200

    # Slack posted it as the call hung (it answers that one last), and again when it was
    # tried again: a copy no one could have known of.
    impatient.slack.wait_until(lambda: len(_posted(impatient)) == 2, "chat.postMessage", 30)
    first, again = _posted(impatient)
    assert first == again and "Läxhjälp" in first
    assert possibly_sent() == counted + 1


def test_a_reaction_slack_fails_with_an_ok_status_is_added_when_the_event_is_handled_again(
    slack: SlackClient,
) -> None:
    # Slack may answer its own failure with HTTP 200 and "internal_error": not a refusal of
    # the reaction, which is not given up.
    _start(slack)
    card = _ask(slack)
    slack.slack.fail_next("reactions.add", 200, error="internal_error")
    _reply(slack, card, "Läxhjälp två kvällar i veckan", ts="1700000100.000001")

    slack.slack.wait_until(
        lambda: any(c.method == "reactions.add" for c in slack.slack.done), "reactions.add", 30
    )
    added = [c for c in slack.slack.done if c.method == "reactions.add"]
    assert [c.body["timestamp"] for c in added] == ["1700000100.000001"]
    assert len(slack.slack.calls_to("reactions.add")) == 2  # refused once, then added
