"""The terminal channel: play coordinator and partners on the local database."""

from adapters.console.channel import ConsoleChannel
from adapters.console.render import render

__all__ = ["ConsoleChannel", "render"]
