"""Messages edited or deleted in Slack, over signed HTTP: the answers they gave follow."""

from __future__ import annotations

from typing import Any

from tests.e2e.slack.conftest import SlackClient
from tests.e2e.slack.test_events import _ask, _reply, _start, _summary


def _changed(message: dict[str, Any]) -> dict[str, Any]:
    """A ``message_changed`` event as Slack sends it: the message as it now is."""
    changed = {"type": "message", "subtype": "message_changed", "hidden": True}
    return changed | {"ts": "1700000999.000002", "message": message}


def _deleted(message: dict[str, Any]) -> dict[str, Any]:
    """A ``message_deleted`` event as Slack sends it: the message as it was, and its ts."""
    return {
        "type": "message",
        "subtype": "message_deleted",
        "hidden": True,
        "ts": "1700000999.000001",
        "deleted_ts": message["ts"],
        "previous_message": message,
    }


def test_a_deleted_reply_to_a_card_withdraws_its_answer(slack: SlackClient) -> None:
    _start(slack)
    card = _ask(slack)
    _reply(slack, card, "Svar som ska bort", "1700000300.000001")
    slack.slack.wait_for("reactions.add")
    assert "Svar som ska bort" in _summary(slack)
    gone = {"type": "message", "user": "W222", "text": "Svar som ska bort"}
    assert slack.event(_deleted(gone | {"ts": "1700000300.000001"})).status_code == 200
    slack.slack.wait_until(lambda: "Svar som ska bort" not in _summary(slack), "chat.postMessage")


def test_a_typed_answer_in_a_mention_is_revised_and_then_withdrawn(slack: SlackClient) -> None:
    _start(slack)
    said = {"type": "app_mention", "user": "W222", "ts": "1700000400.000001"}
    slack.event(said | {"text": "<@UBOT> svara 1: Tre lokaler"})
    slack.slack.wait_until(lambda: "Tre lokaler" in _summary(slack), "chat.postMessage")
    now = {"type": "message", "user": "W222", "ts": "1700000400.000001"}
    slack.event(_changed(now | {"text": "<@UBOT> svara 1: Fyra lokaler"}))
    slack.slack.wait_until(lambda: "Fyra lokaler" in _summary(slack), "chat.postMessage")
    assert "1: Fyra lokaler" not in _summary(slack)  # the answer, not the command
    slack.event(_deleted(now | {"text": "<@UBOT> svara 1: Fyra lokaler"}))
    slack.slack.wait_until(lambda: "Fyra lokaler" not in _summary(slack), "chat.postMessage")


def test_a_deleted_message_of_the_bot_or_of_no_answer_changes_nothing(slack: SlackClient) -> None:
    _start(slack)
    card = _ask(slack)
    _reply(slack, card, "Svaret står kvar", "1700000500.000001")
    slack.slack.wait_for("reactions.add")
    own = {"type": "message", "bot_id": "B1", "text": "kort", "ts": "1700000000.000002"}
    assert slack.event(_deleted(own)).status_code == 200
    other = {"type": "message", "user": "W222", "text": "hej", "ts": "1700000500.000009"}
    assert slack.event(_deleted(other)).status_code == 200
    assert "Svaret står kvar" in _summary(slack)
    assert slack.slack.calls_to("chat.postEphemeral") == []
