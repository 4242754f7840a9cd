"""The terminal channel as a person uses it: the real `samverkan` command on a SQLite file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


def run_console(tmp_path: Path, lines: list[str], command: str = "console") -> str:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'samverkan.db'}",
        "SLACK_BOT_TOKEN": "",
        "SLACK_APP_TOKEN": "",
        "SLACK_CLIENT_ID": "",
        "TELEGRAM_BOT_TOKEN": "",
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
    assert done.returncode == 0, done.stderr
    return done.stdout


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
