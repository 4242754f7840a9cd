"""The image is built from every package the project installs: a package missing from the
Dockerfile would only show when the container starts."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_dockerfile_copies_every_installed_package() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = project["tool"]["setuptools"]["packages"]["find"]["include"]
    installed = {pattern.removesuffix("*") for pattern in patterns}
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    copied = set(re.findall(r"^COPY (\w+) \./\1$", dockerfile, flags=re.MULTILINE))
    assert installed == copied
    assert {"bot", "engine", "adapters", "storage", "runtime", "model_content"} <= installed
