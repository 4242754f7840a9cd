"""Slack failing while an event's replies go out: the event is handled again, and its replies
and reactions arrive; nothing is given up while Slack fails."""

from __future__ import annotations

import json

import pytest

from standins.slack_api import Call
from tests.e2e.slack.conftest import SlackClient
from tests.e2e.slack.test_events import _ask, _reply, _start

# The client's policy answers the first failure and RETRIES more in place; one past that
# reaches the sender.
PAST_THE_POLICY = 4


def _bodies(calls: list[Call]) -> list[str]:
    return [json.dumps(call.body, sort_keys=True, ensure_ascii=False) for call in calls]


@pytest.mark.parametrize("status", [500, 503])
def test_a_reply_slack_fails_past_its_retries_is_sent_when_the_event_is_handled_again(
    slack: SlackClient, status: int
) -> None:
    slack.slack.fail_next("chat.postMessage", status, times=PAST_THE_POLICY)
    assert slack.command("starta Läxhjälp").status_code == 200

    calls = slack.slack.wait_for("chat.postMessage", PAST_THE_POLICY + 1, timeout=30)
    bodies = _bodies(calls)
    assert len(set(bodies)) == 1 and "Läxhjälp" in bodies[-1]  # the same reply, tried on
    with slack.app.engine.connect() as connection:
        rows = connection.exec_driver_sql("SELECT count(*) FROM collaboration").scalar_one()
    assert rows == 1  # handled again, stored once


def test_a_reaction_slack_fails_past_its_retries_is_added_when_the_event_is_handled_again(
    slack: SlackClient,
) -> None:
    _start(slack)
    card = _ask(slack)
    slack.slack.fail_next("reactions.add", 500, times=PAST_THE_POLICY)
    assert (
        _reply(slack, card, "Läxhjälp två kvällar i veckan", ts="1700000100.000001").status_code
        == 200
    )

    added = slack.slack.wait_for("reactions.add", PAST_THE_POLICY + 1, timeout=30)
    assert added[-1].body["timestamp"] == "1700000100.000001"
    assert len(slack.slack.calls_to("reactions.add")) == PAST_THE_POLICY + 1
