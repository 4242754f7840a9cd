"""Installing the app in several workspaces over OAuth, end to end over real HTTP.

The app runs with ``SLACK_CLIENT_ID``/``SLACK_CLIENT_SECRET`` and no bot token; the stand-in Web
API plays Slack's side of the OAuth exchange and records which token every call carried.
"""

from __future__ import annotations

import asyncio
import base64
import html
import json
import re
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest
from sqlalchemy import select

from adapters.slack.oauth import bot_scopes
from bot.domain import ChannelRef
from bot.replies import Message, Section
from engine.platform import Target, UnreachableError
from runtime.bootstrap import App, build
from runtime.server import platform_app
from runtime.settings import Settings
from standins.serving import serving
from standins.slack_api import Call, FakeSlack, Grant
from storage import slack_bots, slack_installations, slack_oauth_states
from tests.e2e.slack.conftest import SECRET, sign

# slack_sdk's async client sends the client id and secret with aiohttp's BasicAuth, which
# aiohttp 3.14 deprecates; it still works, and only a test run turns the warning into an error.
pytestmark = [
    pytest.mark.filterwarnings("ignore:BasicAuth is deprecated:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:The 'auth' parameter is deprecated:DeprecationWarning"),
]

CLIENT_ID = "111.222"
CLIENT_SECRET = "oauth-secret"
COOKIE = "slack-app-oauth-state"
ONE = Grant("T1", "Ett", "xoxb-one", bot_user_id="UBOT1", bot_id="B1")
TWO = Grant("T2", "Två", "xoxb-two", bot_user_id="UBOT2", bot_id="B2")


@dataclass
class Installer:
    """A browser and Slack, talking to the app under test."""

    http: httpx.Client
    app: App
    slack: FakeSlack

    def start(self) -> tuple[str, dict[str, list[str]]]:
        """Opens the install page; returns the state cookie and the link's query."""
        page = self.http.get("/slack/install")
        assert page.status_code == 200
        cookie = page.headers["set-cookie"]
        state = re.search(rf"{COOKIE}=([^;]+)", cookie)
        assert state is not None
        link = re.search(r'href="(https://slack\.com/oauth/v2/authorize\?[^"]+)"', page.text)
        assert link is not None
        return state.group(1), parse_qs(urlsplit(html.unescape(link.group(1))).query)

    def back_from_slack(self, code: str, state: str, cookie: str | None = None) -> httpx.Response:
        """The browser returning from Slack's consent page to the redirect URL."""
        headers = {"Cookie": f"{COOKIE}={cookie or state}"}
        query = urlencode({"code": code, "state": state})
        return self.http.get(f"/slack/oauth_redirect?{query}", headers=headers)

    def install(self, grant: Grant) -> httpx.Response:
        code = f"code-{uuid.uuid4().hex[:8]}"
        self.slack.grant(code, grant)
        state, _ = self.start()
        return self.back_from_slack(code, state)

    def command(self, team: str, channel: str, text: str) -> httpx.Response:
        form = {
            "team_id": team,
            "team_domain": team.lower(),
            "channel_id": channel,
            "channel_name": "samverkan",
            "user_id": f"U-{team}",
            "user_name": f"person-{team}",
            "command": "/samverkan",
            "text": text,
            "response_url": f"https://hooks.slack.com/commands/{team}/1/x",
            "trigger_id": f"{uuid.uuid4().int % 10**10}.1.{uuid.uuid4().hex[:8]}",
        }
        body = urlencode(form)
        headers = {"Content-Type": "application/x-www-form-urlencoded", **sign(body)}
        return self.http.post("/slack/events", content=body, headers=headers)

    def event(self, team: str, event: dict[str, Any]) -> httpx.Response:
        envelope = {
            "team_id": team,
            "api_app_id": "A111",
            "event": event,
            "type": "event_callback",
            "event_id": f"Ev{uuid.uuid4().hex[:10]}",
            "event_time": int(time.time()),
        }
        body = json.dumps(envelope)
        headers = {"Content-Type": "application/json", **sign(body)}
        return self.http.post("/slack/events", content=body, headers=headers)

    def rows(self, table: Any, team: str | None = None) -> list[Any]:
        query = select(table) if team is None else select(table).where(table.c.team_id == team)
        with self.app.engine.connect() as connection:
            return list(connection.execute(query).mappings())


