"""The Slack platform's one retry policy, tested once, on the one sending path that replies
and nudges share: what is retried in place, and what the caller is told afterwards."""

from __future__ import annotations

import asyncio

import pytest

from adapters.slack import SlackSettings, slack_platform
from adapters.slack.policy import UNREACHABLE
from bot.domain import ChannelRef
from bot.replies import Message, Section
from engine.platform import RetryLaterError, SendError, Target, UnreachableError
from standins.serving import free_port
from tests.e2e.slack.conftest import Alone

CHANNEL = Target(ChannelRef("slack", "T111", "C111"))
HELLO = Message((Section(None, ("Hej",)),))


def send(alone: Alone, target: Target = CHANNEL) -> None:
    asyncio.run(alone.platform.send(target, [HELLO]))


def test_server_errors_are_retried_until_slack_takes_the_message(alone: Alone) -> None:
    alone.slack.fail_next("chat.postMessage", 502)
    alone.slack.fail_next("chat.postMessage", 503)
    send(alone)
    assert len(alone.slack.calls_to("chat.postMessage")) == 3


def test_a_short_rate_limit_is_waited_out_in_place(alone: Alone) -> None:
    alone.slack.fail_next("chat.postMessage", 429, retry_after=1)
    send(alone)
    first, again = alone.slack.calls_to("chat.postMessage")
    assert first.body == again.body


def test_a_long_rate_limit_is_the_callers_to_wait_out(alone: Alone) -> None:
    alone.slack.fail_next("chat.postMessage", 429, retry_after=30)
    with pytest.raises(RetryLaterError) as raised:
        send(alone)
    assert raised.value.retry_after == 30
    assert len(alone.slack.calls_to("chat.postMessage")) == 1  # not tried again here


def test_a_rate_limit_that_outlasts_the_retries_asks_to_retry_later(alone: Alone) -> None:
    alone.slack.fail_next("chat.postMessage", 429, times=4)
    with pytest.raises(RetryLaterError) as raised:
        send(alone)
    assert raised.value.retry_after == 1
    assert len(alone.slack.calls_to("chat.postMessage")) == 4  # the first and three retries


@pytest.mark.parametrize("reason", sorted(UNREACHABLE))
def test_a_channel_out_of_reach_is_unreachable(alone: Alone, reason: str) -> None:
    alone.slack.fail_next("chat.postMessage", 200, error=reason)
    with pytest.raises(UnreachableError, match=reason):
        send(alone)
    assert len(alone.slack.calls_to("chat.postMessage")) == 1  # no retry changes that


@pytest.mark.parametrize(("status", "times", "reason"), [(200, 1, "invalid_blocks"), (500, 4, "")])
def test_any_other_refusal_is_a_send_error_to_retry_with_back_off(
    alone: Alone, status: int, times: int, reason: str
) -> None:
    alone.slack.fail_next("chat.postMessage", status, times, error=reason or None)
    with pytest.raises(SendError) as raised:
        send(alone)
    assert type(raised.value) is SendError


def test_a_slack_that_cannot_be_reached_is_a_send_error(alone: Alone) -> None:
    nobody = f"http://127.0.0.1:{free_port()}/"  # a port no one listens on
    settings = SlackSettings(bot_token="xoxb-test", api_url=nobody)
    nowhere = slack_platform(settings, alone.surroundings)
    with pytest.raises(SendError):
        asyncio.run(nowhere.send(CHANNEL, [HELLO]))


def test_only_for_is_ephemeral_to_each_of_them_in_order(alone: Alone) -> None:
    target = Target(CHANNEL.channel, only_for=("U1", "U2"))
    asyncio.run(alone.platform.send(target, [HELLO, HELLO]))
    notes = alone.slack.calls_to("chat.postEphemeral")
    assert [c.body["user"] for c in notes] == ["U1", "U2", "U1", "U2"]
    assert alone.slack.calls_to("chat.postMessage") == []
