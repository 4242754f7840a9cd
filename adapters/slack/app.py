"""The Slack adapter's wiring: a slack-bolt ``AsyncApp`` behind ``POST /slack/events``.

Every request goes: signature check (bolt) → event-id claim (:func:`dedupe`) → a listener
(:mod:`adapters.slack.listeners`) → ``Incoming`` → the core → replies posted as Block Kit.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt import BoltResponse
from slack_bolt.adapter.starlette.async_handler import AsyncSlackRequestHandler
from slack_bolt.async_app import AsyncApp
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from adapters.slack.adapter import SlackAdapter
from adapters.slack.listeners import Listeners
from runtime.bootstrap import App

log = logging.getLogger(__name__)


def make_client(app: App) -> AsyncWebClient:
    """A Web API client that retries 429s (after ``Retry-After``), 5xx and lost connections."""
    token = app.settings.slack_bot_token
    client = AsyncWebClient(
        token=token.get_secret_value() if token else None,
        base_url=app.settings.slack_api_url,
    )
    client.retry_handlers = [
        AsyncConnectionErrorRetryHandler(max_retry_count=2),
        AsyncRateLimitErrorRetryHandler(max_retry_count=5),
        AsyncServerErrorRetryHandler(max_retry_count=2),
    ]
    return client


def build_bolt_app(app: App, *, socket_mode: bool = False) -> AsyncApp:
    """The bolt app with every listener of the adapter registered.

    Over HTTP every request must carry Slack's signature; Socket Mode has none to check.
    """
    secret = app.settings.slack_signing_secret
    client = make_client(app)
    bolt = AsyncApp(
        client=client,
        signing_secret=secret.get_secret_value() if secret else None,
        request_verification_enabled=not socket_mode,
    )
    adapter = SlackAdapter(app, client)
    bolt.middleware(dedupe(adapter))
    Listeners(adapter).register(bolt)
    return bolt


def dedupe(adapter: SlackAdapter) -> Callable[..., Awaitable[BoltResponse]]:
    """Middleware that answers a second delivery of an ``event_id`` with 200 and nothing else.

    A retry may reach another process, so the claim lives in the database. It is taken on
    receipt: a retry of an event whose handling failed is dropped rather than handled twice.
    """

    async def middleware(body: dict[str, Any], next: Callable[[], Awaitable[Any]]) -> Any:
        event_id = body.get("event_id")
        if event_id and not await adapter.is_new_event(str(event_id)):
            log.info("Slack event %s already handled", event_id)
            return BoltResponse(status=200, body="")
        return await next()

    return middleware


def slack_routes(app: App) -> list[BaseRoute]:
    """``POST /slack/events``: events, slash commands and interactivity, all signed by Slack."""
    handler = AsyncSlackRequestHandler(build_bolt_app(app))

    async def endpoint(request: Request) -> Response:
        return await handler.handle(request)

    return [Route("/slack/events", endpoint, methods=["POST"])]
