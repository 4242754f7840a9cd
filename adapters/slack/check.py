"""``samverkan check`` for Slack: does the configured bot token work (``auth.test``)?"""

from __future__ import annotations

from aiohttp import ClientError
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.settings import SlackSettings

CHECK_SECONDS = 10


async def check_token(settings: SlackSettings) -> tuple[bool, str]:
    """``(True, "workspace / bot user")`` when Slack accepts the bot token; else ``False``
    with Slack's reason (``invalid_auth``, ``token_revoked``, …) or the connection's error.
    Makes one call, without retries."""
    client = AsyncWebClient(
        token=settings.bot_token, base_url=settings.api_url, timeout=CHECK_SECONDS
    )
    try:
        answer = await client.auth_test()
    except SlackApiError as error:
        return False, str(error.response.get("error") or error.response.status_code)
    except (ClientError, TimeoutError) as error:
        return False, f"{type(error).__name__}: {error}"
    return True, f"{answer.get('team')} / {answer.get('user')}"
