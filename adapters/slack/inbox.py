"""Slack requests through the inbox: verified and stored on receipt, handled after the ack.

Over HTTP two bolt apps share the listeners' code. The *receiving* app checks Slack's signature
(and, with OAuth, the installation), then :func:`keep` stores the raw request and answers 200 at
once. The *handling* app, with verification off (the request was verified on receipt) and
``process_before_response`` on (so handling is over when dispatch returns), replays the stored
request through the listeners from the inbox worker.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from typing import Any
from urllib.parse import parse_qs

from slack_bolt import BoltResponse
from slack_bolt.async_app import AsyncApp
from slack_bolt.middleware.async_middleware import AsyncMiddleware
from slack_bolt.request.async_request import AsyncBoltRequest

from adapters.slack.translate import PLATFORM
from runtime.inbox import Dispatcher, InboxWorker

log = logging.getLogger(__name__)

# The delivery being handled, so the core can record it and never apply it twice.
DELIVERY: ContextVar[str | None] = ContextVar("slack_delivery", default=None)

Body = dict[str, Any]


def delivery_id(body: Body) -> str:
    """Slack's id for the delivery: ``event_id`` for events (retries repeat it), the
    ``trigger_id`` for commands and interactions (each press or submission has its own)."""
    if body.get("event_id"):
        return str(body["event_id"])
    if body.get("trigger_id"):
        return f"trigger:{body['trigger_id']}"
    return f"request:{uuid.uuid4().hex}"


def remember_delivery() -> Callable[..., Awaitable[Any]]:
    """Middleware that makes the delivery's id known to :class:`SlackAdapter` (HTTP and
    Socket Mode alike)."""

    async def middleware(body: Body, next: Callable[[], Awaitable[Any]]) -> Any:
        DELIVERY.set(delivery_id(body))
        return await next()

    return middleware


class Keep(AsyncMiddleware):
    """Middleware of the receiving app: store the verified request, wake the worker, ack.

    A middleware class, not a function: bolt calls it as it is, without building the
    arguments a function middleware names, on every request.
    """

    def __init__(self, worker: InboxWorker) -> None:
        self.worker = worker

    async def async_process(
        self,
        *,
        req: AsyncBoltRequest,
        resp: BoltResponse,
        next: Callable[[], Awaitable[BoltResponse]],
    ) -> BoltResponse:
        payload = json.dumps(
            {"body": req.raw_body, "content_type": _content_type(req)}, ensure_ascii=False
        )
        event_id = delivery_id(req.body)
        if not await self.worker.store(PLATFORM, event_id, payload):
            log.info("Slack delivery %s arrived again; already kept", event_id)
        return BoltResponse(status=200, body="")


def dispatcher(handling: AsyncApp) -> Dispatcher:
    """Replays a stored request through ``handling``'s listeners; raises if one failed."""

    async def handle(payload: str) -> None:
        stored = json.loads(payload)
        request = AsyncBoltRequest(
            body=stored["body"], headers={"content-type": [stored["content_type"]]}
        )
        response = await handling.async_dispatch(request)
        if response.status >= 500:
            raise RuntimeError(f"a listener failed: {response.status} {response.body[:200]}")

    return Dispatcher(handle=handle, chat=chat_of)


def chat_of(payload: str) -> str:
    """The channel a stored request is about, or ``""`` when it names none (App Home)."""
    stored = json.loads(payload)
    raw = stored["body"]
    if stored["content_type"].startswith("application/json"):
        body = json.loads(raw)
    else:
        form = {key: values[0] for key, values in parse_qs(raw).items()}
        body = json.loads(form["payload"]) if "payload" in form else form
    event = body.get("event") or {}
    channel = (
        event.get("channel")
        or body.get("channel_id")
        or (body.get("channel") or {}).get("id")
        or event.get("user")
        or (body.get("user") or {}).get("id")
        or ""
    )
    return str(channel)


def _content_type(req: AsyncBoltRequest) -> str:
    values = req.headers.get("content-type") or ["application/json"]
    return values[0]
