"""The terminal channel as a person uses it: the real `samverkan` command on a SQLite file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


def run_console(
    tmp_path: Path,
    lines: list[str],
    command: str = "console",
    expect: int = 0,
    **settings: str,
) -> str:
    """What the terminal printed; with ``expect`` other than 0, what it printed on stderr."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'samverkan.db'}",
        "SLACK_BOT_TOKEN": "",
        "SLACK_APP_TOKEN": "",
        "SLACK_CLIENT_ID": "",
        "TELEGRAM_BOT_TOKEN": "",
        **settings,
    }
    done = subprocess.run(
        [sys.executable, "-m", "runtime.cli", command],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**env, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
        timeout=60,
        check=False,
    )
    assert done.returncode == expect, done.stderr
    return done.stdout if expect == 0 else done.stderr


@pytest.fixture
def session_one(tmp_path: Path) -> str:
    return run_console(
        tmp_path,
        [
            "starta Fritid för alla",
            "gå med Malmö stad offentlig",
            "/som Omar, Fritidsbanken, civilsamhälle",
            "nästa",
            "fråga",
            "svara Vi har \x1b[31mlokaler\x1b[0m & tider",
            "klar",
            "/som Samordnare",
            "gå till målgrupp",
            "exportera",
            "karta",
            "/avsluta",
        ],
    )


def test_a_session_plays_several_people(session_one: str, tmp_path: Path) -> None:
    assert "Samverkan ”Fritid för alla” har startat" in session_one
    assert "Välkommen, Omar! Du företräder Fritidsbanken (civilsamhälle)" in session_one
    assert "Hur ser vi på samverkan?" in session_one  # the key question of Status
    assert "Tack, Omar!" in session_one
    assert "Det här kan bara en samordnare göra. Samordnare här: Samordnare" in session_one
    assert "Fokus: Målgrupp" in session_one
    written = {path.suffix: path for path in (tmp_path / "exports").iterdir()}
    assert set(written) == {".pdf", ".md", ".png"}
    for path in written.values():
        assert f"→ {path}" in session_one  # each file's path is printed
        assert path.name.startswith("fritid-för-alla-")
    assert "MUCF" in written[".md"].read_text(encoding="utf-8")
    assert written[".pdf"].read_bytes().startswith(b"%PDF-")
    assert "Karta över ”Fritid för alla”" in session_one  # the map's text alternative


def test_terminal_control_sequences_never_reach_the_screen(session_one: str) -> None:
    assert "\x1b" not in session_one


def test_everything_is_kept_between_sessions(session_one: str, tmp_path: Path) -> None:
    later = run_console(tmp_path, ["/som Omar", "sammanfatta status", "status"])
    assert "Omar, Fritidsbanken: Vi har [31mlokaler[0m & tider" in later
    assert "◐ Målgrupp" in later


def test_a_coordinator_plans_check_ins_and_evaluation_and_sees_them(tmp_path: Path) -> None:
    output = run_console(
        tmp_path,
        [
            "starta Fritid för alla",
            "avstämning varje tisdag 09:00",
            "utvärdering 2027-06-15",
            "påminnelser",
        ],
    )
    shown = output.rsplit("Samordnare> ", 2)[-2]  # the reply to `påminnelser`
    assert "Nästa avstämning:" in shown and "09:00 (Europe/Stockholm)" in shown
    assert "Påminnelse om utvärderingen (2027-06-15)" in shown


def test_run_without_a_platform_starts_the_terminal_and_says_how_to_connect(
    tmp_path: Path,
) -> None:
    output = run_console(tmp_path, ["hjälp"], command="run")
    assert "SLACK_BOT_TOKEN" in output and "TELEGRAM_BOT_TOKEN" in output
    assert "MUCF:s samverkansmodell" in output


def test_a_long_name_exports_and_the_session_goes_on(tmp_path: Path) -> None:
    output = run_console(
        tmp_path,
        ["starta " + "Samverkan för fritid och läxhjälp i Rosengård " * 4, "exportera", "status"],
    )
    assert "Dokumentationen av" in output and "Beslut: 0" in output  # `status` after the export
    exported = sorted((tmp_path / "exports").iterdir())
    assert {path.suffix for path in exported} == {".md", ".pdf"}
    assert all(len(path.name) <= 100 and len(path.name.encode()) <= 255 for path in exported)


def test_the_terminal_speaks_the_configured_language(tmp_path: Path) -> None:
    output = run_console(tmp_path, ["start Leisure for all", "ask"], BOT_LANGUAGE="en")
    assert "You are writing as" in output and "Du skriver" not in output
    assert "Answer with `answer Status 1: <text>`" in output  # no threads in a terminal
    assert "Svara i tråden" not in output and "svara" not in output


def test_a_time_zone_that_does_not_exist_is_said_at_start(tmp_path: Path) -> None:
    said = run_console(tmp_path, [], expect=2, BOT_TIMEZONE="Europe/Stockholmm")
    assert "BOT_TIMEZONE" in said and "Europe/Stockholmm" in said
    assert "Traceback" not in said


@pytest.mark.parametrize(
    "url, status",
    [
        ("postgresql+psycopg://someone:hemligt@127.0.0.1:9/nowhere", 3),  # cannot be reached
        ("not a url", 2),  # a setting that is wrong
        ("oracle://x/y", 2),
    ],
)
def test_a_database_that_cannot_be_used_is_said_in_words(
    tmp_path: Path, url: str, status: int
) -> None:
    said = run_console(tmp_path, [], expect=status, DATABASE_URL=url)
    assert "DATABASE_URL" in said and "Traceback" not in said
    assert "hemligt" not in said  # the password is never shown


def test_my_data_in_the_terminal_is_a_file_and_forget_me_forgets(tmp_path: Path) -> None:
    output = run_console(
        tmp_path,
        [
            "starta Fritid för alla",
            "/som Omar, Fritidsbanken, civilsamhälle",
            "mina uppgifter",
            "radera mig ja",
            "/som Samordnare",
            "parter",
        ],
    )
    [written] = (tmp_path / "exports").iterdir()
    assert written.name.startswith("mina-uppgifter-") and str(written) in output
    assert "- **organisation:** Fritidsbanken" in written.read_text(encoding="utf-8")
    assert "du är glömd" in output
    assert "Fritidsbanken" not in output.split("du är glömd", 1)[1]  # `parter` after it
