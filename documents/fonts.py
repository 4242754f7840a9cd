"""The typeface of every file we draw: DejaVu Sans, as matplotlib ships it.

DejaVu covers Swedish (å, ä, ö, é) and the Sámi, Finnish and Meänkieli letters a name may hold,
and its licence allows embedding. Taking the files from an installed package keeps the font the
same on every machine and in the image, with nothing to download.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from functools import cache
from pathlib import Path


@dataclass(frozen=True)
class FontFiles:
    regular: Path
    bold: Path
    italic: Path


@cache
def dejavu() -> FontFiles:
    """The DejaVu Sans files; raises :class:`FileNotFoundError` if matplotlib lacks them."""
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("matplotlib is not installed")
    folder = Path(next(iter(spec.submodule_search_locations))) / "mpl-data" / "fonts" / "ttf"
    files = FontFiles(
        folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf", folder / "DejaVuSans-Oblique.ttf"
    )
    for path in (files.regular, files.bold, files.italic):
        if not path.is_file():
            raise FileNotFoundError(path)
    return files
