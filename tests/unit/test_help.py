"""``samverkan --help`` and each command's help, as a person reads them: what each command
does, every environment variable, and the exit statuses; no markup."""

from __future__ import annotations

import contextlib
import io

import pytest

from runtime.cli import COMMANDS, main
from runtime.configuration import VARIABLES


def help_text(*argv: str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit) as exit_:
        main([*argv, "--help"])
    assert exit_.value.code == 0
    return out.getvalue()


@pytest.mark.parametrize("argv", [(), *[(command,) for command in COMMANDS]])
def test_the_help_lists_every_variable_and_the_exit_statuses(argv: tuple[str, ...]) -> None:
    text = help_text(*argv)
    for variable in VARIABLES:
        assert f"  {variable.name}  " in text or f"  {variable.name} " in text
    assert "3  the database cannot be reached" in text
    assert "``" not in text


def test_the_top_help_says_what_each_command_does() -> None:
    text = help_text()
    for command, (short, _) in COMMANDS.items():
        assert f"{command}" in text and short in text
    assert "Samverkansmodell" in text
