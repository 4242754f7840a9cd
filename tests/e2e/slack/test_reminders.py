"""Check-ins and reminders planned from Slack: a command, a button, and `påminnelser`."""

from __future__ import annotations

import json
from typing import Any

from standins.slack_api import Call
from tests.e2e.slack.conftest import SlackClient, block_actions


def _posted_after(slack: SlackClient, command: str) -> Call:
    before = len(slack.slack.calls_to("chat.postMessage"))
    assert slack.command(command).status_code == 200
    return slack.slack.wait_for("chat.postMessage", before + 1)[-1]


def _shown(call: Call) -> str:
    return json.dumps(call.body["blocks"], ensure_ascii=False)


def _buttons(call: Call) -> dict[str, dict[str, Any]]:
    return {
        element["value"]: element
        for block in call.body["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
    }


def test_a_coordinator_plans_a_check_in_by_button_and_an_evaluation_and_sees_both(
    slack: SlackClient,
) -> None:
    _posted_after(slack, "starta Läxhjälp")
    _posted_after(slack, "utvärdering 2027-06-01")
    plan = _posted_after(slack, "påminnelser")
    weekly = _buttons(plan)["avstämning varje tisdag 09:00"]
    before = len(slack.slack.calls_to("chat.postMessage"))
    assert plan.body["channel"] == "C111"
    assert slack.interaction(block_actions(weekly, "1700000000.000001")).status_code == 200
    confirmed = slack.slack.wait_for("chat.postMessage", before + 1)[-1]
    assert "09:00" in _shown(confirmed)
    shown = _shown(_posted_after(slack, "påminnelser"))
    assert "2027-06-01" in shown and "09:00 (Europe/Stockholm)" in shown
    assert "avstämning varje tisdag 09:00" not in _buttons(_posted_after(slack, "påminnelser"))
