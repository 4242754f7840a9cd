"""``POST /telegram/webhook``: verified, kept in the inbox, and only then answered.

Unlike PTB's own webhook server, which answers 200 before the update is stored anywhere, this
route keeps the update first: an update Telegram saw acknowledged survives a crash. The inbox's
key is the ``update_id``, so a re-sent update, on whichever process it lands, is kept once.
"""

from __future__ import annotations

import hmac
import json

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from adapters.telegram.translate import PLATFORM
from engine import metrics
from engine.platform import Keep
from engine.ports import KeptEvent

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


class WebhookEndpoint:
    """Checks the secret header before anything else; without a secret it refuses all."""

    def __init__(self, secret: str | None, keep: Keep) -> None:
        self.secret = secret
        self.keep = keep

    async def handle(self, request: Request) -> Response:
        given = request.headers.get(SECRET_HEADER, "")
        if not self.secret or not hmac.compare_digest(given.encode(), self.secret.encode()):
            metrics.event_refused(PLATFORM, "bad_secret")
            return PlainTextResponse("forbidden", status_code=403)
        raw = await request.body()
        try:
            update_id = int(json.loads(raw)["update_id"])
        except (ValueError, KeyError, TypeError):
            return PlainTextResponse("bad request", status_code=400)
        if not await self.keep(KeptEvent(PLATFORM, str(update_id), raw.decode("utf-8"))):
            return PlainTextResponse("ok (already received)")
        return PlainTextResponse("ok")
