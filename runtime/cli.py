"""The ``samverkan`` command: ``console`` for the terminal channel, ``serve`` for the platforms."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from pydantic import ValidationError

from adapters.console import ConsoleChannel, ConsoleSender
from runtime.bootstrap import build
from runtime.lifecycle import clock_beside
from runtime.settings import Settings
from storage.database import DatabaseUnavailableError

NO_PLATFORM = """Ingen plattform är konfigurerad, så terminalkanalen startar.
För Slack: sätt SLACK_BOT_TOKEN och SLACK_SIGNING_SECRET (eller SLACK_APP_TOKEN för Socket Mode).
För Telegram: sätt TELEGRAM_BOT_TOKEN. Se README.md.
"""


def _console(settings: Settings, export_dir: Path) -> int:
    app = build(settings)
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="samverkan", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    console = sub.add_parser("console", help="the terminal channel on the local database")
    console.add_argument("--exports", type=Path, default=Path("exports"))
    sub.add_parser("serve", help="every configured channel, the scheduler and the HTTP server")
    sub.add_parser("run", help="serve if a platform is configured, else the terminal channel")
    sub.add_parser("work", help="handle the events the platforms keep (started by serve)")
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s %(message)s"
    )
    try:
        settings = Settings()
    except ValidationError as exc:
        print(_configuration_errors(exc), file=sys.stderr)
        return 2
    try:
        return _run(args.command, settings, args)
    except DatabaseUnavailableError as exc:
        print(
            f"Databasen kan inte användas (the database cannot be used):\n  {exc}", file=sys.stderr
        )
        print("Kontrollera DATABASE_URL. (Check DATABASE_URL.)", file=sys.stderr)
        return 2


def _configuration_errors(exc: ValidationError) -> str:
    """Each setting that is wrong, by its variable's name, with what is wrong with it."""
    lines = ["Fel i konfigurationen (configuration error):"]
    for error in exc.errors(include_url=False, include_input=False):
        name = "_".join(str(part) for part in error["loc"]).upper() or "–"
        message = str(error["msg"]).removeprefix("Value error, ")
        lines.append(f"  {name}: {message}")
    return "\n".join(lines)


def _run(command: str, settings: Settings, args: argparse.Namespace) -> int:
    if command == "console":
        return _console(settings, args.exports)
    if command == "run" and not settings.any_platform:
        print(NO_PLATFORM)
        return _console(settings, Path("exports"))
    if command == "work":
        from runtime.worker import work

        return work(settings)
    from runtime.server import serve

    return serve(settings)


if __name__ == "__main__":
    sys.exit(main())
