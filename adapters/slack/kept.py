"""Slack requests through the inbox: verified and kept on receipt, replayed after the ack.

Over HTTP two bolt apps share the listeners' code. The *receiving* app checks Slack's signature
(and, with OAuth, the installation), then :class:`KeepRequest` keeps the raw request and answers
200 at once. The *handling* app, with verification off (the request was verified on receipt) and
``process_before_response`` on (so handling is over when dispatch returns), replays the kept
request (:func:`replayed`) through the listeners, for the inbox worker.

Two things travel in bolt's request context: the delivery's id on the way in
(:func:`delivery_of`), so that the core records it and never applies a delivery twice; and,
on the way out, what a listener raised (:func:`keep_failure`), which bolt would otherwise turn
into a 500 answer, so that the inbox worker gets the platform's typed error as it is.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Awaitable, Callable

from slack_bolt import BoltResponse
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.middleware.async_middleware import AsyncMiddleware
from slack_bolt.request.async_request import AsyncBoltRequest

from adapters.slack.translate import PLATFORM, Payload
from engine.platform import Keep
from engine.ports import KeptEvent

log = logging.getLogger(__name__)

DELIVERY_ID_KEY = "samverkan_delivery_id"  # the delivery's id, in bolt's request context
FAILURE_KEY = "samverkan_failure"  # what a listener raised, in bolt's request context
FINAL_KEY = "samverkan_final"  # the kept event is handed over for the last time


def delivery_id(body: Payload) -> str:
    """Slack's id for the delivery: ``event_id`` for events (retries repeat it), the
    ``trigger_id`` for commands and interactions (each press or submission has its own)."""
    if body.get("event_id"):
        return str(body["event_id"])
    if body.get("trigger_id"):
        return f"trigger:{body['trigger_id']}"
    return f"request:{uuid.uuid4().hex}"


def delivery_of(context: Payload, body: Payload) -> str:
    """The id of the delivery a listener handles: the kept event's, when it is replayed from
    the inbox; else (Socket Mode) read from ``body``."""
    return str(context.get(DELIVERY_ID_KEY) or delivery_id(body))


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
        content_type = req.content_type or "application/json"
        payload = json.dumps(
            {"body": req.raw_body, "content_type": content_type}, ensure_ascii=False
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
        context={DELIVERY_ID_KEY: event.event_id, FINAL_KEY: event.final},
    )


async def keep_failure(error: Exception, context: AsyncBoltContext) -> None:
    """The handling app's error handler: keeps what a listener (or a middleware) raised in
    the request's context, where :meth:`SlackPlatform.handle` finds it and raises it again."""
    context[FAILURE_KEY] = error


def chat_of(event: KeptEvent) -> str:
    """The channel a kept request is about, or its person's id when it names none (App
    Home), or ``""``: as bolt reads them from the request."""
    context = replayed(event).context
    return str(context.channel_id or context.user_id or "")
