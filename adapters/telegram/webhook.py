"""``POST /telegram/webhook``: verified, kept in the inbox, and only then answered.

Unlike PTB's own webhook server, which answers 200 before the update is stored anywhere, this
route keeps the update first: an update Telegram saw acknowledged survives a crash. The inbox's
key is the ``update_id``, so a re-sent update, on whichever process it lands, is kept once.
"""

from __future__ import annotations

import hmac
import json
import logging

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from telegram import Update

from adapters.bodies import BodyTooLarge, MalformedBody, body_within
from adapters.telegram.translate import PLATFORM
from engine import metrics
from engine.platform import Keep
from engine.ports import KeptEvent

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# An update carries at most a message of 4,096 characters (a caption 1,024) and the one it
# replies to: a megabyte is many times what Telegram sends.
BODY_LIMIT = 1024 * 1024


def update_id_of(raw: bytes) -> int | None:
    """The ``update_id`` of an update, or ``None`` when ``raw`` is none: not UTF-8 JSON, not
    an object, an id that is not a whole number within Telegram's range (a signed 64-bit
    integer), or fields python-telegram-bot cannot read (it would fail on them later, when
    the update is handled)."""
    try:
        update = json.loads(raw.decode("utf-8"))
    except (ValueError, RecursionError):  # not UTF-8, not JSON, nested too deep
        return None
    update_id = update.get("update_id") if isinstance(update, dict) else None
    if type(update_id) is not int or not 0 <= update_id < 2**63:
        return None
    try:
        Update.de_json(update, None)
    except (AttributeError, KeyError, TypeError, ValueError, RecursionError):
        return None
    return update_id


class WebhookEndpoint:
    """Checks the secret header before anything else (without a secret it refuses all), then
    reads the body within :data:`BODY_LIMIT`; a body that is not an update is a 400."""

    def __init__(self, secret: str | None, keep: Keep) -> None:
        self.secret = secret
        self.keep = keep

    async def handle(self, request: Request) -> Response:
        given = request.headers.get(SECRET_HEADER, "")
        if not self.secret or not hmac.compare_digest(given.encode(), self.secret.encode()):
            metrics.event_refused(PLATFORM, "bad_secret")
            return PlainTextResponse("forbidden", status_code=403)
        try:
            raw = await body_within(request, BODY_LIMIT)
        except BodyTooLarge:
            return PlainTextResponse("payload too large", status_code=413)
        except MalformedBody:
            return PlainTextResponse("bad request", status_code=400)
        update_id = update_id_of(raw)
        if update_id is None:
            log.warning("Telegram update refused: not an update")
            return PlainTextResponse("bad request", status_code=400)
        if not await self.keep(KeptEvent(PLATFORM, str(update_id), raw.decode("utf-8"))):
            return PlainTextResponse("ok (already received)")
        return PlainTextResponse("ok")
