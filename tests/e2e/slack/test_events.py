"""The Slack adapter end to end: signed HTTP requests in, Web API calls out."""

from __future__ import annotations

import json
import time
from typing import Any

from prometheus_client.parser import text_string_to_metric_families

from standins.slack_api import Call
from tests.e2e.slack.conftest import SlackClient, block_actions, sign, trigger_id


def _texts(call: Call) -> str:
    """Every text of a chat.postMessage call: the fallback and all block texts."""
    blocks = json.dumps(call.body["blocks"], ensure_ascii=False)
    return str(call.body["text"]).replace("\n", " ") + "\n" + blocks


def _start(slack: SlackClient) -> None:
    assert slack.command("starta Läxhjälp <!channel> & co").status_code == 200
    slack.slack.wait_for("chat.postMessage", 1)


def _ask(slack: SlackClient) -> Call:
    """Posts a question card and waits until the core knows its ``ts``."""
    before = len(slack.slack.calls_to("chat.postMessage"))
    assert slack.command("fråga").status_code == 200
    card = slack.slack.wait_for("chat.postMessage", before + 1)[-1]
    assert "samverkan_answer_0" in json.dumps(card.body["blocks"])
    return card


def _reply(slack: SlackClient, card: Call, text: str, ts: str, **kw: Any) -> Any:
    thread = _card_ts(slack, card)
    event = {"type": "message", "user": "W222", "text": text, "ts": ts, "thread_ts": thread}
    return slack.event(event, **kw)


def _card_ts(slack: SlackClient, card: Call) -> str:
    calls = slack.slack.calls_to("chat.postMessage")
    return f"1700000000.{calls.index(card) + 1:06d}"


def _summary(slack: SlackClient) -> str:
    before = len(slack.slack.calls_to("chat.postMessage"))
    slack.command("sammanfatta")
    return _texts(slack.slack.wait_for("chat.postMessage", before + 1)[-1])


def test_start_then_next_posts_the_step_in_block_kit_with_user_text_escaped(
    slack: SlackClient,
) -> None:
    _start(slack)
    started = slack.slack.calls_to("chat.postMessage")[0]
    assert started.body["channel"] == "C111"
    assert started.headers["Authorization"] == "Bearer xoxb-test"
    assert "&lt;!channel&gt; &amp; co" in started.body["text"]
    assert "<!channel>" not in started.body["text"]
    before = len(slack.slack.calls_to("chat.postMessage"))
    slack.command("nästa")
    following = slack.slack.wait_for("chat.postMessage", before + 1)[-1]
    title = slack.app.bot.model.first_step.title.sv
    assert title in _texts(following)
    assert all(b["type"] in ("rich_text", "actions", "context") for b in following.body["blocks"])


def test_a_thread_reply_to_a_card_is_stored_and_acknowledged_with_a_reaction(
    slack: SlackClient,
) -> None:
    _start(slack)
    card = _ask(slack)
    assert (
        _reply(slack, card, "Vi träffas <!channel> varje vecka", "1700000100.000001").status_code
        == 200
    )
    reaction = slack.slack.wait_for("reactions.add")[0]
    assert reaction.body["name"] == "white_check_mark"
    assert reaction.body["timestamp"] == "1700000100.000001"
    summary = _summary(slack)
    assert "Vi träffas &lt;!channel&gt; varje vecka" in summary
    assert "Namn W222" in summary
    assert "<!channel>" not in summary.split("\n", 1)[0]  # the notification text


def test_an_event_delivered_twice_is_handled_once(slack: SlackClient) -> None:
    _start(slack)
    card = _ask(slack)
    first = _reply(slack, card, "Ett svar", "1700000100.000002", event_id="EvDUP")
    again = _reply(
        slack,
        card,
        "Ett svar",
        "1700000100.000002",
        event_id="EvDUP",
        **{"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"},
    )
    assert first.status_code == again.status_code == 200
    slack.slack.wait_for("reactions.add")
    assert _summary(slack).split("\n", 1)[1].count("Ett svar") == 1
    assert len(slack.slack.calls_to("reactions.add")) == 1


