"""The Slack adapter's wiring: a slack-bolt ``AsyncApp`` behind ``POST /slack/events``.

Over HTTP a request is verified (bolt), stored in the inbox and acknowledged at once; the inbox
worker then replays it through the listeners (:mod:`adapters.slack.inbox`). A listener
(:mod:`adapters.slack.listeners`) makes an ``Incoming`` for the core and posts its replies as
Block Kit. Socket Mode dispatches straight to the listeners after its own ack.
"""

from __future__ import annotations

import logging

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
from adapters.slack.inbox import Keep, dispatcher, remember_delivery
from adapters.slack.listeners import Listeners
from adapters.slack.oauth import INSTALL_PATH, REDIRECT_PATH, oauth_enabled, oauth_settings
from adapters.slack.translate import PLATFORM
from runtime.bootstrap import App
from runtime.inbox import Dispatcher, InboxWorker

log = logging.getLogger(__name__)


def make_client(app: App) -> AsyncWebClient:
    """A Web API client that retries 429s (after ``Retry-After``), 5xx and lost connections.

    With OAuth it carries no token: bolt copies it (retry handlers included) for each request
    and gives the copy the token of the workspace the request came from.
    """
    token = None if oauth_enabled(app.settings) else app.settings.slack_bot_token
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


def build_bolt_app(app: App, *, socket_mode: bool = False, handling: bool = False) -> AsyncApp:
    """The bolt app with every listener of the adapter registered.

    Over HTTP every request must carry Slack's signature; Socket Mode has none to check, and
    neither has a request replayed from the inbox (``handling``: verified when received, and
    dispatched to the end before ``async_dispatch`` returns).
    """
    secret = app.settings.slack_signing_secret
    client = make_client(app)
    oauth = oauth_settings(app.settings, app.engine) if oauth_enabled(app.settings) else None
    bolt = AsyncApp(
        client=client,
        signing_secret=secret.get_secret_value() if secret else None,
        request_verification_enabled=not (socket_mode or handling),
        process_before_response=handling,
        oauth_settings=oauth,
    )
    adapter = SlackAdapter(app, client)
    if socket_mode or handling:  # the receiving app keeps requests, it runs no listener
        bolt.middleware(remember_delivery())
    Listeners(adapter).register(bolt)
    if oauth is not None:
        # app_uninstalled and tokens_revoked delete the workspace's rows from our tables.
        bolt.enable_token_revocation_listeners()
    return bolt


def slack_dispatcher(app: App) -> Dispatcher:
    """Handles kept Slack requests, in the serving process or in a worker process."""
    return dispatcher(build_bolt_app(app, handling=True))


def slack_routes(app: App, worker: InboxWorker) -> list[BaseRoute]:
    """``POST /slack/events``: events, slash commands and interactivity, all signed by Slack,
    kept in the inbox and handled by ``worker``; with OAuth also ``GET /slack/install`` and
    ``GET /slack/oauth_redirect``."""
    receiving = build_bolt_app(app)
    receiving.middleware(Keep(worker))
    worker.register(PLATFORM, slack_dispatcher(app))
    handler = AsyncSlackRequestHandler(receiving)

    async def endpoint(request: Request) -> Response:
        return await handler.handle(request)

    routes: list[BaseRoute] = [Route("/slack/events", endpoint, methods=["POST"])]
    if oauth_enabled(app.settings):
        routes += [Route(path, endpoint, methods=["GET"]) for path in (INSTALL_PATH, REDIRECT_PATH)]
    return routes
