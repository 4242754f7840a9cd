"""Slack's section of the settings: what the platform is given, and nothing else."""

from __future__ import annotations

from dataclasses import dataclass, field

SLACK_API = "https://slack.com/api/"


@dataclass(frozen=True)
class SlackSettings:
    """How the bot reaches Slack.

    One workspace: ``bot_token``. Many workspaces, each installing the app over OAuth:
    ``client_id`` and ``client_secret`` (then each workspace's own token is used). Over HTTP
    every request is checked with ``signing_secret``; ``app_token`` connects over Socket Mode
    instead, with no public address. ``api_url`` is the Web API's base URL (a stand-in in tests),
    ``timeout`` how long one of its calls may take.
    """

    bot_token: str | None = field(default=None, repr=False)
    signing_secret: str | None = field(default=None, repr=False)
    app_token: str | None = field(default=None, repr=False)
    client_id: str | None = None
    client_secret: str | None = field(default=None, repr=False)
    api_url: str = SLACK_API
    timeout: int = 30  # seconds a Web API call may take

    @property
    def oauth(self) -> bool:
        """Whether workspaces install the app over OAuth rather than sharing one bot token."""
        return bool(self.client_id and self.client_secret)

    @property
    def over_http(self) -> bool:
        """Whether Slack's requests reach ``/slack/events``: signed, for one workspace or over
        OAuth."""
        return bool(self.signing_secret and (self.bot_token or self.oauth))
