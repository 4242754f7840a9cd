"""Loads and validates the model's data files, failing fast with the file and path at fault."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from model_content.schema import Model

DATA_DIR = Path(__file__).parent / "data"

# Each file holds one part of the model; the loader assembles them into one Model.
PHASE_FILES = ("preconditions.yaml", "identify.yaml", "plan.yaml", "implement.yaml")


class ContentError(ValueError):
    """The model's data files are missing, unreadable or break the schema."""


def _read(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.safe_load(handle)
    except (OSError, yaml.YAMLError) as exc:
        raise ContentError(f"{path}: {exc}") from exc


def _location(error: Any, sources: dict[str, Path]) -> str:
    loc = list(error["loc"])
    if loc[:1] == ["phases"] and len(loc) > 1 and isinstance(loc[1], int):
        file = sources[PHASE_FILES[loc[1]]]
        return f"{file}: {'.'.join(str(part) for part in loc[2:]) or '(top)'}"
    file = sources.get(f"{loc[0]}.yaml", sources["model.yaml"]) if loc else sources["model.yaml"]
    return f"{file}: {'.'.join(str(part) for part in loc)}"


def load_model(data_dir: Path = DATA_DIR) -> Model:
    """Read every data file in ``data_dir`` into a validated :class:`Model`.

    Raises :class:`ContentError` naming the file and the path inside it of the first problems.
    """
    names = ("model.yaml", "principles.yaml", "participation.yaml", *PHASE_FILES)
    sources = {name: data_dir / name for name in names}
    raw = {name: _read(path) for name, path in sources.items()}
    document = {
        "source": (raw["model.yaml"] or {}).get("source"),
        "principles": raw["principles.yaml"],
        "participation": raw["participation.yaml"],
        "phases": [raw[name] for name in PHASE_FILES],
    }
    try:
        return Model.model_validate(document)
    except ValidationError as exc:
        problems = [f"{_location(e, sources)}: {e['msg']}" for e in exc.errors()[:10]]
        raise ContentError("invalid model content:\n  " + "\n  ".join(problems)) from exc


@cache
def default_model() -> Model:
    """The bundled model, loaded once per process."""
    return load_model()
