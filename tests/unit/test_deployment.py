"""The files an IT unit deploys with: ``.env.example`` names every setting with a comment,
``compose.yaml`` is the production shape, and the image keeps its data in a volume as a user
that is not root. (No container engine runs where the tests run: ``make lint`` checks the
Dockerfile with hadolint instead of building it.)"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import yaml

from runtime.configuration import VARIABLES
from runtime.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


def env_example() -> list[str]:
    return (ROOT / ".env.example").read_text(encoding="utf-8").splitlines()


def test_every_setting_is_in_the_table_of_variables() -> None:
    settings = {name.upper() for name in Settings.model_fields}
    assert settings <= {variable.name for variable in VARIABLES}


def test_env_example_names_every_variable_after_a_comment() -> None:
    lines = env_example()
    for variable in VARIABLES:
        [at] = [n for n, line in enumerate(lines) if re.match(rf"#? ?{variable.name}=", line)]
        above = at - 1
        while re.match(r"[A-Z_]+=", lines[above]):  # a pair shares its comment
            above -= 1
        assert lines[above].startswith("#"), f"{variable.name} has no comment above it"
    # Every setting is there to be filled in, not only mentioned.
    for name in Settings.model_fields:
        assert any(line.startswith(f"{name.upper()}=") for line in lines), name


def test_env_example_holds_no_secret() -> None:
    for line in env_example():
        if line.startswith(("SLACK_BOT_TOKEN", "SLACK_SIGNING", "TELEGRAM_BOT", "POSTGRES_PASS")):
            assert line.endswith("="), line


def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
    return loaded


def test_compose_runs_postgresql_and_the_bot_with_two_workers() -> None:
    services = compose()["services"]
    assert set(services) == {"db", "bot"}
    bot, db = services["bot"], services["db"]
    assert db["image"].startswith("postgres:")
    assert bot["env_file"] == ".env"
    assert bot["environment"]["WORKER_PROCESSES"] == "2"
    assert bot["environment"]["DATABASE_URL"].startswith("postgresql+psycopg://samverkan:")
    assert "@db:5432/samverkan" in bot["environment"]["DATABASE_URL"]
    assert bot["depends_on"] == {"db": {"condition": "service_healthy"}}


def test_compose_gives_each_service_a_named_volume_and_a_health_check() -> None:
    spec = compose()
    named = set(spec["volumes"])
    for name, service in spec["services"].items():
        mounted = {volume.split(":")[0] for volume in service["volumes"]}
        assert mounted & named, f"{name} has no named volume"
        assert service["healthcheck"]["test"], name
    assert "bot-data:/data" in spec["services"]["bot"]["volumes"]
    assert "/healthz" in " ".join(spec["services"]["bot"]["healthcheck"]["test"])


def test_the_image_runs_as_a_user_with_its_data_in_a_volume() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    [user] = re.findall(r"^USER (\S+)$", dockerfile, flags=re.MULTILINE)
    assert user.isdigit() and user != "0"
    assert re.search(r"^VOLUME /data$", dockerfile, flags=re.MULTILINE)
    assert "DATABASE_URL=sqlite:////data/samverkan.db" in dockerfile
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert any(each.startswith("tzdata") for each in project["project"]["dependencies"])