def test_a_bad_signature_is_refused_and_nothing_is_posted(slack: SlackClient) -> None:
    body = "team_id=T111&channel_id=C111&user_id=W111&command=%2Fsamverkan&text=hj%C3%A4lp"
    headers = {"Content-Type": "application/x-www-form-urlencoded", **sign(body, secret="wrong")}
    assert slack.http.post("/slack/events", content=body, headers=headers).status_code == 401
    assert slack.slack.calls_to("chat.postMessage") == []
    assert slack.slack.calls_to("chat.postEphemeral") == []


def test_a_request_older_than_five_minutes_is_refused(slack: SlackClient) -> None:
    body = "team_id=T111&channel_id=C111&user_id=W111&command=%2Fsamverkan&text=hj%C3%A4lp"
    old = sign(body, timestamp=int(time.time()) - 6 * 60)
    headers = {"Content-Type": "application/x-www-form-urlencoded", **old}
    assert slack.http.post("/slack/events", content=body, headers=headers).status_code == 401
    assert slack.slack.calls_to("chat.postMessage") == []


def test_a_rate_limited_post_is_retried_and_posted_once(slack: SlackClient) -> None:
    slack.slack.fail_next("chat.postMessage", 429)
    _start(slack)
    calls = slack.slack.wait_for("chat.postMessage", 2)
    assert calls[0].body == calls[1].body
    assert len(slack.slack.calls_to("chat.postMessage")) == 2


def test_a_reply_waits_out_a_rate_limit_longer_than_the_client_retries(
    slack: SlackClient,
) -> None:
    # Four 429s: three are waited out by the client's policy, the fourth by the reply itself.
    slack.slack.fail_next("chat.postMessage", 429, times=4)
    _start(slack)
    calls = slack.slack.wait_for("chat.postMessage", 5, timeout=20)
    assert len({json.dumps(call.body, sort_keys=True) for call in calls}) == 1
    assert len(slack.slack.calls_to("chat.postMessage")) == 5


def test_a_server_error_is_retried(slack: SlackClient) -> None:
    slack.slack.fail_next("chat.postMessage", 500)
    _start(slack)
    slack.slack.wait_for("chat.postMessage", 2)


def test_a_refusal_is_ephemeral_to_the_person(slack: SlackClient) -> None:
    slack.command("nästa", user="W333")
    ephemeral = slack.slack.wait_for("chat.postEphemeral")[0]
    assert ephemeral.body["user"] == "W333"
    assert slack.slack.calls_to("chat.postMessage") == []


def test_a_mention_is_handled_without_the_bot_prefix(slack: SlackClient) -> None:
    event = {"type": "app_mention", "user": "W222", "text": "<@UBOT> starta Körsång", "ts": "1.2"}
    slack.event(event)
    assert "Körsång" in _texts(slack.slack.wait_for("chat.postMessage")[0])


def test_the_answer_button_opens_a_modal_whose_submission_is_the_answer(
    slack: SlackClient,
) -> None:
    _start(slack)
    card = _ask(slack)
    button = card.body["blocks"][-1]["elements"][0]
    slack.interaction(block_actions(button, _card_ts(slack, card)))
    view = slack.slack.wait_for("views.open")[0].body["view"]
    submission = _view_submission(view, "Svar via modal <@U999>")
    assert slack.interaction(submission).status_code == 200
    slack.slack.wait_until(lambda: "Svar via modal" in _summary(slack), "chat.postMessage")
    assert "Svar via modal &lt;@U999&gt;" in _summary(slack)


def _view_submission(view: dict[str, Any], text: str) -> dict[str, Any]:
    values = {"answer": {"text": {"type": "plain_text_input", "value": text}}}
    return {
        "type": "view_submission",
        "team": {"id": "T111", "domain": "workspace-domain"},
        "user": {"id": "W111", "username": "anna", "name": "anna", "team_id": "T111"},
        "api_app_id": "A111",
        "token": "verification_token",
        "trigger_id": trigger_id(),
        "view": {**view, "id": "V111", "team_id": "T111", "state": {"values": values}},
        "response_urls": [],
    }


def test_an_edited_answer_is_revised(slack: SlackClient) -> None:
    _start(slack)
    card = _ask(slack)
    _reply(slack, card, "Första versionen", "1700000100.000003")
    slack.slack.wait_for("reactions.add")
    edited = {
        "type": "message",
        "user": "W222",
        "text": "Andra versionen",
        "ts": "1700000100.000003",
    }
    event = {"type": "message", "subtype": "message_changed", "hidden": True, "message": edited}
    event["ts"] = "1700000100.000009"
    slack.event(event)
    slack.slack.wait_until(lambda: "Andra versionen" in _summary(slack), "chat.postMessage")