@pytest.fixture
def installer(tmp_path: Path, slack_server: tuple[FakeSlack, str]) -> Iterator[Installer]:
    fake, api_url = slack_server
    app = build(_settings(tmp_path, api_url))
    try:
        with (
            serving(platform_app(app)) as port,
            httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as http,
        ):
            yield Installer(http, app, fake)
    finally:
        app.close()


def _settings(tmp_path: Path, api_url: str) -> Settings:
    return Settings(
        database_url=f"sqlite:///{tmp_path}/t.db",
        slack_signing_secret=SECRET,
        slack_client_id=CLIENT_ID,
        slack_client_secret=CLIENT_SECRET,
        slack_api_url=api_url,
    )


def _posted_in(slack: FakeSlack, channel: str) -> Call:
    """The first message the app posts in ``channel`` (waits for it)."""

    def posted() -> list[Call]:
        return [c for c in slack.calls_to("chat.postMessage") if c.body.get("channel") == channel]

    slack.wait_until(lambda: bool(posted()), "chat.postMessage")
    return posted()[0]


def _wait(condition: Callable[[], bool], what: str, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting until {what}"
        time.sleep(0.02)


def test_the_install_page_links_to_slack_with_a_state_the_browser_keeps(
    installer: Installer,
) -> None:
    state, query = installer.start()
    assert query["state"] == [state]
    assert query["client_id"] == [CLIENT_ID]
    assert query["scope"][0].split(",") == bot_scopes()
    # the state is remembered in our database until the redirect consumes it
    assert [row["state"] for row in installer.rows(slack_oauth_states)] == [state]


def test_the_redirect_stores_the_installation_and_the_workspace_is_answered_with_its_token(
    installer: Installer,
) -> None:
    slack = installer.slack
    slack.grant("code-one", ONE)
    state, _ = installer.start()

    done = installer.back_from_slack("code-one", state)

    assert done.status_code == 200
    [exchange] = slack.calls_to("oauth.v2.access")
    assert exchange.body["code"] == "code-one"
    basic = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
    assert exchange.headers["Authorization"] == f"Basic {basic}"
    [installation] = installer.rows(slack_installations, "T1")
    assert (installation["client_id"], installation["team_name"]) == (CLIENT_ID, "Ett")
    assert (installation["bot_token"], installation["user_id"]) == ("xoxb-one", "U0INSTALLER")
    [bot] = installer.rows(slack_bots, "T1")
    assert (bot["bot_token"], bot["bot_id"], bot["bot_user_id"]) == ("xoxb-one", "B1", "UBOT1")
    assert installer.rows(slack_oauth_states) == []  # the state is spent

    assert installer.command("T1", "C-ONE", "starta Läxhjälp").status_code == 200
    started = _posted_in(slack, "C-ONE")
    assert started.headers["Authorization"] == "Bearer xoxb-one"
    assert "Läxhjälp" in started.body["text"]


def test_two_workspaces_are_each_answered_with_their_own_token(installer: Installer) -> None:
    slack = installer.slack
    assert installer.install(ONE).status_code == 200
    assert installer.install(TWO).status_code == 200
    assert {row["team_id"] for row in installer.rows(slack_bots)} == {"T1", "T2"}

    # T2 mentions its own bot user (known from auth.test with T2's token); T1 uses the command
    mention = {"type": "app_mention", "user": "U-T2", "text": "<@UBOT2> starta Fritid"}
    installer.event("T2", {**mention, "channel": "C-TWO", "ts": "1700000200.000001"})
    installer.command("T1", "C-ONE", "starta Läxhjälp")

    assert _posted_in(slack, "C-TWO").headers["Authorization"] == "Bearer xoxb-two"
    assert _posted_in(slack, "C-ONE").headers["Authorization"] == "Bearer xoxb-one"
    # Each person is looked up once (their name where the payload had none, their language),
    # with the token of their own workspace.
    looked_up = slack.wait_for("users.info", 2)
    asked = {(call.body["user"], call.headers["Authorization"]) for call in looked_up}
    assert asked == {("U-T2", "Bearer xoxb-two"), ("U-T1", "Bearer xoxb-one")}


def test_a_state_never_handed_out_is_refused_and_nothing_is_stored(
    installer: Installer,
) -> None:
    installer.slack.grant("code-one", ONE)
    installer.start()

    refused = installer.back_from_slack("code-one", "made-up-state")

    assert refused.status_code == 401
    assert installer.slack.calls_to("oauth.v2.access") == []
    assert installer.rows(slack_installations) == []
    assert installer.rows(slack_bots) == []


def test_a_state_that_is_not_the_browsers_is_refused(installer: Installer) -> None:
    installer.slack.grant("code-one", ONE)
    state, _ = installer.start()
    other, _ = installer.start()

    refused = installer.back_from_slack("code-one", state, cookie=other)

    assert refused.status_code == 400
    assert installer.slack.calls_to("oauth.v2.access") == []
    assert installer.rows(slack_installations) == []


def test_a_state_used_once_is_refused_the_second_time(installer: Installer) -> None:
    slack = installer.slack
    slack.grant("code-one", ONE)
    slack.grant("code-two", TWO)
    state, _ = installer.start()
    assert installer.back_from_slack("code-one", state).status_code == 200

    again = installer.back_from_slack("code-two", state)

    assert again.status_code == 401
    assert len(slack.calls_to("oauth.v2.access")) == 1
    assert [row["team_id"] for row in installer.rows(slack_installations)] == ["T1"]


def test_an_unknown_code_stores_nothing(installer: Installer) -> None:
    state, _ = installer.start()

    refused = installer.back_from_slack("never-granted", state)

    assert refused.status_code == 401
    assert len(installer.slack.calls_to("oauth.v2.access")) == 1
    assert installer.rows(slack_installations) == []


def test_app_uninstalled_removes_the_workspace_and_leaves_the_other(installer: Installer) -> None:
    installer.install(ONE)
    installer.install(TWO)

    response = installer.event("T1", {"type": "app_uninstalled"})

    assert response.status_code == 200
    _wait(lambda: installer.rows(slack_bots, "T1") == [], "T1's bot is deleted")
    _wait(lambda: installer.rows(slack_installations, "T1") == [], "T1's installation is deleted")
    assert [row["team_id"] for row in installer.rows(slack_bots)] == ["T2"]
    # T1 is no longer answered (bolt says so in the HTTP response); T2 still is
    mention = {"type": "app_mention", "user": "U-T1", "text": "<@UBOT1> starta Läxhjälp"}
    refused = installer.event("T1", {**mention, "channel": "C-ONE", "ts": "1700000300.000001"})
    assert refused.status_code == 200
    assert "no longer available" in refused.text
    installer.command("T2", "C-TWO", "starta Fritid")
    assert _posted_in(installer.slack, "C-TWO").headers["Authorization"] == "Bearer xoxb-two"
    assert [c for c in installer.slack.calls if c.body.get("channel") == "C-ONE"] == []


def test_tokens_revoked_removes_the_workspaces_bot(installer: Installer) -> None:
    installer.install(ONE)

    revoked = {"type": "tokens_revoked", "tokens": {"bot": ["UBOT1"]}}
    assert installer.event("T1", revoked).status_code == 200

    _wait(lambda: installer.rows(slack_bots, "T1") == [], "T1's bot is deleted")


def test_nudges_go_out_with_the_token_of_their_workspace(installer: Installer) -> None:
    installer.install(ONE)
    installer.install(TWO)
    [slack] = installer.app.platforms
    checkin = Message((Section(None, ("Dags för avstämning",)),))

    def nudge(team: str, channel: str) -> None:
        asyncio.run(slack.send(Target(ChannelRef("slack", team, channel)), [checkin]))

    for team, channel in (("T2", "C-TWO"), ("T1", "C-ONE")):
        nudge(team, channel)

    posts = installer.slack.calls_to("chat.postMessage")
    sent = {c.body["channel"]: c.headers["Authorization"] for c in posts}
    assert sent == {"C-TWO": "Bearer xoxb-two", "C-ONE": "Bearer xoxb-one"}
    with pytest.raises(UnreachableError):  # no installation: the outbox gives it up
        nudge("T9", "C9")
