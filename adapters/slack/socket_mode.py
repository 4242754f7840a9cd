"""Slack over Socket Mode (``SLACK_APP_TOKEN``): no public URL, the same listeners as HTTP.

Event ids are deduplicated in the database just as over HTTP: with several processes each
payload reaches one connection, but a redelivery may reach another.
"""

from __future__ import annotations

from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler

from adapters.slack.app import build_bolt_app
from runtime.bootstrap import App


async def start_socket_mode(app: App) -> AsyncSocketModeHandler:
    """Connects to Slack and returns the handler; ``await handler.close_async()`` to stop.

    Raises ``ValueError`` when ``SLACK_APP_TOKEN`` is not set.
    """
    token = app.settings.slack_app_token
    if token is None:
        raise ValueError("Socket Mode needs SLACK_APP_TOKEN")
    handler = AsyncSocketModeHandler(
        build_bolt_app(app, socket_mode=True), token.get_secret_value()
    )
    await handler.connect_async()
    return handler