def test_chatter_in_other_threads_gets_no_reply(slack: SlackClient) -> None:
    _start(slack)
    chatter = {"type": "message", "user": "W222", "text": "hej", "ts": "9.2", "thread_ts": "9.1"}
    slack.event(chatter)
    slack.event({"type": "message", "user": "W222", "text": "vanlig rad", "ts": "9.3"})
    before = len(slack.slack.calls_to("chat.postMessage"))
    slack.command("status")
    slack.slack.wait_for("chat.postMessage", before + 1)
    assert slack.slack.calls_to("chat.postEphemeral") == []
    assert slack.slack.calls_to("reactions.add") == []


def test_talk_in_the_channel_is_counted_for_balance_and_never_answered(
    slack: SlackClient,
) -> None:
    _start(slack)
    slack.event({"type": "message", "user": "W222", "text": "Vi ses i morgon", "ts": "9.1"})
    slack.event(
        {"type": "message", "user": "W222", "text": "Bra!", "ts": "9.2", "thread_ts": "9.1"}
    )
    joined = {"type": "message", "subtype": "channel_join", "user": "W333", "ts": "9.3"}
    slack.event(joined)  # not something a person wrote: not counted
    before = len(slack.slack.calls_to("chat.postMessage"))
    slack.command("balans")
    shares = _texts(slack.slack.wait_for("chat.postMessage", before + 1)[before])
    assert "Omgång 1, 0 svar, 2 meddelanden" in shares
    assert "0 svar, 2 meddelanden från personer som inte har sagt sin sektor" in shares
    assert "Vi ses i morgon" not in shares
    assert slack.slack.calls_to("chat.postEphemeral") == []


def test_the_export_is_posted_as_messages(slack: SlackClient) -> None:
    _start(slack)
    before = len(slack.slack.calls_to("chat.postMessage"))
    slack.command("exportera")
    export = slack.slack.wait_for("chat.postMessage", before + 1)[-1]
    assert "Läxhjälp &lt;!channel&gt; &amp; co" in _texts(export)


def _metrics(slack: SlackClient) -> dict[tuple[str, str | None], float]:
    """``/metrics`` parsed by prometheus-client: sample values by name and platform."""
    text = slack.http.get("/metrics").text
    return {
        (sample.name, sample.labels.get("platform")): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if set(sample.labels) <= {"platform", "version", "python"}  # no buckets, no outcomes
    }


def test_health_and_metrics_are_served_beside_the_platform(slack: SlackClient) -> None:
    assert slack.http.get("/healthz").json() == {"ok": True}
    before = _metrics(slack)
    assert before[("samverkan_build_info", None)] == 1
    assert ("samverkan_collaborations", "slack") not in before
    assert slack.slack.calls_to("chat.postMessage") == []
    _start(slack)  # handled in this process, whose counters are in its memory
    latency = ("samverkan_event_handling_seconds_count", "slack")
    deadline = time.monotonic() + 10
    while (after := _metrics(slack)).get(latency, 0) < before.get(latency, 0) + 1:
        assert time.monotonic() < deadline, "the handled event was never counted"
        time.sleep(0.05)
    assert after[latency] == before.get(latency, 0) + 1
    assert after[("samverkan_collaborations", "slack")] == 1
    assert after[("samverkan_members", "slack")] == 1


def test_an_answer_edited_to_nothing_is_refused_to_its_author_only(slack: SlackClient) -> None:
    _start(slack)
    card = _ask(slack)
    _reply(slack, card, "Första versionen", "1700000200.000003")
    slack.slack.wait_for("reactions.add")
    edited = {"type": "message", "user": "W222", "text": "  ", "ts": "1700000200.000003"}
    event = {"type": "message", "subtype": "message_changed", "hidden": True, "message": edited}
    event["ts"] = "1700000200.000009"
    slack.event(event)
    [refusal] = slack.slack.wait_for("chat.postEphemeral")
    assert refusal.body["user"] == "W222"
    assert "Första versionen" in _summary(slack)
