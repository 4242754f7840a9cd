"""Slack: Events API over HTTP with slack-bolt, replies rendered as Block Kit."""
