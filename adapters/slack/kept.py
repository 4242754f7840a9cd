"""Slack requests through the inbox: verified and kept on receipt, replayed after the ack.

Over HTTP two bolt apps share the listeners' code. The *receiving* app checks Slack's signature
(and, with OAuth, the installation), then :class:`KeepRequest` keeps the raw request and answers
200 at once. The *handling* app, with verification off (the request was verified on receipt) and
``process_before_response`` on (so handling is over when dispatch returns), replays the kept
request (:func:`replayed`) through the listeners, for the inbox worker.

The delivery's id reaches the listeners in bolt's request context (:func:`delivery_of`), so
that the core records it and never applies a delivery twice.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Awaitable, Callable, Mapping
from typing import Any
from urllib.parse import parse_qs

from slack_bolt import BoltResponse
from slack_bolt.middleware.async_middleware import AsyncMiddleware
from slack_bolt.request.async_request import AsyncBoltRequest

from adapters.slack.translate import PLATFORM
from engine.platform import Keep
from engine.ports import KeptEvent

log = logging.getLogger(__name__)

DELIVERY = "samverkan_delivery_id"  # the key of the delivery's id in bolt's request context

Body = Mapping[str, Any]


def delivery_id(body: Body) -> str:
    """Slack's id for the delivery: ``event_id`` for events (retries repeat it), the
    ``trigger_id`` for commands and interactions (each press or submission has its own)."""
    if body.get("event_id"):
        return str(body["event_id"])
    if body.get("trigger_id"):
        return f"trigger:{body['trigger_id']}"
    return f"request:{uuid.uuid4().hex}"


def delivery_of(context: Mapping[str, Any], body: Body) -> str:
    """The id of the delivery a listener handles: the kept event's, when it is replayed from
    the inbox; else (Socket Mode) read from ``body``."""
    return str(context.get(DELIVERY) or delivery_id(body))


class KeepRequest(AsyncMiddleware):
    """Middleware of the receiving app: keep the verified request in the inbox, ack.

    A middleware class, not a function: bolt calls it as it is, without building the
    arguments a function middleware names, on every request.
    """

    def __init__(self, keep: Keep) -> None:
        self.keep = keep

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
        if not await self.keep(KeptEvent(PLATFORM, event_id, payload)):
            log.info("Slack delivery %s arrived again; already kept", event_id)
        return BoltResponse(status=200, body="")


def replayed(event: KeptEvent) -> AsyncBoltRequest:
    """The kept request as bolt received it, with the delivery's id in its context."""
    kept = json.loads(event.payload)
    return AsyncBoltRequest(
        body=kept["body"],
        headers={"content-type": [kept["content_type"]]},
        context={DELIVERY: event.event_id},
    )


def chat_of(event: KeptEvent) -> str:
    """The channel a kept request is about, or its person's id when it names none (App
    Home), or ``""``."""
    kept = json.loads(event.payload)
    raw = kept["body"]
    if kept["content_type"].startswith("application/json"):
        body = json.loads(raw)
    else:
        form = {key: values[0] for key, values in parse_qs(raw).items()}
        body = json.loads(form["payload"]) if "payload" in form else form
    inner = body.get("event") or {}
    channel = (
        inner.get("channel")
        or body.get("channel_id")
        or (body.get("channel") or {}).get("id")
        or inner.get("user")
        or (body.get("user") or {}).get("id")
        or ""
    )
    return str(channel)


def _content_type(req: AsyncBoltRequest) -> str:
    values = req.headers.get("content-type") or ["application/json"]
    return values[0]
