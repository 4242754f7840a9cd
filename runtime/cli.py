"""The samverkan command: the terminal channel, the platforms, and a check of the settings.

Only the standard library is imported before the command is known: ``serve`` must choose
where its processes share their metrics before ``prometheus_client`` is first imported
(:mod:`runtime.exposition`).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from runtime import exposition

if TYPE_CHECKING:
    from adapters.console import ConsoleChannel
    from runtime.settings import Settings

T = TypeVar("T")

# Exit statuses, as --help tells them.
CONFIGURATION = 2
DATABASE = 3

NO_PLATFORM = """Ingen plattform är konfigurerad, så terminalkanalen startar.
För Slack: sätt SLACK_BOT_TOKEN och SLACK_SIGNING_SECRET (eller SLACK_APP_TOKEN för Socket Mode).
För Telegram: sätt TELEGRAM_BOT_TOKEN. Se README.md.
"""

DESCRIPTION = """\
Samverkansboten keeps a collaboration between public bodies and civil-society
organisations going, following MUCF's Samverkansmodell, in Slack, Telegram or
the terminal.

Settings come from environment variables or a .env file in the current folder
(an empty variable counts as unset; .env.example lists them all)."""

EXIT_STATUSES = """\
exit status:
  0  done (check: everything works)
  1  check: something does not work
  2  a setting cannot be used (one line per problem names it)
  3  the database cannot be reached"""

COMMANDS = {
    "serve": (
        "run Slack, Telegram, the scheduler and the HTTP server",
        "Run every configured platform, the scheduler and the HTTP server on PORT\n"
        "(/slack/events, /telegram/webhook, /healthz, /metrics), with WORKER_PROCESSES\n"
        "worker processes that handle events and send nudges. The database schema is\n"
        "upgraded first. Stops on SIGTERM or Ctrl-C.",
    ),
    "run": (
        "serve if a platform is configured, else the terminal channel",
        "Serve when Slack or Telegram is configured; otherwise start the terminal channel.",
    ),
    "console": (
        "the terminal channel on the local database",
        "Play every person of a collaboration in the terminal: /som <namn> switches\n"
        "speaker, /avsluta quits.",
    ),
    "check": (
        "try the settings without starting anything",
        "Try the settings against the database (and its schema), the time zone, Slack\n"
        "(auth.test) and Telegram (getMe, getWebhookInfo) without starting anything or\n"
        "changing anything, and print what works (✓) and what does not (✗).",
    ),
    "work": (
        "handle kept events and send nudges (started by serve)",
        "A worker process: handles the events the server kept and runs the scheduler.\n"
        "serve starts WORKER_PROCESSES of them; run more on other machines against the\n"
        "same PostgreSQL database.",
    ),
}


def parser() -> argparse.ArgumentParser:
    """The command line, its help written for the person who runs it."""
    variables = _variables()
    top = argparse.ArgumentParser(
        prog="samverkan",
        description=DESCRIPTION,
        epilog=f"{variables}\n\n{EXIT_STATUSES}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = top.add_subparsers(dest="command", required=True, metavar="command")
    for name, (short, long) in COMMANDS.items():
        command = sub.add_parser(
            name,
            help=short,
            description=long,
            epilog=f"{variables}\n\n{EXIT_STATUSES}",
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        if name == "console":
            command.add_argument(
                "--exports", type=Path, default=Path("exports"), help="where exports are written"
            )
    return top


def _variables() -> str:
    from runtime.configuration import VARIABLES

    width = max(len(variable.name) for variable in VARIABLES)
    lines = ["environment variables:"]
    lines += [f"  {variable.name:<{width}}  {variable.en}" for variable in VARIABLES]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    exposition.forget_if_empty()
    shared = exposition.share_between_processes() if args.command in ("serve", "run") else None
    try:
        return _run(args)
    finally:
        exposition.remove(shared)


def _run(args: argparse.Namespace) -> int:
    from runtime import configuration, logs
    from runtime.settings import ConfigurationError, load

    try:
        settings = load()
    except ConfigurationError as error:
        language = configuration.language()
        for problem in error.problems:
            print(configuration.describe(problem, language), file=sys.stderr)
        return CONFIGURATION
    terminal = args.command == "console" or (args.command == "run" and not settings.any_platform)
    level = (
        "WARNING" if terminal and settings.log_level in ("DEBUG", "INFO") else settings.log_level
    )
    logs.configure(settings.log_format, level, settings.secrets())
    if args.command == "check":
        from runtime.check import check

        return check(settings, print)
    try:
        return _command(args, settings, terminal)
    except _DatabaseUnreachable as error:
        print(error, file=sys.stderr)
        return DATABASE


def _command(args: argparse.Namespace, settings: Settings, terminal: bool) -> int:
    if terminal:
        if args.command == "run":
            print(NO_PLATFORM)
        return _console(settings, getattr(args, "exports", Path("exports")))
    if args.command == "work":
        from runtime.worker import work

        return _database_checked(settings, lambda: work(settings))
    from runtime.server import serve

    return _database_checked(settings, lambda: serve(settings))


class _DatabaseUnreachable(Exception):
    """The database cannot be reached; the message says where and what to check."""


def _database_checked(settings: Settings, start: Callable[[], T]) -> T:
    """``start()``; a database that cannot be reached becomes one line a person can act on
    (:class:`_DatabaseUnreachable`)."""
    from sqlalchemy.exc import OperationalError

    from runtime.database_errors import unreachable

    try:
        return start()
    except OperationalError as error:
        raise _DatabaseUnreachable(
            unreachable(settings.database_url, error, settings.bot_language)
        ) from None


def _console(settings: Settings, export_dir: Path) -> int:
    from adapters.console import ConsoleChannel, ConsoleSender
    from runtime.bootstrap import build
    from runtime.lifecycle import clock_beside

    app = _database_checked(settings, lambda: build(settings))
    try:
        with clock_beside(app, {"console": ConsoleSender(print)}):
            _converse(ConsoleChannel(app.bot, print, export_dir))
    except KeyboardInterrupt:
        pass
    finally:
        app.close()
    print("Hej då!")
    return 0


def _converse(channel: ConsoleChannel) -> None:
    channel.greet()
    while True:
        try:
            line = input(f"{channel.speaker.display_name}> ")
        except EOFError:
            return
        if not channel.feed(line):
            return


if __name__ == "__main__":
    sys.exit(main())
