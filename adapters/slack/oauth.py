"""Installing the app in many workspaces over OAuth (a client id and secret).

``GET /slack/install`` hands out a link to Slack's consent page with a one-time ``state``;
Slack sends the person back to ``GET /slack/oauth_redirect`` with a code, which bolt exchanges
(``oauth.v2.access``) for the workspace's bot token. Installations and states are kept by the
stores the platform is given (:class:`SlackOAuthStores`: the house keeps them in its database).
Those stores are synchronous, so bolt's ``AsyncApp`` reaches them through small wrappers that
run each call in a worker thread.

Every request is then answered with the token of the workspace it came from: bolt's authorize
finds the workspace's bot, and the sender asks the installations for the same token.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import yaml
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_sdk.oauth.installation_store import Bot, Installation
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.state_store import OAuthStateStore
from slack_sdk.oauth.state_store.async_state_store import AsyncOAuthStateStore

from adapters.slack.settings import SlackSettings

log = logging.getLogger(__name__)

INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"
STATE_SECONDS = 600  # how long an install link stays valid
MANIFEST = Path(__file__).resolve().parent / "manifest.yaml"


class Installations(Protocol):
    """slack_sdk's (synchronous) installation store, which can also name a workspace's token."""

    def save(self, installation: Installation) -> None: ...

    def save_bot(self, bot: Bot) -> None: ...

    def find_bot(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        is_enterprise_install: bool | None = False,
    ) -> Bot | None: ...

    def find_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> Installation | None: ...

    def delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None: ...

    def delete_installation(
        self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None = None
    ) -> None: ...

    def bot_token(self, team_id: str) -> str | None:
        """The bot token workspace ``team_id`` installed last; ``None`` when it has not
        installed the app, or uninstalled it."""
        ...


@dataclass(frozen=True)
class SlackOAuthStores:
    """Where installations and the pending install states are kept (synchronous stores)."""

    installations: Installations
    states: OAuthStateStore


def bot_scopes() -> list[str]:
    """The bot scopes the app manifest asks for: the install link asks for the same."""
    data = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    return [str(scope) for scope in data["oauth_config"]["scopes"]["bot"]]


def oauth_settings(settings: SlackSettings, stores: SlackOAuthStores) -> AsyncOAuthSettings:
    """Bolt's OAuth settings: our paths, the manifest's scopes, the stores we are given.

    Only for settings that ask for OAuth (:attr:`SlackSettings.oauth`).
    """
    assert settings.client_id and settings.client_secret, "settings.oauth is false"
    return AsyncOAuthSettings(
        client_id=settings.client_id,
        client_secret=settings.client_secret,
        scopes=bot_scopes(),
        install_path=INSTALL_PATH,
        redirect_uri_path=REDIRECT_PATH,
        installation_store=ThreadedInstallationStore(stores.installations),
        # Only bot tokens are asked for: a workspace is authorised by its newest bot row.
        installation_store_bot_only=True,
        state_store=ThreadedOAuthStateStore(stores.states),
        state_expiration_seconds=STATE_SECONDS,
        logger=log,
    )


class ThreadedInstallationStore(AsyncInstallationStore):
    """Bolt's async interface over a synchronous installation store (one thread per call)."""

    def __init__(self, store: Installations) -> None:
        self.store = store

    @property
    def logger(self) -> logging.Logger:
        return log

    async def async_save(self, installation: Installation) -> None:
        await asyncio.to_thread(self.store.save, installation)

    async def async_save_bot(self, bot: Bot) -> None:
        await asyncio.to_thread(self.store.save_bot, bot)

    async def async_find_bot(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        is_enterprise_install: bool | None = False,
    ) -> Bot | None:
        return await asyncio.to_thread(
            self.store.find_bot,
            enterprise_id=enterprise_id,
            team_id=team_id,
            is_enterprise_install=is_enterprise_install,
        )

    async def async_find_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> Installation | None:
        return await asyncio.to_thread(
            self.store.find_installation,
            enterprise_id=enterprise_id,
            team_id=team_id,
            user_id=user_id,
            is_enterprise_install=is_enterprise_install,
        )

    async def async_delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        await asyncio.to_thread(self.store.delete_bot, enterprise_id=enterprise_id, team_id=team_id)

    async def async_delete_installation(
        self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None = None
    ) -> None:
        await asyncio.to_thread(
            self.store.delete_installation,
            enterprise_id=enterprise_id,
            team_id=team_id,
            user_id=user_id,
        )


class ThreadedOAuthStateStore(AsyncOAuthStateStore):
    """Bolt's async interface over a synchronous OAuth state store."""

    def __init__(self, store: OAuthStateStore) -> None:
        self.store = store

    @property
    def logger(self) -> logging.Logger:
        return log

    async def async_issue(self, *args: Any, **kwargs: Any) -> str:
        return await asyncio.to_thread(self.store.issue)

    async def async_consume(self, state: str) -> bool:
        return await asyncio.to_thread(self.store.consume, state)
