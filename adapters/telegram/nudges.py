"""Delivers the scheduler's nudges (check-ins, reminders) to Telegram chats.

The outbox calls this from the scheduler's worker thread: one plain ``sendMessage`` over httpx,
no parse mode, so no text can break formatting. It honours ``retry_after`` on 429, retries 5xx
and connection errors a few times, and raises when Telegram still refuses, so the outbox
releases the row and retries it later. When the bot can no longer write to the chat (403: it
was removed, or blocked by the person; 400 "chat not found") the error is ``undeliverable``
and the outbox gives the row up.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

import httpx

ATTEMPTS = 4
MAX_TEXT = 4096
LONGEST_SLEEP = 5.0  # seconds of a 429's retry_after waited here; longer, the outbox waits


class TelegramRefusedError(RuntimeError):
    """Telegram did not accept a nudge; ``retry_after`` (seconds) when it last said 429;
    ``undeliverable`` when no retry will change that."""

    def __init__(
        self, message: str, retry_after: float | None = None, *, undeliverable: bool = False
    ) -> None:
        super().__init__(message)
        self.retry_after = retry_after
        self.undeliverable = undeliverable


def telegram_nudge_sender(token: str, api_url: str) -> Callable[..., None]:
    """``send(chat_id, text, quiet_for=())``; long text is sent in parts of at most 4,096
    characters. A group cannot show a message to some members only, so a note meant for some
    (``quiet_for``) arrives without a notification sound."""
    url = f"{api_url}{token}/sendMessage"

    def send(chat_id: str, text: str, quiet_for: Sequence[str] = ()) -> None:
        quiet = {"disable_notification": "true"} if quiet_for else {}
        with httpx.Client(timeout=30) as client:
            for start in range(0, len(text), MAX_TEXT):
                part = text[start : start + MAX_TEXT]
                _post(client, url, {"chat_id": chat_id, "text": part, **quiet})

    return send


def _post(client: httpx.Client, url: str, data: dict[str, str]) -> None:
    delay = 0.5
    retry_after: float | None = None
    for _ in range(ATTEMPTS):
        retry_after = None
        try:
            response = client.post(url, data=data)
        except httpx.TransportError:
            time.sleep(delay)
            delay *= 2
            continue
        if response.status_code == 429:
            retry_after = float(response.json().get("parameters", {}).get("retry_after", 1))
            if retry_after > LONGEST_SLEEP:
                break  # the outbox waits that out, holding no claim meanwhile
            time.sleep(retry_after)
            continue
        if response.status_code >= 500:
            time.sleep(delay)
            delay *= 2
            continue
        if response.status_code == 200 and response.json().get("ok"):
            return
        raise TelegramRefusedError(response.text[:300], undeliverable=_unreachable(response))
    raise TelegramRefusedError("still refused after retrying", retry_after)


def _unreachable(response: httpx.Response) -> bool:
    """Whether Telegram says the chat is out of the bot's reach for good."""
    if response.status_code == 403:
        return True
    try:
        description = str(response.json().get("description", ""))
    except ValueError:
        return False
    return response.status_code == 400 and "chat not found" in description.lower()
