"""The terminal channel: play coordinator and partners on the local database."""

from adapters.console.channel import ConsoleChannel
from adapters.console.render import render
from adapters.console.sender import ConsoleSender

__all__ = ["ConsoleChannel", "ConsoleSender", "render"]
