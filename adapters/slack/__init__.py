"""Slack: the Events API over HTTP (or Socket Mode) with slack-bolt, replies as Block Kit.

The composition root calls :func:`slack_platform` with Slack's section of the settings; over
OAuth it also gives the stores that keep the workspaces' installations.
"""

from adapters.slack.oauth import Installations, SlackOAuthStores
from adapters.slack.platform import slack_platform
from adapters.slack.settings import SlackSettings

__all__ = ["Installations", "SlackOAuthStores", "SlackSettings", "slack_platform"]
