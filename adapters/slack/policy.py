"""The one retry policy of every call to Slack, and what a refusal means afterwards.

Every Web API client of the platform (the sender's, bolt's for each request, the response URL's)
retries lost connections, 5xx answers, and 429s whose ``Retry-After`` is short: those are waited
out in place. What Slack still refuses after that is a :class:`SlackApiError`, which
:func:`refusal` turns into the platform port's errors: a 429 asks to retry later, a channel out
of reach is given up, anything else is retried with back-off. A Slack that cannot be reached at
all is a :class:`SendError` too (:func:`raise_port_error`).
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Mapping
from typing import Any, NoReturn

import aiohttp
from aiohttp import ClientError
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.translate import PLATFORM
from engine import metrics
from engine.platform import RetryLaterError, SendError, UnreachableError

RETRIES = 3  # of each kind, after the first attempt
LONGEST_SLEEP = 5.0  # seconds of a 429's Retry-After waited in place; longer, the caller waits
# Slack's answers that no retry changes: the channel is gone, the bot was removed from it, or
# the workspace no longer has the app.
UNREACHABLE = frozenset(
    {
        "channel_not_found",
        "is_archived",
        "not_in_channel",
        "account_inactive",
        "token_revoked",
        "team_access_not_granted",
    }
)


def retry_handlers() -> list[AsyncRetryHandler]:
    """The retry handlers of every client: connections, short rate limits, server errors."""
    return [
        AsyncConnectionErrorRetryHandler(max_retry_count=RETRIES),
        ShortRateLimitRetryHandler(max_retry_count=RETRIES),
        AnyServerErrorRetryHandler(max_retry_count=RETRIES),
    ]


def web_client(
    token: str | None,
    api_url: str,
    timeout: int = 30,
    session: aiohttp.ClientSession | None = None,
) -> AsyncWebClient:
    """A Web API client with the policy's retries, giving a call up after ``timeout`` seconds;
    over ``session``'s connections when given (see :func:`connections`), else each call opens
    and closes its own."""
    return AsyncWebClient(
        token=token,
        base_url=api_url,
        timeout=timeout,
        retry_handlers=retry_handlers(),
        session=session,
    )


def connections(timeout: int = 30) -> aiohttp.ClientSession:
    """A pool of connections to the Web API for one process's calls, each given up after
    ``timeout`` seconds (the client's own ``timeout`` is not applied to a session it is
    given). Open it on the event loop that makes the calls, and close it there."""
    return aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=timeout))


class ShortRateLimitRetryHandler(AsyncRateLimitErrorRetryHandler):
    """Retries a 429 in place only when Slack asks for a short wait: a longer one is the
    caller's to wait out (a nudge's row is given back until then, not held)."""

    async def _can_retry_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if response is None or response.status_code != 429:
            return False
        metrics.rate_limited(PLATFORM, retry_after(response.headers))
        return retry_after(response.headers) <= LONGEST_SLEEP

    async def prepare_for_next_attempt_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        wait = retry_after(response.headers) if response is not None else 1.0
        state.next_attempt_requested = True
        await asyncio.sleep(wait + random.random() / 4)  # a little jitter, as slack_sdk's
        state.increment_current_attempt()


class AnyServerErrorRetryHandler(AsyncServerErrorRetryHandler):
    """Retries every 5xx answer (slack_sdk's own handler retries 500 and 503 only)."""

    async def _can_retry_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        return response is not None and 500 <= response.status_code < 600


def retry_after(headers: Mapping[str, Any]) -> float:
    """Slack's ``Retry-After`` in seconds (1 when it is missing or not a number); header names
    in any case, values as strings or lists of strings."""
    values = {key.lower(): value for key, value in headers.items()}
    value = values.get("retry-after", "1")
    raw = str(value[0] if isinstance(value, list) else value).strip()
    return float(raw) if raw.isdigit() else 1.0


def reason(error: SlackApiError) -> str:
    """Slack's ``error`` code of a refusal (``""`` when it gave none)."""
    return str(error.response.get("error") or "")


def refusal(error: SlackApiError, where: str) -> SendError:
    """What a refusal Slack still gave after the policy's retries means to the caller."""
    response = error.response
    if response.status_code == 429:
        wait = retry_after(response.headers)
        return RetryLaterError(f"Slack rate limit in {where}: retry after {wait:g} s", wait)
    code = reason(error)
    if code in UNREACHABLE:
        return UnreachableError(f"Slack channel {where}: {code}")
    return SendError(f"Slack refused a message in {where}: {code or response.status_code}")


def raise_port_error(error: Exception, where: str) -> NoReturn:
    """Raise what a failed call to Slack means to the caller: a refusal as :func:`refusal`
    says, a Slack that could not be reached as a :class:`SendError`, anything else as it is."""
    if isinstance(error, SlackApiError):
        raise refusal(error, where) from error
    if isinstance(error, ClientError | TimeoutError):
        raise SendError(f"Slack could not be reached: {error!r}") from error
    raise error
