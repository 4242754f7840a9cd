"""The stand-in Web API's rate limit on chat.postMessage, switched on for the scale benchmark:
about one message a second per channel and token, short bursts allowed, and past it a 429
with a Retry-After, as Slack answers."""

from __future__ import annotations

from standins.slack_api import BURST, FakeSlack


class Seconds:
    """A clock the test moves."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def post(slack: FakeSlack, channel: str, token: str = "xoxb-one") -> tuple[int, str, str | None]:
    """Status, Slack's ``error`` and the ``Retry-After`` of one chat.postMessage."""
    headers = {"Authorization": f"Bearer {token}"}
    status, body, extra = slack.answer("chat.postMessage", {"channel": channel}, headers)
    return status, str(body.get("error", "")), extra.get("Retry-After")


def limited() -> tuple[FakeSlack, Seconds]:
    clock = Seconds()
    return FakeSlack(limits=True, clock=clock), clock


def test_without_limits_every_post_passes() -> None:
    slack = FakeSlack()
    assert {post(slack, "C1")[0] for _ in range(20)} == {200}
    assert slack.floods == 0


def test_a_channel_takes_a_short_burst_then_one_a_second() -> None:
    slack, clock = limited()
    assert [post(slack, "C1")[0] for _ in range(BURST)] == [200] * BURST
    assert post(slack, "C1") == (429, "ratelimited", "1")
    clock.now += 1.0
    assert post(slack, "C1")[0] == 200
    assert post(slack, "C1")[0] == 429
    assert slack.floods == 2


def test_another_channel_or_workspace_is_not_held() -> None:
    slack, _ = limited()
    for _ in range(BURST):
        post(slack, "C1")
    assert post(slack, "C1")[0] == 429
    assert post(slack, "C2")[0] == 200
    assert post(slack, "C1", token="xoxb-another-workspace")[0] == 200


def test_a_post_before_its_retry_after_is_counted_as_early() -> None:
    slack, clock = limited()
    for _ in range(BURST + 1):
        post(slack, "C1")
    clock.now += 0.5
    assert post(slack, "C1")[0] == 429  # too soon: the Retry-After was not honoured
    assert slack.early == 1
    clock.now += 1.0  # past the second Retry-After
    assert post(slack, "C1")[0] == 200
    assert slack.early == 1


def test_only_posts_are_limited() -> None:
    slack, _ = limited()
    for _ in range(BURST + 1):
        post(slack, "C1")
    status, _, _ = slack.answer("users.info", {"user": "U1"}, {})
    assert status == 200


def test_a_post_refused_for_the_limit_is_recorded_apart() -> None:
    slack, _ = limited()
    for _ in range(BURST + 2):
        post(slack, "C1")
    assert len(slack.calls_to("chat.postMessage")) == BURST
    assert len(slack.calls_to("chat.postMessage:ratelimited")) == 2
