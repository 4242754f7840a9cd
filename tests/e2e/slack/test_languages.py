"""Over Slack, a reply for the person alone follows the language their Slack is set to, which
users.info tells: each person is looked up once, whatever the payload carried."""

from __future__ import annotations

import json

from tests.e2e.slack.conftest import SlackClient


def test_a_refusal_follows_the_language_of_the_persons_slack(slack: SlackClient) -> None:
    assert slack.command("starta Läxhjälp").status_code == 200  # Swedish; W111 coordinates
    slack.slack.wait_for("chat.postMessage", 1)
    slack.slack.locales.update({"W333": "en-US", "W444": "sv-SE"})

    slack.event({"type": "app_mention", "user": "W333", "text": "<@UBOT> klar", "ts": "1.3"})
    slack.command("klar", user="W444")  # a command carries the name, not the language

    refusals = slack.slack.wait_for("chat.postEphemeral", 2)
    said = {call.body["user"]: json.dumps(call.body, ensure_ascii=False) for call in refusals}
    assert "Only a coordinator can do this" in said["W333"]
    assert "Det här kan bara en samordnare göra" in said["W444"]
    asked = slack.slack.calls_to("users.info")
    assert asked and all(str(c.body.get("include_locale")).lower() in ("1", "true") for c in asked)
